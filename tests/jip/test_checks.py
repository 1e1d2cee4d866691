"""The deployment check: outside the local, test and benchmark settings, a broker and a shared cache."""

import pytest

from jip.checks import tasks_broker_and_shared_cache_check

REDIS = "redis://127.0.0.1:6379/0"
REDIS_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def production(settings):
    """Production's choices: no in-process tasks; a broker, a shared cache and a worker."""
    settings.JIP_TASKS_IN_PROCESS_ALLOWED = False
    settings.CELERY_BROKER_URL = REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = REDIS_CACHE
    return settings


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_a_broker_and_a_shared_cache_pass(production):
    assert tasks_broker_and_shared_cache_check(None) == []


@pytest.mark.parametrize("broker", ["", None, "memory://", "memory://localhost/"])
def test_no_real_broker_fails(production, broker):
    production.CELERY_BROKER_URL = broker
    assert ids(tasks_broker_and_shared_cache_check(None)) == ["jip.E001"]


def test_tasks_in_process_fail(production):
    production.CELERY_TASK_ALWAYS_EAGER = True
    assert ids(tasks_broker_and_shared_cache_check(None)) == ["jip.E002"]


@pytest.mark.parametrize("caches", [LOCMEM, DUMMY])
def test_a_per_process_cache_fails(production, caches):
    production.CACHES = caches
    (error,) = tasks_broker_and_shared_cache_check(None)
    assert error.id == "jip.E003"
    assert caches["default"]["BACKEND"] in error.msg


def test_everything_missing_fails_on_every_count(production):
    production.CELERY_BROKER_URL = ""
    production.CELERY_TASK_ALWAYS_EAGER = True
    production.CACHES = LOCMEM
    assert ids(tasks_broker_and_shared_cache_check(None)) == ["jip.E001", "jip.E002", "jip.E003"]


def test_the_local_and_test_settings_may_run_tasks_in_process(production):
    production.JIP_TASKS_IN_PROCESS_ALLOWED = True
    production.CELERY_BROKER_URL = "memory://"
    production.CELERY_TASK_ALWAYS_EAGER = True
    production.CACHES = LOCMEM
    assert tasks_broker_and_shared_cache_check(None) == []
