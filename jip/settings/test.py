"""Settings for the test suite: fast hashing, mail kept in memory, the database from DATABASE_URL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# The default cache in memory whether or not REDIS_URL is set (tests clear it between them); the fragments'
# cache is base's, as in production.
CACHES["default"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "default",
}
# The same session store with or without REDIS_URL, so query counts are the same locally and in CI.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Tests exercise the embedded default (tasks in-process); the Celery worker test brings its own broker.
JIP_TASKS_IN_PROCESS_ALLOWED = True
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True  # a broken task fails its test
CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = "cache+memory://"
STORAGES["default"]["OPTIONS"]["location"] = BASE_DIR / "var" / "test-private"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic before tests
WHITENOISE_USE_FINDERS = True

if env.bool("JIP_TEST_CELERY_WORKER", default=False):  # the real worker a test starts
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL  # noqa: F405
