"""The Celery app. Every task is a `jip.tasks.JipTask` (one retry policy), queued by `jip.tasks.task_enqueue`.
With a broker (REDIS_URL) a worker and beat run the tasks; without one, only the local, test and benchmark
settings run them in-process, through Celery's eager path (production's system check refuses it)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jip.settings.local")

app = Celery("jip", task_cls="jip.tasks:JipTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
