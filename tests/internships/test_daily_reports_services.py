"""The daily reports' states, each change through its service, audited: the intern's drafts and submissions,
the late-writing limit, the company's approval (in bulk, its own interns only) and return, the office's
reopening, correction and approval on the company's behalf, extra days, the mid-term interview, and the one read
the activity-support funds make."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from internships.models import (
    DailyReport,
    DailyReportStatus,
    DayReopening,
    ExtraActivityDay,
    InternshipStatus,
    MidTermInterview,
)
from internships.selectors import daily_reports as selectors
from internships.services import daily_reports as services
from jip.models import AuditEntry

from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    REPORT,
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

pytestmark = pytest.mark.django_db

D = dt.date
R = DailyReportStatus


def audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("at", "pk"))


def refused(code_or_field, call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    if hasattr(error, "error_dict"):
        assert code_or_field in error.error_dict, error.error_dict
    else:
        assert error.code == code_or_field, (error.code, error.messages)
    return error


# --- The intern ---------------------------------------------------------------------------------------


def test_a_draft_then_a_submission(in_person):
    day = D(2024, 10, 7)
    draft = services.daily_report_draft_save(
        internship=in_person, day=day, data={"activities": "Half written"}, by=intern_user(in_person),
        now=at(day, 12),
    )  # fmt: skip
    assert (draft.status, draft.activities, draft.hours) == (R.DRAFT, "Half written", None)
    # A draft needs nothing; a submission needs what the company reads.
    error = refused("hours", lambda: services.daily_report_submit(
        internship=in_person, day=day, data={"activities": "Half written"}, by=intern_user(in_person),
        now=at(day, 17),
    ))  # fmt: skip
    assert set(error.error_dict) == {"hours", "mode", "learned", "next_plan"}
    report = submitted(in_person, day, now=at(day, 17, 30))
    assert report.pk == draft.pk
    assert (report.status, report.hours, report.is_late) == (R.SUBMITTED, 7.5, False)
    assert report.first_submitted_at == report.submitted_at == at(day, 17, 30)
    [entry] = audit("daily_report.submitted")
    assert (entry.actor, entry.target_id, entry.data["from"], entry.data["late"]) == (
        intern_user(in_person), str(report.pk), "draft", False,
    )  # fmt: skip
    assert len(audit("daily_report.draft_saved")) == 1


def test_one_report_per_intern_and_day(in_person):
    submitted(in_person, D(2024, 10, 7))
    with pytest.raises(IntegrityError):
        DailyReport.objects.create(internship=in_person, day=D(2024, 10, 7))


def test_hours_are_counted_in_half_hours(in_person):
    for hours in ("7.25", "0", "12.5", "a lot"):
        refused("hours", lambda h=hours: submitted(in_person, D(2024, 10, 7), hours=h))
    assert submitted(in_person, D(2024, 10, 7), hours="0.5").hours == 0.5


def test_a_submitted_report_changes_until_it_is_approved(in_person):
    day = D(2024, 10, 7)
    submitted(in_person, day)
    refused("submitted", lambda: services.daily_report_draft_save(
        internship=in_person, day=day, data=REPORT, by=intern_user(in_person), now=at(day, 19),
    ))  # fmt: skip
    changed = submitted(in_person, day, now=at(day, 20), activities="Measured two lines.")
    assert (changed.activities, changed.submitted_at, changed.first_submitted_at) == (
        "Measured two lines.", at(day, 20), at(day, 18),
    )  # fmt: skip
    approved_report = approved(in_person, D(2024, 10, 8))
    assert approved_report.is_locked
    refused("approved", lambda: submitted(in_person, D(2024, 10, 8), now=at(D(2024, 10, 8), 20)))


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (D(2024, 10, 5), "not_activity_day"),  # a Saturday
        (D(2024, 10, 14), "not_activity_day"),  # Sports Day
        (D(2024, 9, 30), "outside_term"),
        (D(2024, 10, 9), "future"),
    ],
)
def test_only_activity_days_of_the_term_up_to_today(in_person, day, code):
    refused(code, lambda: submitted(in_person, day, now=at(D(2024, 10, 8), 18)))


def test_a_missed_day_is_written_later_up_to_the_limit(in_person):
    day = D(2024, 10, 7)  # the cycle's limit: 3 days by default
    late = submitted(in_person, day, now=at(D(2024, 10, 10), 23, 59))
    assert late.is_late
    refused("too_late", lambda: submitted(in_person, D(2024, 10, 8), now=at(D(2024, 10, 12), 0, 1)))
    assert not DailyReport.objects.filter(day=D(2024, 10, 8)).exists()


def test_a_report_returned_late_is_corrected_within_the_limit_from_its_return(in_person):
    day = D(2024, 10, 7)
    report = submitted(in_person, day)
    # Returned on Friday 11 October, past the day's own limit (the 10th): correctable until the 14th.
    services.daily_report_return(
        report=report, comment="Add the numbers.", by=None, now=at(D(2024, 10, 11), 10)
    )
    refused("too_late", lambda: submitted(in_person, day, now=at(D(2024, 10, 15), 9)))
    again = submitted(in_person, day, now=at(D(2024, 10, 14), 20))
    assert (again.status, again.is_late) == (R.SUBMITTED, False)


def test_the_limit_is_the_cycles(in_person):
    from internships.models import DailyReportSettings

    DailyReportSettings.objects.create(cycle=in_person.placement.cycle, late_limit_days=0)
    refused("too_late", lambda: submitted(in_person, D(2024, 10, 7), now=at(D(2024, 10, 8), 9)))
    assert not submitted(in_person, D(2024, 10, 8), now=at(D(2024, 10, 8), 23)).is_late


def test_an_internship_not_under_way_takes_no_report(in_person):
    in_person.status = InternshipStatus.PREPARING
    in_person.save()
    refused("not_started", lambda: submitted(in_person, D(2024, 10, 7)))
    in_person.status = InternshipStatus.ENDED_EARLY
    in_person.save()
    refused("finished", lambda: submitted(in_person, D(2024, 10, 7)))


# --- The host company ---------------------------------------------------------------------------------


def test_the_company_approves_in_bulk_its_own_interns_reports(in_person, online):
    company = in_person.placement.position.company
    mine = [submitted(in_person, D(2024, 10, d)) for d in (7, 8, 9)]
    draft = services.daily_report_draft_save(
        internship=in_person, day=D(2024, 10, 10), data={"activities": "…"}, by=intern_user(in_person),
        now=at(D(2024, 10, 10), 12),
    )  # fmt: skip
    theirs = submitted(online, D(2024, 11, 5))
    done = services.daily_reports_approve(
        report_ids=[r.pk for r in mine] + [draft.pk, theirs.pk], company=company, by=manager_of(in_person),
        now=at(D(2024, 10, 10), 10),
    )  # fmt: skip
    assert sorted(r.pk for r in done) == sorted(r.pk for r in mine)
    assert set(DailyReport.objects.filter(pk__in=[r.pk for r in mine]).values_list("status", flat=True)) == {
        R.APPROVED
    }
    assert DailyReport.objects.get(pk=theirs.pk).status == R.SUBMITTED  # another company's
    assert DailyReport.objects.get(pk=draft.pk).status == R.DRAFT
    assert len(audit("daily_report.approved")) == 3
    assert {e.actor for e in audit("daily_report.approved")} == {manager_of(in_person)}
    # Approving again changes nothing.
    assert services.daily_reports_approve(report_ids=[mine[0].pk], company=company, by=None) == []


def test_a_returned_report_is_corrected_and_submitted_again(
    in_person, mails_sent, django_capture_on_commit_callbacks
):
    day = D(2024, 10, 7)
    report = submitted(in_person, day)
    refused(
        "comment", lambda: services.daily_report_return(report=report, comment="  ", by=manager_of(in_person))
    )
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.daily_report_return(
            report=report, comment="Add the numbers you measured.", by=manager_of(in_person)
        )
    assert (returned.status, returned.company_comment) == (R.RETURNED, "Add the numbers you measured.")
    [message] = mail.outbox
    assert message.to == [intern_user(in_person).email]
    assert message.subject == "[JIP] Your daily report of Oct. 7, 2024 is returned"
    assert "Add the numbers you measured." in message.body
    assert "/internship/reports/2024-10-07/" in message.body
    # A draft of the correction keeps it returned; the submission sends it back to the company.
    kept = services.daily_report_draft_save(
        internship=in_person, day=day, data={**REPORT, "activities": "Measured 12 parts."},
        by=intern_user(in_person), now=at(D(2024, 10, 8), 9),
    )  # fmt: skip
    assert kept.status == R.RETURNED
    again = submitted(in_person, day, now=at(D(2024, 10, 8), 10), activities="Measured 12 parts; 2 reworked.")
    assert (again.status, again.is_late, again.first_submitted_at) == (R.SUBMITTED, False, at(day, 18))
    services.daily_reports_approve(
        report_ids=[again.pk], company=in_person.placement.position.company, by=None
    )
    refused("not_submitted", lambda: services.daily_report_return(report=again, comment="x", by=None))


def test_a_mail_in_the_interns_language(in_person, mails_sent, django_capture_on_commit_callbacks):
    user = intern_user(in_person)
    user.preferred_language = "ja"
    user.save()
    report = submitted(in_person, D(2024, 10, 7))
    with django_capture_on_commit_callbacks(execute=True):
        services.daily_report_return(report=report, comment="数値を追記してください。", by=None)
    [message] = mail.outbox
    assert message.subject == "【JIP】2024年10月7日の日報が差し戻されました"
    assert [m["language"] for m in mails_sent] == ["ja"]


def test_the_company_names_the_mentor_and_adds_a_saturday(in_person):
    manager = manager_of(in_person)
    services.internship_mentor_set(internship=in_person, mentor_name="Ito Daiki", mentor_title="", by=manager)
    in_person.refresh_from_db()
    assert in_person.mentor_name == "Ito Daiki"
    assert audit("internship.mentor")[0].data == {"mentor_name": "Ito Daiki", "mentor_title": ""}
    saturday = D(2024, 11, 9)
    refused(
        "day", lambda: services.extra_day_add(internship=in_person, day=D(2024, 11, 8), note="x", by=manager)
    )
    refused(
        "day", lambda: services.extra_day_add(internship=in_person, day=D(2024, 12, 7), note="x", by=manager)
    )
    extra = services.extra_day_add(internship=in_person, day=saturday, note="Trade fair", by=manager)
    assert saturday in selectors.expected_days(internship=in_person)
    assert submitted(in_person, saturday).status == R.SUBMITTED
    refused("reported", lambda: services.extra_day_remove(extra_day=extra, by=manager))
    assert ExtraActivityDay.objects.count() == 1


# --- The JIP office -----------------------------------------------------------------------------------


def test_the_office_reopens_a_missing_day(in_person, staff, clock_at):
    day = D(2024, 10, 7)
    refused("too_late", lambda: submitted(in_person, day, now=at(D(2024, 10, 15), 9)))
    clock_at(at(D(2024, 10, 15), 9))
    refused("reason", lambda: services.day_reopen(internship=in_person, day=day, reason="", by=staff))
    reopening = services.day_reopen(
        internship=in_person, day=day, reason="Sick leave, certificate seen.", by=staff
    )
    assert reopening.writable_until == D(2024, 10, 18)
    assert selectors.report_calendar(internship=in_person).day(day).state == "late"
    report = submitted(in_person, day, now=at(D(2024, 10, 18), 20))
    assert (report.status, report.is_late) == (R.SUBMITTED, True)
    [entry] = audit("daily_report.day_reopened")
    assert (entry.actor, entry.data["reason"], entry.data["until"]) == (
        staff, "Sick leave, certificate seen.", "2024-10-18",
    )  # fmt: skip


def test_reopening_an_approved_day_returns_it_to_the_intern(in_person, staff, clock_at):
    report = approved(in_person, D(2024, 10, 7))
    clock_at(at(D(2024, 10, 9), 9))
    services.day_reopen(internship=in_person, day=D(2024, 10, 7), reason="Wrong day's hours.", by=staff)
    report.refresh_from_db()
    assert (report.status, report.company_comment) == (R.RETURNED, "Wrong day's hours.")
    assert DayReopening.objects.get().by == staff


def test_the_office_corrects_an_approved_report_with_a_reason(in_person, staff):
    report = approved(in_person, D(2024, 10, 7))
    refused("reason", lambda: services.daily_report_correct(report=report, data=REPORT, reason="", by=staff))
    refused(
        "unchanged", lambda: services.daily_report_correct(report=report, data=REPORT, reason="x", by=staff)
    )
    corrected = services.daily_report_correct(
        report=report, data={**REPORT, "hours": "8"}, reason="The company's time sheet says 8.", by=staff
    )
    assert (corrected.status, corrected.hours) == (R.APPROVED, 8)
    [entry] = audit("daily_report.corrected")
    assert entry.data["before"] == {"hours": "7.5"}
    assert entry.data["after"] == {"hours": "8"}
    assert entry.data["reason"] == "The company's time sheet says 8."
    assert (
        corrected.history.first().history_change_reason
        == "corrected by the office: The company's time sheet says 8."
    )


def test_the_office_approves_for_the_company_with_a_reason(in_person, staff):
    report = submitted(in_person, D(2024, 10, 7))
    refused("reason", lambda: services.daily_report_approve_on_behalf(report=report, reason=" ", by=staff))
    done = services.daily_report_approve_on_behalf(report=report, reason="The mentor is on leave.", by=staff)
    assert (done.status, done.approved_on_behalf, done.reviewed_by) == (R.APPROVED, True, staff)
    assert audit("daily_report.approved_on_behalf")[0].data["reason"] == "The mentor is on leave."
    refused(
        "not_submitted", lambda: services.daily_report_approve_on_behalf(report=done, reason="x", by=staff)
    )


def test_a_mid_term_interview_with_a_concern(in_person, staff):
    interview = MidTermInterview(internship=in_person, held_on=D(2024, 10, 30), staff=staff, has_concern=True)
    refused("follow_up_on", lambda: services.mid_term_interview_save(interview=interview, by=staff))
    interview.follow_up_on = D(2024, 11, 6)
    services.mid_term_interview_save(interview=interview, by=staff)
    assert interview.concern_is_open
    interview.concern_closed_on = D(2024, 11, 6)
    services.mid_term_interview_save(interview=interview, by=staff)
    assert not interview.concern_is_open
    assert [e.action for e in AuditEntry.objects.filter(target_type="internships.midterminterview").order_by("pk")] == [
        "mid_term_interview.created", "mid_term_interview.changed",
    ]  # fmt: skip


# --- The funds' read ----------------------------------------------------------------------------------


def test_the_funds_count_the_approved_days_only(in_person, online, staff):
    for day in (7, 8, 9):
        approved(in_person, D(2024, 10, day))
    submitted(in_person, D(2024, 10, 10))
    services.daily_report_return(report=submitted(in_person, D(2024, 10, 11)), comment="Too short.", by=None)
    approved(online, D(2024, 11, 5))
    assert selectors.activity_days_for(internship=in_person, start=D(2024, 10, 1), end=D(2024, 10, 31)) == [
        D(2024, 10, 7), D(2024, 10, 8), D(2024, 10, 9),
    ]  # fmt: skip
    assert selectors.activity_days_for(internship=in_person, start=D(2024, 10, 8), end=D(2024, 10, 8)) == [
        D(2024, 10, 8)
    ]
    report = submitted(in_person, D(2024, 10, 15))
    services.daily_report_approve_on_behalf(report=report, reason="Mentor away.", by=staff)
    assert D(2024, 10, 15) in selectors.activity_days_for(
        internship=in_person, start=D(2024, 10, 1), end=D(2024, 10, 31)
    )
