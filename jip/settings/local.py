"""The embedded default: SQLite, tasks in-process, mail printed to the console."""

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Without REDIS_URL, tasks run in-process through Celery's eager path (same retries and failure logging).
JIP_TASKS_IN_PROCESS_ALLOWED = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
