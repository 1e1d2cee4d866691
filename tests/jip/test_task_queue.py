"""task_queue: in-process without a broker (run at once, a failure logged), published to the broker with one."""

import logging

import pytest
from celery import current_app
from celery.signals import before_task_publish
from django.core import mail

from jip.models import User
from jip.tasks import task_queue, user_mail_send

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_in_process_the_task_runs_at_once():
    user = UserFactory(email="now@applicant.example", preferred_language="en")
    task_queue(user_mail_send, user.pk, "jip/email/welcome")
    assert [m.to for m in mail.outbox] == [["now@applicant.example"]]


def test_in_process_a_failure_is_raised_where_the_settings_say_so():
    assert current_app.conf.task_eager_propagates  # the test settings: a broken task fails its test
    with pytest.raises(User.DoesNotExist):
        task_queue(user_mail_send, 0, "jip/email/welcome")


def test_in_process_a_failure_is_logged_and_the_caller_goes_on(monkeypatch, caplog):
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)
    with caplog.at_level(logging.ERROR, logger="jip.tasks"):
        task_queue(user_mail_send, 0, "jip/email/welcome")
    assert mail.outbox == []
    (record,) = caplog.records
    assert record.getMessage() == "Task jip.tasks.user_mail_send failed in-process"
    assert record.exc_info[0] is User.DoesNotExist


def test_with_a_broker_the_task_is_published_not_run(monkeypatch):
    published = []

    def record(sender=None, body=None, **kwargs):
        published.append((sender, list(body[0])))

    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    before_task_publish.connect(record, weak=False)
    try:
        task_queue(user_mail_send, 42, "jip/email/welcome")  # the test broker is memory://
    finally:
        before_task_publish.disconnect(record)
    assert published == [("jip.tasks.user_mail_send", [42, "jip/email/welcome"])]
    assert mail.outbox == []
