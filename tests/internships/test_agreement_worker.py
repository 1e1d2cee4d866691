"""Agreements generated through a real Celery worker on Redis: the batch task, then each render task, run in
a worker process that reads PostgreSQL and writes the PDFs to the shared private storage."""

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.core.files.storage import default_storage

from internships.models import AgreementVersion, GenerationBatch, VersionStatus
from internships.services import agreements as services

from ..factories import HostCompanyFactory
from ..jip.test_celery_worker import _database_url_for_a_second_process
from ..services import redis_url, require
from .test_agreement_fixtures import place

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_cycles_agreements_are_generated_and_rendered_by_a_real_worker(fy2024, monkeypatch):
    require(bool(redis_url()), "REDIS_URL is not set: no broker for a real Celery worker")
    database_url = _database_url_for_a_second_process()
    require(
        database_url is not None, "the worker needs a database it can reach (set DATABASE_URL to PostgreSQL)"
    )
    services.agreement_templates_load_defaults()
    company = HostCompanyFactory(name_ja="株式会社ワーカー精機", name_en="Worker Seiki Co., Ltd.")
    placements = [place(company=company, fy2024=fy2024) for _ in range(2)]

    # The batch is queued to the worker's private queue instead of running here, as it would without a broker.
    sent = []
    monkeypatch.setattr(services, "task_enqueue", lambda name, *args: sent.append((name, args)))
    batch = services.agreement_batch_start(cycle=fy2024, by=None)
    assert sent == [("internships.tasks.agreement_batch_generate", (batch.pk,))]

    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jip.settings.test",
        "JIP_TEST_CELERY_WORKER": "1",
        "DATABASE_URL": database_url,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "jip", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
         "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # Not the current app: the tasks queued later in this process must still run in-process.
    client = Celery(broker=redis_url(), backend=redis_url(), set_as_current=False)
    try:
        answer = client.send_task(
            "internships.tasks.agreement_batch_generate", args=[batch.pk], queue=queue
        ).get(timeout=120)
        # Its render tasks went to the same queue; the last one's result says the batch is rendered.
        versions = list(AgreementVersion.objects.filter(batch=batch))
        results = [
            client.send_task("internships.tasks.agreement_render", args=[v.pk], queue=queue).get(timeout=120)
            for v in versions
        ]
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
        client.close()
    assert answer == {"batch": batch.pk, "total": 4, "unchanged": 0, "refused": 0}, output
    assert len(versions) == 4
    assert GenerationBatch.objects.get(pk=batch.pk).finished_at is not None
    for version, result in zip(versions, results, strict=True):
        version.refresh_from_db()
        assert version.status == VersionStatus.READY, (version.error, output)
        with default_storage.open(version.file.name, "rb") as fh:
            content = fh.read()
        assert content.startswith(b"%PDF-")
        assert hashlib.sha256(content).hexdigest() == version.sha256 == result["sha256"]
        default_storage.delete(version.file.name)
    assert "internships.tasks.agreement_render" in output
    assert len(placements) == 2
