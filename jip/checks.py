"""System checks of the deployment: outside the local, test and benchmark settings, tasks need a broker and
the cache must be shared, or a failed mail would be lost in-process and each process would keep its own
rate limits and cached reads."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register()
def tasks_broker_and_shared_cache_check(app_configs, **kwargs) -> list[Error]:
    if getattr(settings, "JIP_TASKS_IN_PROCESS_ALLOWED", False):
        return []
    errors = []
    broker = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not broker or broker.startswith("memory://"):
        errors.append(
            Error(
                "No message broker: CELERY_BROKER_URL is not set (set REDIS_URL).",
                hint="Tasks must go through a broker to a worker; only the local and test settings run them "
                "in-process.",
                id="jip.E001",
            )
        )
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        errors.append(
            Error(
                "Tasks would run in-process (CELERY_TASK_ALWAYS_EAGER is on).",
                hint="Turn it off and run a worker; only the local and test settings run tasks in-process.",
                id="jip.E002",
            )
        )
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        errors.append(
            Error(
                f"The default cache is not shared between processes ({backend}).",
                hint="Use a shared cache such as Redis (set REDIS_URL): rate limits and cached reads must be "
                "the same in every process.",
                id="jip.E003",
            )
        )
    return errors
