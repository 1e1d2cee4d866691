"""Load benchmark of the application flow on gunicorn and PostgreSQL, run by hand; prints its figures.

    .venv/bin/python scripts/bench_applications.py [--applications 20000] [--clients 50] [--drafts 1500]
        [--seconds 20] [--workers N] [--worker-class sync] [--threads 1] [--attempts 3] [--keep]

Not part of the test suite. What it does, in one run (about 3 minutes on 2 quiet cores):

1. drops and creates the PostgreSQL database `jip_bench`, migrates it with `jip.settings.bench`
   (production-like: DEBUG off, WhiteNoise, the same middleware; plain HTTP on 127.0.0.1) and collects
   the static files;
2. seeds with bulk_create: FY2024 copied to FY2099 with its window open now (so it is the current cycle),
   `--applications` applications in it: `--drafts` × `--attempts` complete drafts of benchmark applicants
   (verified e-mail, one password hashed once) ready to submit, the rest in a spread of statuses; and one
   JIP staff member with a TOTP authenticator;
3. logs everyone in by writing their sessions straight into the session table (the keys
   django.contrib.auth's login() and allauth write, with "mfa" among the staff member's authentication
   methods): fast, and clear of allauth's login rate limits; one real login through allauth's form checks
   that the seeded password works;
4. serves `jip.wsgi` with gunicorn on a free port, with the production settings (`jip/gunicorn.py`: sync
   workers, one per core) unless `--workers`/`--worker-class` say otherwise, and with `--clients`
   concurrent clients (no think time) measures
   a) the minimal view `/bench/minimal/` (same middleware, same permission check, same users), once
      first and once last; the throughput ratio is taken against the mean of the two,
   b) the submit flow: GET /apply/review/, then POST /apply/submit/ with the form's CSRF token, each draft
      once (a 302 to the application's page is an accepted submission), then checks in the database that
      every accepted submission is there: submitted, time-stamped, with its audit entry,
   c) the status page GET /applications/<pk>/ of the applicants who submitted;
5. fetches the staff list /admin/applicants/application/ one request at a time and takes gunicorn's own
   request time from its access log (%(D)s); waits up to `--admin-wait` s for that admin to exist;
6. prints the figures and PASS/FAIL against the targets; stops gunicorn, drops the database (unless `--keep`).

The machine may be shared: before each phase the script waits (up to `--quiet-wait` s) for the CPUs to be
idle, and when other processes (or the host, as steal) took more than a quarter of a core during a phase,
it runs the phase again (up to `--attempts` times; the submit phase with a fresh set of drafts) and keeps
the least disturbed attempt. The load generator runs on the same machine; the "cores" columns show what
each side used. Mail goes through the in-process task (no REDIS_URL) to the dummy backend: rendered, not sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import multiprocessing
import os
import queue
import random
import re
import runpy
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
# The production settings of gunicorn (the README's command), read without importing the project.
_GUNICORN = runpy.run_path(str(BASE_DIR / "jip" / "gunicorn.py"))
WORKERS, WORKER_CLASS = _GUNICORN["workers"], _GUNICORN["worker_class"]
HOST = "127.0.0.1"
BENCH_FISCAL_YEAR = 2099  # far beyond any real cycle, so it is the current one
PASSWORD = "bench-Passw0rd-2026!"  # noqa: S105 — benchmark accounts in a throwaway database
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
ADMIN_LIST = "/admin/applicants/application/"
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s"  # method, path, status, request time in microseconds
SUBMIT_FORM = re.compile(rb'action="/apply/submit/".*?name="csrfmiddlewaretoken" value="([^"]+)"', re.DOTALL)

OTHER_LIMIT = 0.25  # cores other processes may take during a phase before it is measured again
TARGET_RATIO = 0.40
TARGET_P95_MS = 250.0
TARGET_ADMIN_MS = 300.0


# --- Set-up: database, seed data, sessions ------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--applications", type=int, default=20_000, help="applications in the cycle, the drafts included"
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--drafts", type=int, default=1500, help="benchmark applicants, one draft each")
    parser.add_argument("--seconds", type=float, default=20, help="length of the minimal and status phases")
    parser.add_argument("--submit-timeout", type=float, default=240, help="cap on the submit phase (s)")
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help="gunicorn workers (jip.gunicorn's: one a core)"
    )
    parser.add_argument(
        "--worker-class", default=WORKER_CLASS, help="gunicorn worker class (default: jip.gunicorn's, sync)"
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--load-processes", type=int, default=2, help="processes of the load generator")
    parser.add_argument("--admin-samples", type=int, default=20, help="sequential staff-list requests")
    parser.add_argument("--admin-wait", type=float, default=300, help="wait for the applications admin (s)")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=300,
        help="before each phase, wait up to this long (s) for other processes to leave the CPUs idle",
    )
    parser.add_argument(
        "--attempts",
        type=int,
        default=3,
        help="measure a phase again (up to this many times) when other "
        "processes took CPU during it; the submit phase gets a fresh set of drafts each time",
    )
    parser.add_argument("--server-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="jip_bench")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database (and print its URL)")
    return parser.parse_args()


def database_url(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/" + name


def database_recreate(server_url: str, name: str, *, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL
    )


FAMILY = ["Nguyen", "Njoroge", "Perera", "Mamani", "Tesfaye", "Santos", "Rahman", "Okafor", "Tran", "Mwangi"]
GIVEN = ["Linh", "Amina", "Ravi", "Juan", "Sara", "Kofi", "Ana", "Minh", "Fatima", "Arjun", "Grace", "Omar"]
STATUS_SPREAD = {  # background applications, as a cycle might look a week before the deadline
    "draft": 15,
    "submitted": 30,
    "document_review": 15,
    "documents_requested": 10,
    "office_interview": 8,
    "pool": 8,
    "rejected": 10,
    "withdrawn": 4,
}


@dataclass
class Seeded:
    cycle_id: int
    drafts: list[tuple[int, int]]  # (user id, application pk) of the benchmark applicants
    warmup_drafts: list[tuple[int, int]]
    staff_id: int
    applications: int
    seconds: float


def _answers(rng: random.Random, codes: list[str], today: dt.date) -> dict:
    """Answers every step's form accepts, and the eligibility rules pass."""
    english = rng.choice(["none", "ielts", "toeic", "studied_in_english"])
    return {
        "family_name": rng.choice(FAMILY),
        "given_names": rng.choice(GIVEN),
        "birth_date": today - dt.timedelta(days=rng.randint(19 * 365, 38 * 365)),
        "nationality": rng.choice(codes),
        "residence_country": rng.choice(codes),
        "phone": f"+84 90 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "city": "Hanoi",
        "education_status": rng.choice(["student", "graduate"]),
        "institution": "National University",
        "field_of_study": rng.choice(["Engineering", "Economics", "Computer science"]),
        "degree": rng.choice(["bachelor", "master"]),
        "graduation_date": today + dt.timedelta(days=rng.randint(-300, 300)),
        "jlpt_level": rng.choice([1, 2, 3]) if english == "none" else None,
        "english_evidence": english,
        "english_score": {"ielts": Decimal("6.5"), "toeic": Decimal(800)}.get(english),
        "course_preference": rng.choice(["in_person", "online", "both"]),
        "motivation": "I want to learn how Japanese small manufacturers build quality into every step, "
        "and help a company prepare its expansion to my region.",
        "skills": "Mechanical design (CAD), data analysis with Python, two years of work in a factory.",
        "participated_before": False,
        "agrees_with_purpose": True,
        "can_dedicate": True,
        "follows_timetable": True,
        "can_submit_documents": True,
        "information_is_true": True,
    }


def seed(args: argparse.Namespace, warmup_drafts: int) -> Seeded:
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat, LPad

    from applicants import eligibility
    from applicants.forms import ENTRY_STEPS
    from applicants.models import Application
    from jip import clock, services
    from jip.models import User

    started = time.perf_counter()
    rng = random.Random(2026)
    steps = [step.slug for step in ENTRY_STEPS]
    with transaction.atomic():
        fy2024 = services.cycle_load_file(name="fy2024")
        cycle = services.cycle_copy(source=fy2024, fiscal_year=BENCH_FISCAL_YEAR, publish=True)
        today = clock.today_jst()
        cycle.name_en += " (benchmark)"
        cycle.application_opens_on = today - dt.timedelta(days=1)
        cycle.application_deadline = today + dt.timedelta(days=30)
        cycle.age_reference_date = today  # real birth dates fall in the age window
        cycle.save()
        facts = eligibility.CycleFacts.for_cycle(cycle)
        codes = sorted(c for c in facts.eligible_codes if c != "JP")

        password = make_password(PASSWORD)  # hashed once, shared by every benchmark account
        drafts = args.drafts * args.attempts  # a fresh set for each attempt of the submit phase
        total = args.applications  # the benchmark's drafts are part of the cycle's applications
        background = total - drafts - warmup_drafts
        if background < 0:
            raise SystemExit("--applications must exceed --drafts × --attempts (and the 24 warm-up drafts)")
        users = User.objects.bulk_create(
            (
                User(
                    email=f"bench-{i:06d}@bench.example",
                    password=password,
                    first_name=rng.choice(GIVEN),
                    last_name=rng.choice(FAMILY),
                )
                for i in range(total)
            ),
            batch_size=2000,
        )
        EmailAddress.objects.bulk_create(
            (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users), batch_size=2000
        )

        now = clock.now()
        statuses = rng.choices(list(STATUS_SPREAD), weights=list(STATUS_SPREAD.values()), k=background)
        applications = []
        for index, user in enumerate(users):
            status = statuses[index] if index < background else "draft"
            done = steps if status != "draft" or index >= background else steps[: rng.randint(0, 6)]
            application = Application(cycle=cycle, applicant=user, status=status, steps_done=list(done))
            for name, value in _answers(rng, codes, today).items():
                setattr(application, name, value)
            outcomes = eligibility.evaluate(application, facts)
            application.eligibility = eligibility.as_json(outcomes)
            application.is_eligible = eligibility.is_eligible(outcomes)
            if status != "draft":
                application.submitted_at = now - dt.timedelta(seconds=rng.randint(60, 86_000))
                application.status_changed_at = application.submitted_at
            elif index >= background:
                assert eligibility.can_submit(outcomes), outcomes
            applications.append(application)
        Application.objects.bulk_create(applications, batch_size=2000)
        prefix = f"JIP{BENCH_FISCAL_YEAR % 100:02d}-"  # as application_start numbers them
        Application.objects.filter(cycle=cycle).update(
            number=Concat(Value(prefix), LPad(Cast("pk", CharField()), 6, Value("0")))
        )

        staff = services.staff_member_create(email="bench-staff@bench.example", password=None)
        staff.password = password
        staff.save(update_fields=["password"])
        EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
        TOTP.activate(staff, generate_totp_secret())

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would have them after a bulk load
    bench = [(a.applicant_id, a.pk) for a in applications[background:]]
    return Seeded(
        cycle_id=cycle.pk,
        drafts=bench[:drafts],
        warmup_drafts=bench[drafts:],
        staff_id=staff.pk,
        applications=len(applications),
        seconds=time.perf_counter() - started,
    )


def sessions_create(user_ids: list[int], *, mfa: bool = False) -> dict[int, str]:
    """Logged-in sessions written as django.contrib.auth's login() and allauth would write them."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from jip.models import User

    store = SessionStore()
    expire = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys, rows = {}, []
    for user in User.objects.filter(pk__in=user_ids).only("pk", "email", "password"):
        methods = [{"method": "password", "at": time.time(), "email": user.email}]
        if mfa:
            methods.append({"method": "mfa", "at": time.time(), "type": "totp"})
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: ALLAUTH_BACKEND,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            "account_authentication_methods": methods,
        }
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=2000)
    return keys


def cookies_for(session_key: str) -> dict[str, str]:
    """What a browser holds after logging in and a first page: session, CSRF secret, language."""
    from django.utils.crypto import get_random_string

    return {
        "sessionid": session_key,
        "csrftoken": get_random_string(32),
        "django_language": "en",
    }


# --- HTTP client and load generator (standard library only) -------------------------------------------


class Connection:
    """One client's HTTP/1.1 connection; reopened when the server closes it (gunicorn's sync workers do)."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, cookies: dict[str, str], body: str | None = None, origin: bool = False
    ) -> tuple[int, http.client.HTTPMessage | None, bytes, str | None, float]:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Accept": "text/html",
            "User-Agent": "jip-bench/1",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if origin:
            headers["Origin"] = f"http://{HOST}:{self.port}"
            headers["Referer"] = f"http://{HOST}:{self.port}/apply/review/"
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return 0, None, b"", f"{type(exc).__name__}: {exc}", time.perf_counter() - started
        latency = time.perf_counter() - started
        if response.will_close:
            self.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in rest.lower():
                cookies.pop(name.strip(), None)
            else:
                cookies[name.strip()] = value
        return response.status, response.headers, data, None, latency


def _sleep_until(moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        time.sleep(delay)


def load_process(job: dict) -> dict:
    """One load-generator process: `threads` clients, each looping over its users until done or deadline.

    Records are (step, started at, latency s, status, error); flows are (pk, accepted, why not).
    """
    port, kind, start_at, deadline = job["port"], job["kind"], job["start_at"], job["deadline"]
    records: list[tuple] = []
    flows: list[tuple] = []
    lock = threading.Lock()
    work: queue.SimpleQueue = queue.SimpleQueue()
    for item in job.get("drafts", []):
        work.put(item)

    def get_client(items: list[tuple[dict, str]]) -> None:
        conn, local, i = Connection(port), [], 0
        _sleep_until(start_at)
        while (now := time.time()) < deadline:
            cookies, path = items[i % len(items)]
            i += 1
            status, _, _, error, latency = conn.request("GET", path, cookies)
            local.append((kind, now, latency, status, error or (None if status == 200 else f"HTTP {status}")))
        conn.close()
        with lock:
            records.extend(local)

    def submit_client() -> None:
        conn, local, done = Connection(port), [], []
        _sleep_until(start_at)
        while time.time() < deadline:
            try:
                cookies, pk = work.get_nowait()
            except queue.Empty:
                break
            now = time.time()
            status, _, body, error, latency = conn.request("GET", "/apply/review/", cookies)
            match = SUBMIT_FORM.search(body) if status == 200 else None
            if error is None and status == 200 and match is None:
                error = "no submit form on the review page"
            local.append(
                ("review", now, latency, status, error or (None if status == 200 else f"HTTP {status}"))
            )
            if match is None:
                done.append((pk, False, error or f"review HTTP {status}"))
                continue
            form = urlencode({"csrfmiddlewaretoken": match.group(1).decode()})
            now = time.time()
            status, headers, _, error, latency = conn.request(
                "POST", "/apply/submit/", cookies, body=form, origin=True
            )
            location = headers.get("Location") if headers is not None else None
            accepted = status == 302 and location == f"/applications/{pk}/"
            if error is None and not accepted:
                error = f"HTTP {status} to {location}"
            local.append(("submit", now, latency, status, error))
            done.append((pk, accepted, error))
        conn.close()
        with lock:
            records.extend(local)
            flows.extend(done)

    cpu = time.process_time()
    if kind == "submit":
        threads = [threading.Thread(target=submit_client) for _ in range(job["threads"])]
    else:
        threads = [threading.Thread(target=get_client, args=(items,)) for items in job["items"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"records": records, "flows": flows, "cpu": time.process_time() - cpu}


def _split(n: int, parts: int) -> list[int]:
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]


def run_phase(
    *, kind: str, port: int, clients: int, processes: int, seconds: float, items=None, drafts=None
) -> dict:
    """Runs one phase across `processes` forked processes holding `clients` threads in all."""
    processes = max(1, min(processes, clients))
    start_at = time.time() + 1.0
    jobs = []
    offset = 0
    for p, threads in enumerate(_split(clients, processes)):
        job = {"kind": kind, "port": port, "threads": threads, "start_at": start_at}
        job["deadline"] = start_at + seconds
        if kind == "submit":
            job["drafts"] = drafts[p::processes]
        else:
            job["items"] = [items[t::clients] or items for t in range(offset, offset + threads)]
        offset += threads
        jobs.append(job)
    cpu = CpuMeter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(load_process, jobs)
    records = [r for result in results for r in result["records"]]
    flows = [f for result in results for f in result["flows"]]
    wall = (max(r[1] + r[2] for r in records) - min(r[1] for r in records)) if records else 0.0
    return {
        "records": records,
        "flows": flows,
        "wall": wall,
        "client_cpu": sum(result["cpu"] for result in results),
        "cpu": cpu.stop(),
    }


# --- CPU accounting and gunicorn ----------------------------------------------------------------------


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> list[tuple[int, int, str, float]]:
    """(pid, parent pid, command, CPU seconds) of every process we can see."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        command = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out.append(
            (int(entry.name), int(fields[1]), command, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
        )
    return out


def _machine_busy() -> dict[str, float]:
    """CPU seconds the whole machine has spent busy (all CPUs), and stolen by the host, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields[:7]) - fields[3] - fields[4]  # user … softirq, without idle and iowait
    return {"machine": busy / CLOCK_TICKS, "steal": fields[7] / CLOCK_TICKS}


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


class CpuMeter:
    """CPU seconds between start and stop: gunicorn (master and workers), PostgreSQL working for the
    benchmark database (its backends and the shared background processes), and the whole machine."""

    gunicorn_pid: int = 0
    database: str = ""

    def __init__(self):
        self.started, self.before = time.time(), self._sample()

    def _sample(self) -> dict:
        stats = _proc_stats()
        workers = {pid for pid, ppid, _, _ in stats if ppid == self.gunicorn_pid} | {self.gunicorn_pid}
        gunicorn, postgres = {}, {}
        for pid, _, command, cpu in stats:
            if pid in workers:
                gunicorn[pid] = cpu
            elif command.startswith("postgres"):
                line = _cmdline(pid)
                # A backend names its database and client "(port)"; other databases' backends are not ours.
                if self.database in line.split() or "(" not in line:
                    postgres[pid] = cpu
        return {"gunicorn": gunicorn, "postgres": postgres, **_machine_busy()}

    def stop(self) -> dict[str, float]:
        """Per process, so one that ends during the phase subtracts nothing (its last share is missed)."""
        after = self._sample()
        out = {
            key: sum(cpu - self.before[key].get(pid, 0.0) for pid, cpu in after[key].items())
            for key in ("gunicorn", "postgres")
        }
        return out | {
            "machine": after["machine"] - self.before["machine"],
            "steal": after["steal"] - self.before["steal"],
            "wall": time.time() - self.started,
        }


def quiet_wait(limit: float, threshold: float = 0.3) -> float:
    """Waits (up to `limit` s) until the rest of the machine is nearly idle; returns the busy cores seen."""
    deadline = time.time() + limit
    while True:
        before, started = _machine_busy(), time.time()
        time.sleep(5)
        after = _machine_busy()
        busy = sum(after[k] - before[k] for k in after) / (time.time() - started)
        if busy < threshold or time.time() >= deadline:
            return busy
        print(f"  the machine is busy ({busy:.1f} cores used by other processes); waiting …", flush=True)


def disturbance(phase: dict) -> float:
    cores = phase_cores(phase)
    return cores["other"] + cores["steal"]


def measured(phase, args: argparse.Namespace) -> dict:
    """Runs a phase when the machine is quiet; when other processes took CPU during it, runs it again
    (up to --attempts times) and keeps the attempt they disturbed least."""
    best, requests, errors = None, 0, 0
    for attempt in range(1, args.attempts + 1):
        before = quiet_wait(args.quiet_wait)
        result = phase(attempt) | {"attempt": attempt, "other_before": before}
        requests += len(result.get("records", []))
        errors += sum(1 for r in result.get("records", []) if r[4] is not None)
        other = disturbance(result)
        if best is None or other < disturbance(best):
            best = result
        if other <= OTHER_LIMIT:
            break
        print(f"  other processes and the host took {other:.2f} cores during the phase", flush=True)
    best.pop("records", None)
    best |= {"attempts": attempt, "requests_all_attempts": requests, "errors_all_attempts": errors}
    return best


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    access_log: Path
    error_log: Path
    offset: int = 0
    extra: dict = field(default_factory=dict)

    def access_lines(self) -> list[tuple[str, str, int, float]]:
        """Access-log lines since the last call: (method, path, status, server ms)."""
        time.sleep(0.3)  # the workers flush each line as it is written; let the last ones land
        with self.access_log.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        self.offset += len(data)
        out = []
        for line in data.decode("utf-8", "replace").splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
                out.append((parts[0], parts[1], int(parts[2]), int(parts[3]) / 1000))
        return out


def gunicorn_start(args: argparse.Namespace, env: dict[str, str], logs: Path) -> Server:
    port = free_port()
    access, errors = logs / "access.log", logs / "error.log"
    command = [
        str(BIN_DIR / "gunicorn"),
        "--config=python:jip.gunicorn",  # the README's production command; what follows overrides it
        "jip.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        f"--threads={args.threads}",
        "--timeout=120",
        "--backlog=2048",
        "--no-control-socket",  # the default path in ~/.gunicorn is shared with any other gunicorn
        f"--access-logfile={access}",
        f"--access-logformat={ACCESS_LOG_FORMAT}",
        f"--error-logfile={errors}",
    ]
    with (logs / "stderr.log").open("ab") as stderr:
        process = subprocess.Popen(  # noqa: S603 — gunicorn from our own virtualenv
            command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
    CpuMeter.gunicorn_pid = process.pid
    return Server(process=process, port=port, access_log=access, error_log=errors)


def gunicorn_wait(server: Server, cookies: dict[str, str], timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.process.returncode}; see {server.error_log}")
        status, *_ = Connection(server.port).request("GET", "/bench/minimal/", dict(cookies))
        if status == 200:
            return
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer 200 on /bench/minimal/ within {timeout:.0f} s")


def gunicorn_stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


# --- Steps of the run --------------------------------------------------------------------------------


def allauth_login_check(port: int, email: str) -> str:
    """Logs in once through allauth's own form, so the seeded password and e-mail are known to work."""
    cookies: dict[str, str] = {}
    conn = Connection(port)
    status, _, body, error, _ = conn.request("GET", "/accounts/login/", cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None:
        return f"FAIL (login page: {error or status})"
    form = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "login": email, "password": PASSWORD})
    status, headers, _, error, _ = conn.request("POST", "/accounts/login/", cookies, body=form, origin=True)
    location = headers.get("Location") if headers is not None else None
    conn.close()
    if status == 302 and "sessionid" in cookies and location == "/dashboard/":
        return "ok (302 to /dashboard/, session cookie set)"
    return f"FAIL ({error or status} to {location})"


def warm_up(port: int, users: list[dict], drafts: list[tuple[dict, int]], workers: int) -> None:
    """Every worker imports its URLconf, templates and translations before anything is measured."""

    def one(i: int) -> None:
        conn = Connection(port)
        cookies = users[i % len(users)]
        conn.request("GET", "/bench/minimal/", cookies)
        conn.request("GET", "/apply/review/", cookies)
        conn.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(max(40, workers * 20))))
    # Submit the warm-up drafts, with the same flow as the measured phase.
    phase = run_phase(
        kind="submit", port=port, clients=min(8, len(drafts)), processes=1, seconds=60, drafts=drafts
    )
    pks = [pk for pk, accepted, _ in phase["flows"] if accepted]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda pair: Connection(port).request("GET", f"/applications/{pair[1]}/", pair[0]),
                [(cookies, pk) for (cookies, pk) in drafts if pk in set(pks)],
            )
        )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarize(records: list[tuple], wall: float, steps: tuple[str, ...] | None = None) -> dict:
    chosen = [r for r in records if steps is None or r[0] in steps]
    latencies = [r[2] * 1000 for r in chosen]
    errors = [r for r in chosen if r[4] is not None]
    return {
        "requests": len(chosen),
        "rps": len(chosen) / wall if wall else 0.0,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies, default=float("nan")),
        "errors": len(errors),
        "error_samples": sorted({str(r[4]) for r in errors})[:5],
    }


def server_times(lines: list[tuple[str, str, int, float]], method: str, pattern: str) -> dict:
    regex = re.compile(pattern)
    times = [ms for m, path, _, ms in lines if m == method and regex.fullmatch(path)]
    return {"n": len(times), "p50": percentile(times, 0.5), "p95": percentile(times, 0.95)}


def verify_submissions(accepted: list[int], bench_pks: list[int]) -> dict:
    """Every submission the server accepted is in the database: submitted, time-stamped, audited."""
    from applicants.models import Application
    from jip.models import AuditEntry

    rows = dict(
        Application.objects.filter(pk__in=bench_pks, status="submitted", submitted_at__isnull=False)
        .values_list("pk", "number")
        .iterator()
    )
    audited = set(
        AuditEntry.objects.filter(action="application.submitted", target_id__in=[str(pk) for pk in accepted])
        .values_list("target_id", flat=True)
        .iterator()
    )
    lost = [pk for pk in accepted if pk not in rows]
    unaudited = [pk for pk in accepted if str(pk) not in audited]
    return {
        "accepted": len(accepted),
        "in_database": sum(1 for pk in accepted if pk in rows),
        "lost": len(lost),
        "lost_sample": lost[:10],
        "without_audit_entry": len(unaudited),
        "submitted_without_confirmation": len(set(rows) - set(accepted)),
    }


def admin_measure(server: Server, cookies: dict[str, str], samples: int, wait: float) -> dict:
    """The staff list, one request at a time: gunicorn's request time (server) and the round trip."""
    conn = Connection(server.port)
    status, *_ = conn.request("GET", ADMIN_LIST, dict(cookies))
    waited, deadline = 0.0, time.time() + wait
    while status == 404 and time.time() < deadline:
        # Not registered yet (applicants/admin.py is being written): reload the workers and look again.
        time.sleep(15)
        server.process.send_signal(signal.SIGHUP)
        time.sleep(5)
        status, *_ = conn.request("GET", ADMIN_LIST, dict(cookies))
        waited = wait - (deadline - time.time())
    result: dict = {"status": status, "waited_s": round(waited)}
    if status != 200:
        index_status, *_ = conn.request("GET", "/admin/", dict(cookies))
        result["admin_index_status"] = index_status
        return result
    for _ in range(3):  # warm-up: each sample may land on any worker
        conn.request("GET", ADMIN_LIST, dict(cookies))
    server.access_lines()
    round_trips, sizes, statuses = [], [], []
    for _ in range(samples):
        status, _, body, _, latency = conn.request("GET", ADMIN_LIST, dict(cookies))
        round_trips.append(latency * 1000)
        sizes.append(len(body))
        statuses.append(status)
    times = [ms for m, path, _, ms in server.access_lines() if m == "GET" and path == ADMIN_LIST]
    conn.close()
    result.update(
        {
            "samples": samples,
            "non_200": sum(1 for s in statuses if s != 200),
            "server_p50": percentile(times, 0.5),
            "server_p95": percentile(times, 0.95),
            "server_max": max(times, default=float("nan")),
            "round_trip_p50": percentile(round_trips, 0.5),
            "round_trip_p95": percentile(round_trips, 0.95),
            "page_kb": sum(sizes) / len(sizes) / 1024,
        }
    )
    return result


# --- Report ------------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return "—" if value != value else f"{value:,.0f}"  # NaN prints as a dash


def phase_cores(phase: dict) -> dict[str, float]:
    """Average cores used during a phase by the server, PostgreSQL, the load generator and the rest."""
    cpu, wall = phase["cpu"], phase["cpu"]["wall"]
    ours = cpu["gunicorn"] + cpu["postgres"] + phase["client_cpu"]
    return {
        "gunicorn": cpu["gunicorn"] / wall,
        "postgres": cpu["postgres"] / wall,
        "load": phase["client_cpu"] / wall,
        "other": max(0.0, cpu["machine"] - ours) / wall,
        "steal": cpu.get("steal", 0.0) / wall,
    }


def report(figures: dict) -> list[tuple[str, str, str]]:
    phases, a = figures["phases"], figures["admin"]
    print()
    print(f"Machine: {figures['machine']}")
    print(f"Server:  {figures['server']}")
    print(
        f"Data:    {figures['applications_in_cycle']:,} applications in the current cycle "
        f"({figures['background_applications']:,} in a spread of statuses + {figures['drafts']:,} drafts "
        f"in {figures['attempts']} sets of {figures['drafts'] // figures['attempts']:,} "
        f"+ {figures['warmup_drafts']} warm-up), seeded in {figures['seed_s']:.0f} s"
    )
    print(f"Login:   allauth form check {figures['login_check']}")
    kept = ", ".join(
        f"{name} {p['attempt']} of {p['attempts']}" for name, p in [*phases.items(), ("staff list", a)]
    )
    print(f"Kept:    attempt kept per phase (repeated when others took CPU during it): {kept}")
    print()
    header = (
        f"{'phase':31} {'requests':>8} {'req/s':>6} {'p50 ms':>6} {'p95 ms':>6} {'max ms':>6} "
        f"{'errors':>6} {'srv p50':>7} {'srv p95':>7}  {'cores: gunicorn pg load other steal':>36}"
    )
    print(header)
    print("-" * len(header))
    for name, phase in phases.items():
        for label, row in phase["rows"].items():
            nan = float("nan")
            srv50, srv95 = row.get("server", {}).get("p50", nan), row.get("server", {}).get("p95", nan)
            cores = ""
            if label == "all":
                c = phase_cores(phase)
                cores = (
                    f"{c['gunicorn']:.2f} {c['postgres']:.2f} {c['load']:.2f} {c['other']:.2f} "
                    f"{c['steal']:.2f}"
                )
            title = name if label == "all" else f"  {label}"
            print(
                f"{title:31} {row['requests']:>8,} {row['rps']:>6,.0f} {_ms(row['p50']):>6} "
                f"{_ms(row['p95']):>6} {_ms(row['max']):>6} {row['errors']:>6} "
                f"{_ms(srv50):>7} {_ms(srv95):>7}  {cores:>36}"
            )
    print()
    print(
        "CPU per request: "
        + "; ".join(
            f"{name} {p['cpu']['gunicorn'] / n * 1000:.1f} ms gunicorn, "
            f"{p['cpu']['postgres'] / n * 1000:.1f} ms PostgreSQL"
            for name, p in phases.items()
            if (n := p["rows"]["all"]["requests"])
        )
    )
    submit = phases["submit flow (review + submit)"]
    print(
        f"Submit flow: {submit['flows']:,} flows in {submit['wall']:.1f} s = {submit['flows_per_s']:.1f} "
        f"submissions/s; {submit['accepted']:,} accepted"
    )
    v = figures["verification"]
    print(
        f"Database:    {v['in_database']:,} of {v['accepted']:,} accepted submissions (all attempts) are "
        f"submitted in the database; lost {v['lost']}; without audit entry {v['without_audit_entry']}; "
        f"submitted but not confirmed to the client {v['submitted_without_confirmation']}"
    )
    c = a["cpu"]
    if a.get("status") == 200:
        print(
            f"Staff list:  {ADMIN_LIST} with {figures['applications_total']:,} applications, "
            f"{a['samples']} sequential requests: server p50 {_ms(a['server_p50'])} ms, p95 "
            f"{_ms(a['server_p95'])} ms, max {_ms(a['server_max'])} ms; round trip p50 "
            f"{_ms(a['round_trip_p50'])} ms; page {a['page_kb']:.0f} KiB; non-200: {a['non_200']}; "
            f"other processes {max(0.0, c['machine'] - c['gunicorn'] - c['postgres']) / c['wall']:.2f} cores"
        )
    else:
        print(
            f"Staff list:  {ADMIN_LIST} answered {a.get('status')} after waiting {a.get('waited_s')} s "
            f"(the applications admin is not registered yet); /admin/ answered {a.get('admin_index_status')}"
        )
    # The minimal view is measured before and after the pages; the ratio is taken against their mean.
    minimal_runs = [p["rows"]["all"] for name, p in phases.items() if name.startswith("minimal view")]
    minimal = {"rps": sum(r["rps"] for r in minimal_runs) / len(minimal_runs)}
    sub_all = submit["rows"]["all"]
    status_all = phases["status page"]["rows"]["all"]
    ratio = sub_all["rps"] / minimal["rps"] if minimal["rps"] else 0.0
    each = sorted(sub_all["rps"] / r["rps"] for r in minimal_runs if r["rps"])
    spread = f"{each[0]:.1%}–{each[-1]:.1%} against either" if each else "no minimal run"
    flow_ratio = submit["flows_per_s"] / minimal["rps"] if minimal["rps"] else 0.0
    p95_submit = max(row["p95"] for label, row in submit["rows"].items() if label != "all")
    errors = sum(p.get("errors_all_attempts", p["rows"]["all"]["errors"]) for p in phases.values())
    requests = sum(p.get("requests_all_attempts", p["rows"]["all"]["requests"]) for p in phases.values())
    verdicts = [
        (
            f"submit-flow throughput ≥ {TARGET_RATIO:.0%} of minimal (requests/s)",
            f"{ratio:.1%} ({sub_all['rps']:.0f} / {minimal['rps']:.0f} req/s, the mean of the minimal runs; "
            f"{spread})",
            "PASS" if ratio >= TARGET_RATIO else "FAIL",
        ),
        (
            "  same, counting whole flows (submissions/s)",
            f"{flow_ratio:.1%} ({submit['flows_per_s']:.0f} / {minimal['rps']:.0f})",
            "PASS" if flow_ratio >= TARGET_RATIO else "FAIL",
        ),
        (
            f"submit flow p95 < {TARGET_P95_MS:.0f} ms at {figures['clients']} clients (worst step)",
            f"{p95_submit:.0f} ms",
            "PASS" if p95_submit < TARGET_P95_MS else "FAIL",
        ),
        (
            f"status page p95 < {TARGET_P95_MS:.0f} ms at {figures['clients']} clients",
            f"{status_all['p95']:.0f} ms",
            "PASS" if status_all["p95"] < TARGET_P95_MS else "FAIL",
        ),
        (
            "0 errors (every phase and attempt)",
            f"{errors} in {requests:,} requests",
            "PASS" if errors == 0 else "FAIL",
        ),
        ("0 lost submissions", str(v["lost"]), "PASS" if v["lost"] == 0 and v["accepted"] else "FAIL"),
    ]
    if a.get("status") == 200:
        verdicts.append(
            (
                f"staff list < {TARGET_ADMIN_MS:.0f} ms server time (p95 of {a['samples']})",
                f"{a['server_p95']:.0f} ms (p50 {a['server_p50']:.0f})",
                "PASS" if a["server_p95"] < TARGET_ADMIN_MS else "FAIL",
            )
        )
    else:
        verdicts.append((f"staff list < {TARGET_ADMIN_MS:.0f} ms server time", "not measured", "N/A"))
    print()
    for target, value, verdict in verdicts:
        print(f"{verdict:5} {target:62} {value}")
    for name, phase in phases.items():
        samples = phase["rows"]["all"]["error_samples"]
        if samples:
            print(f"errors in {name}: {samples}")
    return verdicts


# --- Main --------------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    db_url = database_url(args.server_url, args.database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jip.settings.bench",
        "DATABASE_URL": db_url,
        "DJANGO_EMAIL_URL": "dummymail://",  # the mail task renders the mail; nothing is sent
    }
    env.pop("REDIS_URL", None)  # the embedded default: tasks run in-process
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    logs = Path(tempfile.mkdtemp(prefix="jip-bench-"))
    warmup_count = 24

    print(f"Database {args.database}: recreating and migrating …", flush=True)
    database_recreate(args.server_url, args.database)
    server = None
    try:
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", "--clear", env=env)

        import django

        django.setup()
        from django.db import connections

        print(f"Seeding {args.applications:,} applications, drafts to submit included …", flush=True)
        seeded = seed(args, warmup_count)
        keys = sessions_create([u for u, _ in seeded.drafts + seeded.warmup_drafts])
        batches = [
            [(cookies_for(keys[u]), pk) for u, pk in seeded.drafts[i * args.drafts : (i + 1) * args.drafts]]
            for i in range(args.attempts)
        ]
        staff_key = sessions_create([seeded.staff_id], mfa=True)[seeded.staff_id]
        warm_users = [(cookies_for(keys[u]), pk) for u, pk in seeded.warmup_drafts]
        staff_cookies = cookies_for(staff_key)
        from applicants.models import Application

        applications_in_cycle = Application.objects.filter(cycle_id=seeded.cycle_id).count()
        connections.close_all()  # nothing Django-side crosses the forks below

        print(f"Starting gunicorn ({args.workers} × {args.worker_class}) …", flush=True)
        server = gunicorn_start(args, env, logs)
        gunicorn_wait(server, batches[0][0][0])
        login_check = allauth_login_check(server.port, "bench-000000@bench.example")
        warm_up(server.port, [c for c, _ in batches[0]], warm_users, args.workers)
        server.access_lines()

        CpuMeter.database = args.database
        common = {"port": server.port, "clients": args.clients, "processes": args.load_processes}
        minimal_users = [c for c, _ in batches[0]]
        accepted: list[int] = []  # over every attempt of the submit phase

        def minimal(attempt: int) -> dict:
            print(f"Minimal view: {args.clients} clients × {args.seconds:.0f} s …", flush=True)
            items = [(c, "/bench/minimal/") for c in minimal_users]
            run = run_phase(kind="minimal", seconds=args.seconds, items=items, **common)
            lines = server.access_lines()
            server_row = server_times(lines, "GET", "/bench/minimal/")
            return run | {"rows": {"all": summarize(run["records"], run["wall"]) | {"server": server_row}}}

        def submit(attempt: int) -> dict:
            drafts = batches[attempt - 1]
            print(f"Submit flow: {args.clients} clients, {len(drafts):,} drafts …", flush=True)
            run = run_phase(kind="submit", seconds=args.submit_timeout, drafts=drafts, **common)
            lines = server.access_lines()
            ok = [pk for pk, success, _ in run["flows"] if success]
            accepted.extend(ok)
            records, wall = run["records"], run["wall"]
            return run | {
                "rows": {
                    "all": summarize(records, wall),
                    "GET /apply/review/": summarize(records, wall, ("review",))
                    | {"server": server_times(lines, "GET", "/apply/review/")},
                    "POST /apply/submit/": summarize(records, wall, ("submit",))
                    | {"server": server_times(lines, "POST", "/apply/submit/")},
                },
                "flows": len(run["flows"]),
                "flows_per_s": len(ok) / wall if wall else 0.0,
                "accepted": len(ok),
            }

        def status(attempt: int) -> dict:
            print(f"Status page: {args.clients} clients × {args.seconds:.0f} s …", flush=True)
            done = set(accepted)
            submitted = [(c, pk) for batch in batches for c, pk in batch if pk in done] or batches[0]
            items = [(c, f"/applications/{pk}/") for c, pk in submitted]
            run = run_phase(kind="status", seconds=args.seconds, items=items, **common)
            lines = server.access_lines()
            server_row = server_times(lines, "GET", r"/applications/\d+/")
            return run | {"rows": {"all": summarize(run["records"], run["wall"]) | {"server": server_row}}}

        phases = {
            "minimal view": measured(minimal, args),
            "submit flow (review + submit)": measured(submit, args),
        }
        verification = verify_submissions(accepted, [pk for batch in batches for _, pk in batch])
        connections.close_all()
        phases["status page"] = measured(status, args)
        phases["minimal view (again, after)"] = measured(minimal, args)

        def staff_list(attempt: int) -> dict:
            print(f"Staff list {ADMIN_LIST}: {args.admin_samples} sequential requests …", flush=True)
            meter = CpuMeter()
            result = admin_measure(server, staff_cookies, args.admin_samples, args.admin_wait)
            return result | {"cpu": meter.stop(), "client_cpu": 0.0}

        admin = measured(staff_list, args)
        applications_total = Application.objects.count()
        connections.close_all()

        meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
        figures = {
            "machine": f"{os.cpu_count()} CPUs, {int(meminfo[1]) / 2**20:.1f} GiB RAM, "
            f"Python {sys.version.split()[0]}, PostgreSQL on 127.0.0.1",
            "server": f"gunicorn jip.wsgi, {args.workers} workers × {args.worker_class}"
            + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
            + f"; load: {args.clients} clients in {args.load_processes} processes, no think time",
            "clients": args.clients,
            "background_applications": seeded.applications - args.drafts * args.attempts - warmup_count,
            "drafts": args.drafts * args.attempts,
            "attempts": args.attempts,
            "warmup_drafts": warmup_count,
            "applications_in_cycle": applications_in_cycle,
            "applications_total": applications_total,
            "seed_s": seeded.seconds,
            "login_check": login_check,
            "phases": phases,
            "verification": verification,
            "admin": admin,
        }
        verdicts = report(figures)
        if args.json:
            for phase in phases.values():
                phase.pop("records", None)
            args.json.write_text(json.dumps(figures | {"verdicts": verdicts}, indent=2, default=str))
        print(f"\nLogs: {logs}")
    finally:
        if server is not None:
            gunicorn_stop(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 — Django may not be set up yet
            pass
        if args.keep:
            print(f"Kept the database: DATABASE_URL={db_url}")
        else:
            database_recreate(args.server_url, args.database, create=False)


if __name__ == "__main__":
    main()
