"""Reminders of the daily reports (Celery beat): the intern at the cycle's time in their own time zone on an
activity day with no report submitted, never on a weekend, holiday or closure day; the company of the reports
that waited too long; the office's weekly digest. Each is recorded first under a unique constraint, so two
overlapping runs send it exactly once; mails go in the reader's language."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from internships import tasks
from internships.models import (
    ClosurePeriod,
    DailyReportReminder,
    DailyReportSettings,
    MidTermInterview,
    ReminderKind,
)
from internships.selectors import daily_reports as selectors
from internships.services import daily_reports as services
from jip.celery import app as celery_app

from ..factories import CompanyManagerFactory, UserFactory
from ..services import require
from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    approved,
    at,
    clock_at,
    cycle,
    in_person,
    intern_user,
    mails_sent,
    manager_of,
    online,
    submitted,
)

D = dt.date
LIMA = ZoneInfo("America/Lima")


def run(send, moment: dt.datetime, capture) -> int:
    with capture(execute=True):
        return send(now=moment)


# --- The intern ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "reminded"),
    [
        (at(D(2024, 10, 7), 17, 59), False),  # before the cycle's time (18:00)
        (at(D(2024, 10, 7), 18, 0), True),
        (at(D(2024, 10, 7), 23, 30), True),
        (at(D(2024, 10, 5), 18, 0), False),  # a Saturday
        (at(D(2024, 10, 14), 18, 0), False),  # Sports Day
        (at(D(2024, 11, 4), 18, 0), False),  # Culture Day's substitute holiday
        (at(D(2024, 9, 30), 18, 0), False),  # before the term
    ],
)
def test_the_intern_is_reminded_at_the_cycles_time_on_activity_days(
    in_person, django_capture_on_commit_callbacks, moment, reminded
):
    assert run(services.intern_reminders_send, moment, django_capture_on_commit_callbacks) == int(reminded)
    assert [m.to for m in mail.outbox] == ([[intern_user(in_person).email]] if reminded else [])
    if reminded:
        [message] = mail.outbox
        assert message.subject == f"[JIP] Your daily report of {moment.strftime('%b')}. {moment.day}, 2024"
        assert f"/internship/reports/{moment.date().isoformat()}/" in message.body


@pytest.mark.django_db
def test_no_reminder_on_a_closure_day_or_once_submitted(in_person, django_capture_on_commit_callbacks):
    ClosurePeriod.objects.create(
        cycle=in_person.placement.cycle, company=in_person.placement.position.company,
        starts_on=D(2024, 10, 8), ends_on=D(2024, 10, 8), name_en="Stocktaking", name_ja="棚卸し",
    )  # fmt: skip
    assert (
        run(services.intern_reminders_send, at(D(2024, 10, 8), 18), django_capture_on_commit_callbacks) == 0
    )
    submitted(in_person, D(2024, 10, 9), now=at(D(2024, 10, 9), 17))
    assert (
        run(services.intern_reminders_send, at(D(2024, 10, 9), 18), django_capture_on_commit_callbacks) == 0
    )
    # A draft is not submitted: its intern is reminded.
    services.daily_report_draft_save(
        internship=in_person,
        day=D(2024, 10, 10),
        data={"activities": "…"},
        by=None,
        now=at(D(2024, 10, 10), 12),
    )
    assert (
        run(services.intern_reminders_send, at(D(2024, 10, 10), 18), django_capture_on_commit_callbacks) == 1
    )


@pytest.mark.django_db
def test_the_reminder_time_is_the_cycles_and_in_the_interns_zone(
    in_person, online, django_capture_on_commit_callbacks
):
    DailyReportSettings.objects.create(cycle=online.placement.cycle, reminder_time=dt.time(17, 30))
    # 17:30 in Lima on Tuesday 5 November is 07:30 on Wednesday in Tokyo: the online intern is reminded of
    # Tuesday; for the in-person intern in Japan it is Wednesday morning, before their time.
    moment = at(D(2024, 11, 5), 17, 30, zone=LIMA)
    assert run(services.intern_reminders_send, moment, django_capture_on_commit_callbacks) == 1
    [message] = mail.outbox
    assert message.to == [intern_user(online).email]
    assert message.subject == "[JIP] Your daily report of Nov. 5, 2024"
    assert list(DailyReportReminder.objects.values_list("internship_id", "day")) == [
        (online.pk, D(2024, 11, 5))
    ]


@pytest.mark.django_db
def test_a_reminder_in_the_interns_language(in_person, django_capture_on_commit_callbacks, mails_sent):
    user = intern_user(in_person)
    user.preferred_language = "ja"
    user.save()
    run(services.intern_reminders_send, at(D(2024, 10, 7), 18), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "【JIP】2024年10月7日の日報"
    assert [m["language"] for m in mails_sent] == ["ja"]
    assert "JIP office" not in message.body


@pytest.mark.django_db
def test_a_reminder_goes_once_a_day_however_often_the_beat_runs(
    in_person, django_capture_on_commit_callbacks
):
    for hour, minute in ((18, 0), (18, 15), (21, 0), (23, 59)):
        run(
            services.intern_reminders_send,
            at(D(2024, 10, 7), hour, minute),
            django_capture_on_commit_callbacks,
        )
    run(services.intern_reminders_send, at(D(2024, 10, 8), 18), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert sorted(DailyReportReminder.objects.values_list("day", flat=True)) == [
        D(2024, 10, 7),
        D(2024, 10, 8),
    ]


@pytest.mark.django_db
def test_two_overlapping_beats_send_once(in_person, django_capture_on_commit_callbacks, monkeypatch):
    """The second beat runs to its end between the first beat's choice and its sending: the first finds the
    reminder recorded and sends nothing."""
    moment = at(D(2024, 10, 7), 18)
    choose = selectors.interns_to_remind

    def chosen_while_another_beat_runs(**kwargs):
        due = choose(**kwargs)
        monkeypatch.setattr(selectors, "interns_to_remind", choose)
        assert services.intern_reminders_send(now=moment) == 1  # the second beat
        return due

    monkeypatch.setattr(selectors, "interns_to_remind", chosen_while_another_beat_runs)
    assert run(services.intern_reminders_send, moment, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert DailyReportReminder.objects.filter(kind=ReminderKind.INTERN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_the_same_moment_send_once_on_postgresql(cycle):
    """Two beats in their own threads and database connections, started together (PostgreSQL: SQLite has one
    writer and would serialise them)."""
    require(connection.vendor == "postgresql", "needs PostgreSQL (concurrent writers)")
    from .test_daily_reports_fixtures import IN_PERSON_TERM, intern_placed, under_way

    interns = [
        under_way(intern_placed(starts_on=IN_PERSON_TERM[0], ends_on=IN_PERSON_TERM[1])) for _ in range(5)
    ]
    moment = at(D(2024, 10, 7), 18)
    start = threading.Barrier(2)
    outcomes: list = [None, None]

    def beat(index: int) -> None:
        try:
            start.wait(timeout=10)
            outcomes[index] = services.intern_reminders_send(now=moment)
        except BaseException as exc:  # reported by the test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=beat, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(outcomes) == len(interns), outcomes
    assert len(mail.outbox) == len(interns)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(intern_user(i).email for i in interns)


# --- The host company ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_company_hears_of_reports_waiting_too_long_once(in_person, django_capture_on_commit_callbacks):
    manager = manager_of(in_person)
    colleague = CompanyManagerFactory(
        company=in_person.placement.position.company, user=UserFactory(preferred_language="ja")
    ).user
    first = submitted(in_person, D(2024, 10, 3))  # Thursday
    submitted(in_person, D(2024, 10, 4))
    send = services.company_reminders_send
    # Friday 4 and Monday 7: two working days waited, the cycle's limit; not more yet.
    assert run(send, at(D(2024, 10, 7), 10), django_capture_on_commit_callbacks) == 0
    assert run(send, at(D(2024, 10, 8), 10), django_capture_on_commit_callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, colleague.email])
    english = next(m for m in mail.outbox if m.to == [manager.email])
    assert english.subject == "[JIP] 1 daily report is waiting for your approval"
    assert "Linh Nguyen, Oct. 3, 2024: waiting 3 working days" in english.body
    assert "/internship/company/reports/" in english.body
    japanese = next(m for m in mail.outbox if m.to == [colleague.email])
    assert japanese.subject == "【JIP】承認待ちの日報が1件あります"
    # The next day the second report is over the limit too; the first is not told again.
    assert run(send, at(D(2024, 10, 9), 10), django_capture_on_commit_callbacks) == 1
    assert run(send, at(D(2024, 10, 9), 11), django_capture_on_commit_callbacks) == 0
    assert DailyReportReminder.objects.filter(kind=ReminderKind.COMPANY).count() == 2
    assert DailyReportReminder.objects.filter(report=first).count() == 1
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_an_approved_report_is_not_waiting(in_person, django_capture_on_commit_callbacks):
    approved(in_person, D(2024, 10, 3))
    assert (
        run(services.company_reminders_send, at(D(2024, 10, 10), 10), django_capture_on_commit_callbacks) == 0
    )


# --- The office ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_office_gets_a_weekly_digest(in_person, online, staff, django_capture_on_commit_callbacks):
    MidTermInterview.objects.create(
        internship=online, held_on=D(2024, 11, 6), staff=staff, has_concern=True, follow_up_on=D(2024, 11, 13)
    )
    send = services.office_digest_send
    # Monday 11 November, before 9:00 in Japan: not yet.
    assert run(send, at(D(2024, 11, 11), 8, 59), django_capture_on_commit_callbacks) == 0
    assert run(send, at(D(2024, 11, 11), 9), django_capture_on_commit_callbacks) == 1
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "[JIP] Daily reports: the week of Nov. 11, 2024 (FY2024)"
    body = message.body
    assert body.index("Rosa Quispe") < body.index("Linh Nguyen")  # the open concern first
    assert "open concern" in body
    assert "/admin/internships/dailyreport/compliance/?cycle=" in body
    # Once a week: later the same week nothing, the next Monday again.
    assert run(send, at(D(2024, 11, 14), 9), django_capture_on_commit_callbacks) == 0
    assert run(send, at(D(2024, 11, 18), 10), django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2


# --- The schedule -------------------------------------------------------------------------------------


def test_beat_schedules_the_reminders():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in (
        "internships.tasks.daily_report_intern_reminders_send",
        "internships.tasks.daily_report_company_reminders_send",
        "internships.tasks.daily_report_office_digest_send",
    ):
        assert name in scheduled
        assert name in celery_app.tasks


@pytest.mark.django_db
def test_the_beat_task_sends_and_returns_the_count(
    in_person, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(D(2024, 10, 7), 18, 5), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily_report_intern_reminders_send.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily_report_intern_reminders_send.delay().get() == 0
    assert len(mail.outbox) == 1
