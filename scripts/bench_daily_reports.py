"""Benchmark of the daily reports, run by hand; prints its figures (docs/benchmarks.md keeps them).

    .venv/bin/python scripts/bench_daily_reports.py [--interns 100] [--days 60] [--waiting 500]
        [--repeat 15] [--server-url postgres://postgres@127.0.0.1:5432/postgres] [--keep]

Not part of the test suite. Drops and creates the PostgreSQL database `jip_bench_daily_reports`, migrates it
and, in a child process on the benchmark settings (production-like, DEBUG off), seeds FY2024 with `--interns`
interns under way, each on a term of `--days` activity days that ended yesterday (Japan time), with their
reports: most approved, some submitted, returned or in draft, a few days never written; one host company hosts
ten of them, whose latest `--waiting` reports wait for it. Then it measures, in-process through the whole
middleware stack (Django's test client, so network time is left out):

1. the office's compliance page of the cycle (every intern, every day): server time over `--repeat` requests
   after one warm-up, and the queries; again filtered to the online course (a third of the interns), whose
   query count must be the same (target: median under 300 ms);
2. the host company's inbox with its `--waiting` waiting reports: server time and queries;
3. the intern reminders' run at 21:00 JST on the last day of the term (no intern has written it yet) and the
   company reminders' run (one mail per manager of a company with reports over the limit): time and mails
   sent (mails kept in memory; tasks run in-process).

The database is removed afterwards (unless `--keep`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run from anywhere, without installing

NAME = "jip_bench_daily_reports"
TARGET_COMPLIANCE_MS = 300
HOSTS_OF_THE_INBOX = 10


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def database_recreate(server_url: str, *, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(NAME)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(NAME)))


# --- In the child process: seed, then measure --------------------------------------------------------


def _seed(*, interns: int, days: int, waiting: int) -> dict:
    import datetime as dt
    import random

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from applicants.models import Application
    from companies.models import CompanyManager, HostCompany, Position
    from internships.calendar import WorkCalendar
    from internships.models import DailyReport, DailyReportStatus, Internship, InternshipStatus
    from jip import clock
    from jip import services as jip_services
    from jip.models import User
    from matching.models import Match, MatchingRound
    from matching.services import placement_create

    R = DailyReportStatus
    rng = random.Random(13)
    cycle = jip_services.cycle_load_file(name="fy2024")
    staff = jip_services.staff_member_create(email="office@bench.example", password=None)
    TOTP.activate(staff, generate_totp_secret())
    today = clock.today_jst()
    ends_on = today - dt.timedelta(days=1)
    calendar = WorkCalendar()
    starts_on = ends_on
    while len(calendar.activity_days(starts_on, ends_on)) < days:
        starts_on -= dt.timedelta(days=1)
    term = calendar.activity_days(starts_on, ends_on)
    rnd = MatchingRound.objects.create(cycle=cycle, number=1, status="published")
    inbox = HostCompany.objects.create(
        name_ja="株式会社ベンチ精工", name_en="Bench Seiko Co., Ltd.", corporate_number="9000000000001",
        status="approved", contact_name="Sato Kenji",
    )  # fmt: skip
    manager = User.objects.create_user(email="manager@bench.example", password=None)
    CompanyManager.objects.create(company=inbox, user=manager)
    hosted = []
    for i in range(interns):
        if i < HOSTS_OF_THE_INBOX:
            company = inbox
        else:  # a company of its own, with its manager
            company = HostCompany.objects.create(
                name_ja=f"株式会社ベンチ{i}", name_en=f"Bench {i} Co., Ltd.", corporate_number=f"{i:013d}",
                status="approved", contact_name="Sato Kenji",
            )  # fmt: skip
            CompanyManager.objects.create(
                company=company,
                user=User.objects.create_user(email=f"manager{i}@bench.example", password=None),
            )
        position = Position.objects.create(
            company=company, cycle=cycle, title="Production engineering assistant", role_and_goals="Measure.",
            course="in_person" if i % 3 else "online", place_prefecture="23", place_city="Nagoya",
            starts_on=starts_on, ends_on=ends_on, hours_per_week=35, mentor_name="Suzuki Hanako",
            status="approved",
        )  # fmt: skip
        application = Application.objects.create(
            cycle=cycle, applicant=User.objects.create_user(email=f"intern{i}@bench.example", password=None),
            number=f"JIP24-{i:06d}", status="pool", family_name="Nguyen", given_names=f"An {i}",
            nationality="VN", residence_country="VN",
        )  # fmt: skip
        match = Match.objects.create(
            round=rnd, application=application, position=position, course=position.course,
            applicant_decision="accepted", company_decision="accepted",
        )  # fmt: skip
        hosted.append(placement_create(match=match, by=None).internship)
    Internship.objects.filter(pk__in=[i.pk for i in hosted]).update(status=InternshipStatus.IN_PROGRESS)
    per_host = -(-waiting // HOSTS_OF_THE_INBOX)
    rows = []
    for index, internship in enumerate(hosted):
        for position, day in enumerate(term[:-1]):  # the last day is left for the reminders
            at = dt.datetime.combine(day, dt.time(18), tzinfo=clock.JST)
            if index < HOSTS_OF_THE_INBOX:
                status = R.SUBMITTED if position >= len(term) - 1 - per_host else R.APPROVED
            else:
                draw = rng.random()
                if draw < 0.03:
                    continue  # never written
                status = R.APPROVED if draw < 0.85 else R.SUBMITTED if draw < 0.93 else R.RETURNED
            rows.append(
                DailyReport(
                    internship=internship, day=day, status=status, hours="7.5", mode="in_person",
                    activities="Measured the machining line with the production engineering team.",
                    learned="How the team traces rework to its cause.", next_plan="Draw the Pareto chart.",
                    first_submitted_at=at, submitted_at=at, reviewed_at=None if status == R.SUBMITTED else at,
                    company_comment="Add the numbers." if status == R.RETURNED else "",
                )
            )  # fmt: skip
    DailyReport.objects.bulk_create(rows, batch_size=2000)
    waiting_in_inbox = DailyReport.objects.filter(
        status=R.SUBMITTED, internship__placement__position__company=inbox
    ).count()
    return {
        "cycle": cycle.pk, "inbox": inbox.pk, "staff": staff.pk, "manager": manager.pk, "reports": len(rows),
        "waiting": waiting_in_inbox, "last_day": term[-1].isoformat(), "term": [starts_on.isoformat(),
        ends_on.isoformat()], "activity_days": len(term),
    }  # fmt: skip


def _measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: templates, translations, the first connection
    assert response.status_code == 200, (url, response.status_code)
    times, queries = [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
        queries.add(len(captured))
    return {
        "median_ms": statistics.median(times) * 1000, "p95_ms": percentile(times, 0.95) * 1000,
        "max_ms": max(times) * 1000, "queries": sorted(queries), "bytes": len(response.content),
        "rows": len(response.context["rows"]) if response.context and "rows" in response.context else None,
    }  # fmt: skip


def _run_in_child(args: argparse.Namespace) -> None:
    import datetime as dt

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "jip.settings.bench"
    django.setup()
    from django.core import mail
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from internships.services import daily_reports as services
    from jip import clock
    from jip.models import User

    setup_test_environment()  # mail kept in memory, responses carry their context
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        seeded = _seed(interns=args.interns, days=args.days, waiting=args.waiting)
        office = Client()
        office.force_login(User.objects.get(pk=seeded["staff"]))
        compliance_url = f"/admin/internships/dailyreport/compliance/?cycle={seeded['cycle']}"
        compliance = _measure(office, compliance_url, args.repeat)
        online = _measure(office, f"{compliance_url}&course=online", args.repeat)
        company = Client()
        company.force_login(User.objects.get(pk=seeded["manager"]))
        inbox = _measure(company, "/internship/company/reports/", args.repeat)
        last_day = dt.date.fromisoformat(seeded["last_day"])
        mail.outbox = []
        started = time.perf_counter()
        # 21:00 in Japan is past the cycle's 18:00 for the online interns in Viet Nam (UTC+7) too.
        evening = dt.datetime.combine(last_day, dt.time(21), tzinfo=clock.JST)
        reminded = services.intern_reminders_send(now=evening)
        intern_run_s = time.perf_counter() - started
        intern_mails = len(mail.outbox)
        mail.outbox = []
        started = time.perf_counter()
        company_reminded = services.company_reminders_send(now=evening)
        company_run_s = time.perf_counter() - started
        company_mails = len(mail.outbox)
    print(json.dumps({
        "seeded": seeded, "compliance": compliance, "online": online, "inbox": inbox,
        "intern_reminders": {"reminded": reminded, "mails": intern_mails, "seconds": intern_run_s},
        "company_reminders": {"reports": company_reminded, "mails": company_mails, "seconds": company_run_s},
    }))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interns", type=int, default=100)
    parser.add_argument("--days", type=int, default=60, help="activity days of each intern's term")
    parser.add_argument("--waiting", type=int, default=500, help="reports waiting in one company's inbox")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--server-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        _run_in_child(args)
        return 0

    print(f"machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    database_url = args.server_url.rsplit("/", 1)[0] + "/" + NAME
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jip.settings.bench", "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)  # tasks in-process: the mails are counted here
    database_recreate(args.server_url)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], cwd=BASE_DIR, env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        child = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--_child", "--interns", str(args.interns), "--days", str(args.days),
             "--waiting", str(args.waiting), "--repeat", str(args.repeat)],
            cwd=BASE_DIR, env=env, check=False, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        if not args.keep:
            database_recreate(args.server_url, create=False)
    if child.returncode != 0:
        raise SystemExit(child.stdout + child.stderr)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    seeded, compliance, online, inbox = (
        figures["seeded"],
        figures["compliance"],
        figures["online"],
        figures["inbox"],
    )
    print(
        f"seeded: {args.interns} interns, terms {seeded['term'][0]} – {seeded['term'][1]} "
        f"({seeded['activity_days']} activity days), {seeded['reports']:,} reports"
    )
    verdict = "PASS" if compliance["median_ms"] < TARGET_COMPLIANCE_MS else "FAIL"
    constant = compliance["queries"] == online["queries"] and len(compliance["queries"]) == 1
    print(
        f"compliance, {compliance['rows']} interns: median {compliance['median_ms']:.0f} ms, p95 "
        f"{compliance['p95_ms']:.0f} ms, max {compliance['max_ms']:.0f} ms over {args.repeat} requests, "
        f"queries {compliance['queries']} — {verdict} (target: median < {TARGET_COMPLIANCE_MS} ms)"
    )
    print(
        f"compliance, online course only ({online['rows']} interns): median {online['median_ms']:.0f} ms, "
        f"queries {online['queries']} — queries {'constant' if constant else 'NOT constant'}"
    )
    print(
        f"company inbox, {seeded['waiting']} waiting reports: median {inbox['median_ms']:.0f} ms, p95 "
        f"{inbox['p95_ms']:.0f} ms, queries {inbox['queries']}, {inbox['bytes']:,} bytes of HTML"
    )
    interns, companies = figures["intern_reminders"], figures["company_reminders"]
    print(
        f"intern reminders for {args.interns} interns: {interns['reminded']} reminded, {interns['mails']} "
        f"mails sent in {interns['seconds']:.2f} s"
    )
    print(
        f"company reminders: {companies['reports']} reports over the limit, {companies['mails']} mails sent "
        f"in {companies['seconds']:.2f} s"
    )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0 if verdict == "PASS" and constant else 1


if __name__ == "__main__":
    sys.exit(main())
