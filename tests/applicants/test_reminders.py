"""Deadline reminders: drafts hear 7, 3 and 1 days before the deadline, once each, in their own language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from applicants import services, tasks
from applicants.models import ApplicationStatus, ReminderSent
from jip import clock
from jip import services as cycle_services
from jip.celery import app as celery_app
from tests.factories import UserFactory

JST = clock.JST


def at(day: int, hour: int = 9, month: int = 6) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, 0, tzinfo=JST)


def send(moment: dt.datetime, capture) -> int:
    with capture(execute=True):
        return services.draft_reminders_send(now=moment)


@pytest.mark.parametrize(
    ("moment", "days"),
    [
        (at(22), None),
        (at(23), 7),
        (at(24), None),
        (at(26), None),
        (at(27), 3),
        (at(28), None),
        (at(29), 1),
        (at(29, hour=23), 1),
        (at(30), None),  # the deadline day itself
        (at(1, month=7), None),  # after the deadline
        (at(1, month=4), None),
        # The day is Japan's: 22 June 15:00 UTC is already 23 June in Japan, 14:59 is not.
        (dt.datetime(2024, 6, 22, 15, 0, tzinfo=dt.UTC), 7),
        (dt.datetime(2024, 6, 22, 14, 59, 59, tzinfo=dt.UTC), None),
    ],
)
def test_drafts_are_reminded_7_3_and_1_days_before(draft, django_capture_on_commit_callbacks, moment, days):
    assert send(moment, django_capture_on_commit_callbacks) == (1 if days else 0)
    assert list(ReminderSent.objects.values_list("application_id", "days_before")) == (
        [(draft.pk, days)] if days else []
    )
    if days is None:
        assert mail.outbox == []
        return
    [message] = mail.outbox
    assert message.to == [draft.applicant.email]
    plural = "day" if days == 1 else "days"
    assert message.subject == f"[JIP] {days} {plural} left to submit your application"
    assert "Applications close at the end of June 30, 2024, Japan time (JST)." in message.body


def test_a_reminder_goes_once_even_when_the_job_runs_again(draft, django_capture_on_commit_callbacks):
    assert send(at(23, hour=9), django_capture_on_commit_callbacks) == 1
    assert send(at(23, hour=10), django_capture_on_commit_callbacks) == 0
    assert send(at(23, hour=23), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(application=draft).count() == 1


def test_each_reminder_day_sends_its_own(draft, django_capture_on_commit_callbacks):
    for day in (23, 27, 29):
        assert send(at(day), django_capture_on_commit_callbacks) == 1
    assert sorted(ReminderSent.objects.filter(application=draft).values_list("days_before", flat=True)) == [
        1,
        3,
        7,
    ]
    assert [m.subject for m in mail.outbox] == [
        "[JIP] 7 days left to submit your application",
        "[JIP] 3 days left to submit your application",
        "[JIP] 1 day left to submit your application",
    ]


@pytest.mark.parametrize(
    "status",
    [ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.DOCUMENT_REVIEW],
)
def test_only_drafts_are_reminded(make_draft, django_capture_on_commit_callbacks, status):
    reminded = make_draft()
    make_draft(user=UserFactory(), status=status)
    assert send(at(27), django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [[reminded.applicant.email]]


def test_every_draft_of_the_cycle_is_reminded_and_no_other_cycle(
    make_draft, fy2024, django_capture_on_commit_callbacks
):
    first = make_draft()
    second = make_draft(user=UserFactory())
    fy2025 = cycle_services.cycle_copy(source=fy2024, fiscal_year=2025)  # deadline 30 June 2025
    make_draft(user=UserFactory(), cycle=fy2025)
    assert send(at(29), django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.applicant.email, second.applicant.email])


def test_a_reminder_in_the_applicants_language(make_draft, django_capture_on_commit_callbacks, mails_sent):
    make_draft(user=UserFactory(preferred_language="ja"))
    assert send(at(23), django_capture_on_commit_callbacks) == 1
    [message] = mail.outbox
    assert [m["language"] for m in mails_sent] == ["ja"]
    assert message.body.rstrip().endswith("JIP事務局")
    assert "JIP office" not in message.body


def test_the_beat_task_sends_and_returns_the_count(
    make_draft, time_machine, django_capture_on_commit_callbacks
):
    make_draft()
    make_draft(user=UserFactory())
    time_machine.move_to(at(29, hour=10), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.draft_reminders_send.delay()
    assert result.get() == 2
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.draft_reminders_send.delay().get() == 0
    assert len(mail.outbox) == 2


def test_beat_schedules_the_reminder_task():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "applicants.tasks.draft_reminders_send" in scheduled
    assert tasks.draft_reminders_send.name == "applicants.tasks.draft_reminders_send"
    assert "applicants.tasks.draft_reminders_send" in celery_app.tasks
