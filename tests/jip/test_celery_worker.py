"""A task goes through Redis to a real Celery worker, which reads the database and answers."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from ..factories import UserFactory
from ..services import redis_url, require

ROOT = Path(__file__).resolve().parents[2]


def _database_url_for_a_second_process() -> str | None:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return None  # SQLite's test database lives in this process's memory


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_on_a_real_worker_through_redis():
    require(bool(redis_url()), "REDIS_URL is not set: no broker for a real Celery worker")
    database_url = _database_url_for_a_second_process()
    require(
        database_url is not None, "the worker needs a database it can reach (set DATABASE_URL to PostgreSQL)"
    )

    user = UserFactory(email="worker@applicant.example", preferred_language="ja")
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jip.settings.test",
        "JIP_TEST_CELERY_WORKER": "1",
        "DATABASE_URL": database_url,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jip",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = Celery(broker=redis_url(), backend=redis_url(), set_as_current=False)
    try:
        result = client.send_task(
            "jip.tasks.user_mail_send", args=[user.pk, "jip/email/welcome"], queue=queue
        )
        answer = result.get(timeout=90)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
        client.close()
    assert answer == {
        "sent": 1,
        "to": "worker@applicant.example",
        "subject": "【JIP】アカウントの準備ができました",
        "language": "ja",
    }, output
    assert "jip.tasks.user_mail_send" in output
