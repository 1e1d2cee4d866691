"""The one task path: `task_enqueue` queues on commit, by name, plain JSON only, to the running task's queue;
every task is a JipTask, and in-process a task runs through Celery's eager path, so its retries and its failure
handling are Celery's, as in a worker."""

import ast
import datetime as dt
import logging
import smtplib
from decimal import Decimal
from pathlib import Path

import pytest
from celery import current_app, shared_task
from celery.exceptions import NotRegistered
from celery.signals import before_task_publish
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils.translation import gettext_lazy

from jip.models import User
from jip.tasks import TRANSIENT_ERRORS, JipTask, task_enqueue, task_registered

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

WELCOME = "jip.tasks.user_mail_send"


class FlakyBackend(locmem.EmailBackend):
    """The in-memory backend behind a mail server that drops the first `failures` connections."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    monkeypatch.setattr(FlakyBackend, "attempts", 0)
    monkeypatch.setattr(FlakyBackend, "failures", 0)
    return FlakyBackend


@pytest.fixture
def as_in_local(monkeypatch):
    """The local settings' choice: a failing task is Celery's to log, not the caller's to raise."""
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)


@pytest.fixture
def published(monkeypatch):
    """With a broker (the test one is memory://): what is published, by name, arguments and routing key."""
    messages = []

    def record(sender=None, body=None, routing_key=None, **kwargs):
        messages.append((sender, list(body[0]), routing_key))

    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    before_task_publish.connect(record, weak=False)
    yield messages
    before_task_publish.disconnect(record)


@pytest.fixture
def user():
    return UserFactory(email="now@applicant.example", preferred_language="en")


@shared_task(name="tests.jip.test_tasks.welcome_relay")
def welcome_relay(user_id: int) -> None:
    """A task that queues another, as the agreements' batch queues its renders."""
    task_enqueue(WELCOME, user_id, "jip/email/welcome")


# --- On commit, by name, plain JSON ---------------------------------------------------------------------


def test_the_task_is_queued_when_the_transaction_commits(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        task_enqueue(WELCOME, user.pk, "jip/email/welcome")
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["now@applicant.example"]]


def test_nothing_is_queued_when_the_transaction_rolls_back(user, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        task_enqueue(WELCOME, user.pk, "jip/email/welcome")
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert mail.outbox == []


def test_a_task_object_is_queued_the_same_way(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(task_registered(WELCOME), user.pk, "jip/email/welcome")
    assert len(mail.outbox) == 1


def test_an_unknown_name_is_refused_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(NotRegistered):
        task_enqueue("jip.tasks.no_such_task", 1)
    assert callbacks == []


@pytest.mark.parametrize(
    ("argument", "complaint"),
    [
        (dt.date(2024, 6, 30), "arguments[1] is a date"),
        (Decimal("6.5"), "arguments[1] is a Decimal"),
        (gettext_lazy("Draft"), "arguments[1] is a __proxy__"),
        ({"days": {1, 3}}, "arguments[1]['days'] is a set"),
        ({1: "one"}, "arguments[1] has the key 1"),
        (
            [{"ok": 1}, {"when": dt.datetime(2024, 6, 30, tzinfo=dt.UTC)}],
            "arguments[1][1]['when'] is a datetime",
        ),
    ],
)
def test_an_argument_that_is_not_plain_json_is_refused(
    user, argument, complaint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TypeError) as refused:
        task_enqueue(WELCOME, user.pk, argument)
    assert str(refused.value).startswith(f"{WELCOME}'s {complaint}")
    assert callbacks == []


def test_a_model_instance_is_refused(user):
    with pytest.raises(TypeError, match=r"arguments\[0\] is a User: a task takes plain JSON"):
        task_enqueue(WELCOME, user, "jip/email/welcome")


def test_plain_values_nested_are_accepted(user, published, django_capture_on_commit_callbacks):
    context = {"days": 3, "ratio": 0.5, "again": True, "none": None, "names": ["An", "Binh"]}
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(WELCOME, user.pk, "jip/email/welcome", context)
    assert published == [(WELCOME, [user.pk, "jip/email/welcome", context], "celery")]


# --- To the broker, and to the running task's queue ------------------------------------------------------


def test_with_a_broker_the_task_is_published_not_run(user, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(WELCOME, user.pk, "jip/email/welcome")
    assert published == [(WELCOME, [user.pk, "jip/email/welcome"], "celery")]
    assert mail.outbox == []


def test_a_tasks_follow_up_goes_to_the_queue_the_task_came_from(
    user, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        # Run here as a worker consuming the queue "test-private" runs it (apply always runs in-process).
        welcome_relay.apply(args=[user.pk], routing_key="test-private")
    assert published == [(WELCOME, [user.pk, "jip/email/welcome"], "test-private")]
    assert mail.outbox == []


# --- One base task, Celery's retries and failure handling in-process ----------------------------------------


def test_every_task_is_a_jip_task_with_its_retry_policy():
    ours = {name: task for name, task in current_app.tasks.items() if not name.startswith("celery.")}
    assert {
        "applicants.tasks.application_mail_send",
        "applicants.tasks.draft_reminders_send",
        "companies.tasks.company_mail_send",
        "companies.tasks.invitation_mail_send",
        "internships.tasks.agreement_batch_generate",
        "internships.tasks.agreement_mail_send",
        "internships.tasks.agreement_ready_notify",
        "internships.tasks.agreement_render",
        "jip.tasks.user_mail_send",
        "matching.tasks.matching_mail_send",
    } <= set(ours)
    for name, task in ours.items():
        assert isinstance(task, JipTask), name
        assert task.autoretry_for == TRANSIENT_ERRORS, name
        assert task.max_retries >= 3 and task.retry_backoff, name


def test_in_process_a_transient_mail_failure_is_retried_by_celery(
    user, flaky_mail, as_in_local, django_capture_on_commit_callbacks, caplog
):
    flaky_mail.failures = 2
    with (
        caplog.at_level(logging.INFO, logger="celery.app.trace"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        task_enqueue(WELCOME, user.pk, "jip/email/welcome")
    assert flaky_mail.attempts == 3
    assert [m.to for m in mail.outbox] == [["now@applicant.example"]]
    retries = [r for r in caplog.records if "retry" in r.getMessage().lower()]
    assert len(retries) == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_in_process_a_mail_server_that_stays_down_is_logged_after_the_retries(
    user, flaky_mail, as_in_local, django_capture_on_commit_callbacks, caplog
):
    flaky_mail.failures = 100
    with (
        caplog.at_level(logging.ERROR, logger="celery.app.trace"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        task_enqueue(WELCOME, user.pk, "jip/email/welcome")  # the caller goes on
    assert flaky_mail.attempts == 1 + JipTask.max_retries
    assert mail.outbox == []
    (record,) = caplog.records
    assert record.name == "celery.app.trace"
    assert WELCOME in record.getMessage()
    assert record.exc_info[0] is smtplib.SMTPServerDisconnected


def test_in_process_a_failure_that_is_not_transient_is_logged_at_once(
    flaky_mail, as_in_local, django_capture_on_commit_callbacks, caplog
):
    with (
        caplog.at_level(logging.INFO, logger="celery.app.trace"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        task_enqueue(WELCOME, 0, "jip/email/welcome")
    assert flaky_mail.attempts == 0
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is User.DoesNotExist


def test_in_the_tests_a_broken_task_fails_its_test(django_capture_on_commit_callbacks):
    assert current_app.conf.task_eager_propagates  # the test settings
    with pytest.raises(User.DoesNotExist), django_capture_on_commit_callbacks(execute=True):
        task_enqueue(WELCOME, 0, "jip/email/welcome")


# --- No import circle ------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    """Every module the file imports, relative imports resolved (`from .. import tasks` is "<app>.tasks")."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("app", ["jip", "applicants", "companies", "matching", "internships"])
def test_services_never_import_their_apps_tasks(app):
    """Services queue tasks by name (`task_enqueue`); tasks import services: one direction only."""
    services = [ROOT / app / "services.py", *sorted((ROOT / app / "services").glob("*.py"))]
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in services
        if path.exists()
        for name in _imported_modules(path)
        if name == f"{app}.tasks" or name.startswith(f"{app}.tasks.")
    }
    assert offenders == set()
