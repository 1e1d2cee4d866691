"""Benchmark settings (scripts/bench_applications.py): production-like, on plain HTTP at 127.0.0.1.

Same apps and middleware as production, DEBUG off, WhiteNoise serving collected static files, the
database from DATABASE_URL with production's persistent connections and prepared statements; only the
HTTPS-only settings and the manifest storage are left out, and the URLconf adds one minimal view to compare
against.
"""

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, VAR_DIR, env
from .postgres import prepare_options

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "jip.bench_urls"
STATIC_ROOT = VAR_DIR / "bench-static"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# As production: persistent database connections, PostgreSQL's prepared statements.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(prepare_options(env))
# As the embedded default: without REDIS_URL the mails go through the in-process task.
JIP_TASKS_IN_PROCESS_ALLOWED = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
