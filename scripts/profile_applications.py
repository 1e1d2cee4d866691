"""What one request of the application flow costs, in-process: CPU time, queries, and where the time goes.

    .venv/bin/python scripts/profile_applications.py [--requests 200] [--profile review] [--reuse]

Run by hand, beside `bench_applications.py` (whose seed it uses): it seeds the PostgreSQL database
`jip_profile` with `--applications` applications (the benchmark's mix), then sends requests straight to
Django's WSGI handler (all the middleware, no HTTP server) for the benchmark's four kinds of request: the
minimal view, GET /apply/review/, POST /apply/submit/ and GET /applications/<pk>/. For each it prints the
median and p90 of `time.process_time()` per request, the queries per request and the ratio to the minimal
view. The kinds are interleaved in rounds so a drift of the machine touches all of them alike.

`--profile KIND` also runs cProfile over that kind's requests and prints the 40 costliest functions
(cumulative); `--callgrind` runs only `--requests` requests of each kind after the warm-up, so the script can
run under `valgrind --tool=callgrind --instr-atstart=no` with the instrumentation switched on around them
(by `callgrind_control -i on` from outside, or simply the whole run, seeding included).

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))

import bench_applications as bench  # noqa: E402 — the benchmark's seed, beside this file

KINDS = ("minimal", "review", "submit", "status")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=4000)
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--profile", choices=KINDS, help="cProfile this kind's requests")
    parser.add_argument(
        "--callgrind",
        choices=KINDS,
        help="under valgrind --tool=callgrind --instr-atstart=no: count only this kind's requests",
    )
    parser.add_argument("--dump", type=Path, help="with --profile: also write its cProfile stats here")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the seeded database")
    parser.add_argument("--server-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="jip_profile")
    return parser.parse_args()


class Wsgi:
    """Requests to Django's WSGI handler with a browser's cookies; returns status, headers and body."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application

        self.app = get_wsgi_application()

    def __call__(self, method: str, path: str, cookies: dict, body: str = "") -> tuple[int, dict, bytes]:
        data = body.encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "HTTP_ACCEPT": "text/html",
            "HTTP_USER_AGENT": "jip-profile/1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if method == "POST":
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(data))
            environ["HTTP_ORIGIN"] = "http://127.0.0.1"
            environ["HTTP_REFERER"] = "http://127.0.0.1/apply/review/"
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

        result = self.app(environ, start_response)
        try:
            body_out = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return answer["status"], answer["headers"], body_out


TOKEN = re.compile(rb'action="/apply/submit/".*?name="csrfmiddlewaretoken" value="([^"]+)"', re.DOTALL)


def main() -> None:
    args = parse_args()
    db_url = bench.database_url(args.server_url, args.database)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jip.settings.bench", "DATABASE_URL": db_url}
    env["DJANGO_EMAIL_URL"] = "dummymail://"
    env.pop("REDIS_URL", None)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    marker = BASE_DIR / "var" / f"{args.database}.seeded"
    fresh = not (args.reuse and marker.exists())
    if fresh:
        print(f"Seeding {args.applications:,} applications in {args.database} …", flush=True)
        bench.database_recreate(args.server_url, args.database)
        bench.manage("migrate", "--noinput", env=env)
    import django

    django.setup()
    from django.db import connection

    from applicants.models import Application

    drafts_needed = args.requests * args.rounds + 20
    if fresh:
        seed_args = argparse.Namespace(applications=args.applications, drafts=drafts_needed * 3, attempts=1)
        seeded = bench.seed(seed_args, 0)
        marker.parent.mkdir(exist_ok=True)
        marker.write_text(json.dumps(seeded.drafts))
    ready = [tuple(d) for d in json.loads(marker.read_text())]
    still = set(
        Application.objects.filter(pk__in=[pk for _, pk in ready], status="draft").values_list(
            "pk", flat=True
        )
    )
    drafts = [(u, pk) for u, pk in ready if pk in still][:drafts_needed]
    if len(drafts) < drafts_needed:
        raise SystemExit(f"only {len(drafts)} complete drafts left: run without --reuse to seed again")
    keys = bench.sessions_create([u for u, _ in drafts])
    users = [(bench.cookies_for(keys[u]), pk) for u, pk in drafts]
    call = Wsgi()
    queries = {"n": 0}

    def counter(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    def review(cookies, pk):
        status, _, body = call("GET", "/apply/review/", cookies)
        assert status == 200, status
        return TOKEN.search(body).group(1).decode()

    def submit(cookies, pk, token):
        status, headers, _ = call(
            "POST", "/apply/submit/", cookies, urlencode({"csrfmiddlewaretoken": token})
        )
        assert status == 302 and headers["Location"] == f"/applications/{pk}/", (status, headers)

    def status_page(cookies, pk):
        status, _, _ = call("GET", f"/applications/{pk}/", cookies)
        assert status == 200, status

    def minimal(cookies, pk):
        status, _, _ = call("GET", "/bench/minimal/", cookies)
        assert status == 200, status

    if os.environ.get("JIP_GC_FREEZE"):
        import gc

        gc.collect()
        gc.freeze()
    # Warm-up: every kind a few times (templates compiled, caches filled).
    for cookies, pk in users[:20]:
        minimal(cookies, pk)
        submit(cookies, pk, review(cookies, pk))
        status_page(cookies, pk)
    users = users[20:]

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")

    def backend_cpu() -> float:
        """The PostgreSQL backend's CPU seconds (clock ticks: summed over many requests, not one)."""
        fields = backend.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    pg_cpu: dict[str, float] = dict.fromkeys(KINDS, 0.0)
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    counts: dict[str, list[int]] = {k: [] for k in KINDS}
    profiler = cProfile.Profile() if args.profile else None

    def timed(kind, fn, *a):
        n0 = queries["n"]
        if profiler and kind == args.profile:
            profiler.enable()
        pg0, t0 = backend_cpu(), time.process_time()
        out = fn(*a)
        times[kind].append(time.process_time() - t0)
        pg_cpu[kind] += backend_cpu() - pg0
        if profiler and kind == args.profile:
            profiler.disable()
        counts[kind].append(queries["n"] - n0)
        return out

    if args.callgrind:
        import subprocess

        only = {"minimal": minimal, "status": status_page}.get(args.callgrind)
        batch = users[: args.requests]
        tokens = [review(c, pk) for c, pk in batch] if args.callgrind == "submit" else []
        control = ["callgrind_control", "-i"]
        subprocess.run([*control, "on", str(os.getpid())], check=True, capture_output=True)  # noqa: S603
        for i, (cookies, pk) in enumerate(batch):
            if args.callgrind == "review":
                review(cookies, pk)
            elif args.callgrind == "submit":
                submit(cookies, pk, tokens[i])
            else:
                only(cookies, pk)
        subprocess.run([*control, "off", str(os.getpid())], check=True, capture_output=True)  # noqa: S603
        print(f"callgrind: {len(batch)} requests of {args.callgrind}")
        if args.callgrind in ("review", "submit"):
            Application.objects.filter(pk__in=[pk for _, pk in batch]).update(
                status="draft", submitted_at=None, status_changed_at=None
            )
        return
    with connection.execute_wrapper(counter):
        for r in range(args.rounds):
            batch = users[r * args.requests : (r + 1) * args.requests]
            for cookies, pk in batch:
                timed("minimal", minimal, cookies, pk)
                token = timed("review", review, cookies, pk)
                timed("submit", submit, cookies, pk, token)
                timed("status", status_page, cookies, pk)
    base = statistics.median(times["minimal"])
    print(
        f"\n{'request':10} {'median ms':>9} {'p90 ms':>7} {'mean ms':>7} {'× minimal':>9} {'queries':>7} "
        f"{'PG ms':>6}"
    )
    for kind in KINDS:
        values = sorted(times[kind])
        median = statistics.median(values)
        p90 = values[int(0.9 * (len(values) - 1))]
        print(
            f"{kind:10} {median * 1000:9.2f} {p90 * 1000:7.2f} {statistics.mean(values) * 1000:7.2f} "
            f"{median / base:9.2f} "
            f"{statistics.median(counts[kind]):7.0f} {pg_cpu[kind] / len(values) * 1000:6.2f}"
        )
    mean_ratio = (statistics.mean(times["review"]) + statistics.mean(times["submit"])) / 2
    print(f"mean flow request / mean minimal: {mean_ratio / statistics.mean(times['minimal']):.2f}")
    flow = statistics.median(times["review"]) + statistics.median(times["submit"])
    print(
        f"flow request (mean of review and submit): {flow / 2 * 1000:.2f} ms"
        f" = {flow / 2 / base:.2f} × minimal"
    )
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        print(out.getvalue())
        if args.dump:
            stats.dump_stats(args.dump)
    if args.reuse:  # the submitted drafts become drafts again, for the next run
        Application.objects.filter(pk__in=[pk for _, pk in drafts]).update(
            status="draft", submitted_at=None, status_changed_at=None
        )
    else:
        from django.db import connections

        connections.close_all()
        bench.database_recreate(args.server_url, args.database, create=False)
        marker.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
