"""Benchmark of the agreement PDFs, run by hand; prints its figures (docs/agreements.md keeps them).

    .venv/bin/python scripts/bench_agreements.py [--renders 30] [--placements 50] [--concurrency 2]
        [--server-url postgres://postgres@127.0.0.1:5432/postgres] [--keep]

Not part of the test suite. Two parts:

1. One agreement: waits (up to `--quiet-wait` s) for other processes to leave the CPUs idle, then renders
   the default host-company agreement (4 pages, English and Japanese) from a sample snapshot `--renders`
   times in this process, after one warm-up render, and prints the median, the 95th percentile and the
   slowest wall time, and the median CPU time. Target: median under 0.5 s.
2. A cycle's agreements through the worker, when REDIS_URL is set: drops and creates the PostgreSQL database
   `jip_bench_agreements`, migrates it, seeds FY2024 with `--placements` placements (two agreements each:
   50 placements make the 100 agreements of a cycle), starts a real Celery worker (`--concurrency`
   processes) on a private queue, queues the batch there as "Generate all agreements of a cycle" does, and
   times it from queuing to the last PDF ready; then checks every stored PDF's SHA-256. The database and the
   worker's files are removed afterwards (unless `--keep`).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run from anywhere, without installing

TARGET_MEDIAN_S = 0.5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def setup_django(settings: str, database_url: str | None = None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    logging.getLogger("celery").setLevel(logging.WARNING)


def bench_one(renders: int) -> dict:
    from internships import pdf
    from internships.services.agreements import SAMPLE_SNAPSHOT, default_template_texts

    snapshot = {**SAMPLE_SNAPSHOT, "kind": "company", "text": default_template_texts("company")}

    def render() -> bytes:
        html = pdf.agreement_html(snapshot=snapshot, number=1, created_on="2024-09-02")
        return pdf.pdf_write(html)

    started = time.perf_counter()
    content = render()  # warm-up: fonts, templates, caches
    first = time.perf_counter() - started
    times, cpu = [], []
    busy_before = others_busy()
    for _ in range(renders):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "first_s": first,
        "median_s": statistics.median(times),
        "p95_s": percentile(times, 0.95),
        "max_s": max(times),
        "cpu_median_s": statistics.median(cpu),
        "size": len(content),
        "renders": renders,
        "others_busy_cores": busy_before,
    }


def _cpu_ticks() -> tuple[int, int]:
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def others_busy(seconds: float = 1.0) -> float:
    """How many cores other processes kept busy over `seconds` (this process is idle meanwhile)."""
    busy_0, total_0 = _cpu_ticks()
    time.sleep(seconds)
    busy_1, total_1 = _cpu_ticks()
    return (os.cpu_count() or 1) * (busy_1 - busy_0) / max(1, total_1 - total_0)


def wait_for_quiet(limit_s: float) -> float:
    """Waits (up to `limit_s`) until other processes use under a quarter of a core; returns that figure."""
    deadline = time.monotonic() + limit_s
    busy = others_busy()
    while busy > 0.25 and time.monotonic() < deadline:
        time.sleep(4)
        busy = others_busy()
    return busy


def database_recreate(server_url: str, name: str, *, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def bench_cycle(*, placements: int, concurrency: int, server_url: str, keep: bool) -> dict:
    """Runs in a child process of its own (Django set up there for the benchmark database)."""
    name = "jip_bench_agreements"
    database_url = server_url.rsplit("/", 1)[0] + "/" + name
    storage = BASE_DIR / "var" / "bench-agreements"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jip.settings.bench",
        "DATABASE_URL": database_url,
        "JIP_PRIVATE_MEDIA_ROOT": str(storage),
    }
    database_recreate(server_url, name)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=BASE_DIR, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    child = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--_cycle", str(placements), "--concurrency", str(concurrency)],
        cwd=BASE_DIR, env=env, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if not keep:
        database_recreate(server_url, name, create=False)
        subprocess.run(["rm", "-rf", str(storage)], check=False)  # noqa: S603, S607
    if child.returncode != 0:
        raise SystemExit(child.stdout + child.stderr)
    import json

    return json.loads(child.stdout.strip().splitlines()[-1])


def _cycle_in_child(placements: int, concurrency: int) -> None:
    import datetime as dt
    import hashlib
    import json

    setup_django("jip.settings.bench")
    from celery import Celery
    from django.core.files.storage import default_storage

    from applicants.models import Application
    from companies.models import HostCompany, Position
    from internships.models import AgreementVersion, GenerationBatch, VersionStatus
    from internships.services import agreements as services
    from jip import services as jip_services
    from jip.models import User
    from matching.models import Match, MatchingRound
    from matching.services import placement_create

    cycle = jip_services.cycle_load_file(name="fy2024")
    services.agreement_templates_load_defaults()
    rnd = MatchingRound.objects.create(cycle=cycle, number=1, status="published")
    for i in range(placements):
        user = User.objects.create_user(email=f"intern{i}@bench.example", password=None)
        company = HostCompany.objects.create(
            name_ja=f"株式会社ベンチ精工{i}", name_en=f"Bench Seiko {i} Co., Ltd.",
            corporate_number=f"{i:013d}", status="approved", contact_name="Sato Kenji",
        )  # fmt: skip
        position = Position.objects.create(
            company=company, cycle=cycle, title="Overseas sales assistant", role_and_goals="Market research.",
            course="in_person" if i % 3 else "online", place_prefecture="23", place_city="Nagoya",
            starts_on=dt.date(2024, 10, 1), ends_on=dt.date(2024, 11, 29), hours_per_week=35,
            mentor_name="Suzuki Hanako", status="approved",
        )  # fmt: skip
        application = Application.objects.create(
            cycle=cycle, applicant=user, number=f"JIP24-{i:06d}", status="pool", family_name="Nguyen",
            given_names=f"An {i}", name_ja="グエン・アン", nationality="VN",
        )  # fmt: skip
        match = Match.objects.create(
            round=rnd, application=application, position=position, course=position.course,
            applicant_decision="accepted", company_decision="accepted",
        )  # fmt: skip
        placement_create(match=match, by=None)

    redis_url = os.environ["REDIS_URL"]
    queue = f"bench-{uuid.uuid4().hex}"
    worker_env = {**os.environ}
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "jip", "worker", f"--concurrency={concurrency}", "-Q", queue,
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=BASE_DIR, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    try:
        # Timing starts once the worker listens on its queue, as a running worker would.
        deadline = time.perf_counter() + 120
        while not any(
            queue in {q["name"] for q in queues}
            for queues in (client.control.inspect(timeout=1).active_queues() or {}).values()
        ):
            if time.perf_counter() > deadline:
                raise SystemExit("the worker did not start within 120 s")
        batch = GenerationBatch.objects.create(cycle=cycle, total=placements * 2)
        started = time.perf_counter()
        client.send_task("internships.tasks.agreement_batch_generate", args=[batch.pk], queue=queue)
        queued_s = None
        while True:
            batch.refresh_from_db()
            if batch.finished_at and queued_s is None:
                queued_s = time.perf_counter() - started
            done = AgreementVersion.objects.filter(batch=batch).exclude(status=VersionStatus.PENDING).count()
            if batch.finished_at and done == batch.total:
                break
            if time.perf_counter() - started > 900:
                raise SystemExit("timed out after 900 s")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        client.close()
    versions = list(AgreementVersion.objects.filter(batch=batch))
    intact = 0
    for version in versions:
        with default_storage.open(version.file.name, "rb") as fh:
            intact += hashlib.sha256(fh.read()).hexdigest() == version.sha256
    figures = {
        "agreements": len(versions),
        "ready": sum(v.status == VersionStatus.READY for v in versions),
        "intact": intact,
        "all_ready_s": elapsed,
        "generated_s": queued_s,
        "per_agreement_s": elapsed / max(1, len(versions)),
        "concurrency": concurrency,
    }
    print(json.dumps(figures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--placements", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's processes")
    parser.add_argument("--server-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--quiet-wait", type=float, default=120, help="wait up to this long (s) for the CPUs to be idle first"
    )
    parser.add_argument("--_cycle", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._cycle:
        _cycle_in_child(args._cycle, args.concurrency)
        return 0

    print(f"machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    setup_django("jip.settings.local")
    quiet = wait_for_quiet(args.quiet_wait)
    print(f"other processes before measuring: {quiet:.2f} cores busy")
    one = bench_one(args.renders)
    verdict = "PASS" if one["median_s"] < TARGET_MEDIAN_S else "FAIL"
    print(
        f"one agreement ({one['size']:,} bytes, 4 pages): first {one['first_s']:.3f} s, then over "
        f"{one['renders']} renders median {one['median_s']:.3f} s, p95 {one['p95_s']:.3f} s, "
        f"max {one['max_s']:.3f} s (CPU time median {one['cpu_median_s']:.3f} s) — {verdict} "
        f"(target: median < {TARGET_MEDIAN_S} s)"
    )
    if not os.environ.get("REDIS_URL"):
        print("cycle through the worker: skipped (set REDIS_URL, and PostgreSQL at --server-url)")
        return 0 if verdict == "PASS" else 1
    cycle = bench_cycle(
        placements=args.placements, concurrency=args.concurrency, server_url=args.server_url, keep=args.keep
    )
    print(
        f"cycle through the worker ({cycle['concurrency']} processes): {cycle['agreements']} agreements, "
        f"{cycle['ready']} ready, {cycle['intact']} with an intact SHA-256; all versions made in "
        f"{cycle['generated_s']:.1f} s, all PDFs ready in {cycle['all_ready_s']:.1f} s "
        f"({cycle['per_agreement_s']:.3f} s per agreement)"
    )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    ok = verdict == "PASS" and cycle["ready"] == cycle["intact"] == cycle["agreements"] == 2 * args.placements
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
