"""Every change to the daily reports and what surrounds them: one function per change, each checked, written
and audited in one transaction; a refused change raises ValidationError with a message the user reads.

Rules: docs/program.md §13 (during the internship: the intern reports each activity day, the host company
approves, the office follows and holds the mid-term interview) and docs/daily-reports.md (the days, the
late-writing limit, the reminders). One report per intern and activity day (a unique constraint); an
approved report is locked, except to the office, which corrects it with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from companies.models import CompanyManager
from jip import clock
from jip.audit import audit_record
from jip.models import User
from jip.rules import JIP_STAFF_GROUP
from jip.tasks import task_enqueue

from ..calendar import local_date
from ..models import (
    ClosurePeriod,
    DailyReport,
    DailyReportReminder,
    DailyReportSettings,
    DailyReportStatus,
    DayReopening,
    ExtraActivityDay,
    Internship,
    MidTermInterview,
    ReminderKind,
    WorkMode,
)
from ..models.daily_reports import HALF_HOUR, MAX_HOURS
from ..selectors import daily_reports as selectors

R = DailyReportStatus
TEXT_FIELDS = ("activities", "learned", "questions", "next_plan")
REPORT_FIELDS = ("hours", "mode", *TEXT_FIELDS)
# What a submitted report must say; questions are optional.
REQUIRED_TO_SUBMIT = ("hours", "mode", "activities", "learned", "next_plan")

WHY_NOT = {
    "not_started": lambda: _("The JIP office has not marked your internship as under way yet."),
    "finished": lambda: _("This internship has ended."),
    "outside_term": lambda: _("This day is outside the internship's term."),
    "not_activity_day": lambda: _("This day is not an activity day (a weekend, a holiday or a closure day)."),
    "future": lambda: _("A report is written on its day or after, not before."),
    "approved": lambda: _("This report is approved: it cannot be changed any more."),
    "too_late": lambda: _("This day is past the limit for writing it late. Ask the JIP office to reopen it."),
}


def _user(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


def _history_by(obj, by: User | None, reason: str) -> None:
    obj._change_reason = reason
    if _user(by) is not None:
        obj._history_user = by


def _mail(user_id: int, template: str, context: dict) -> None:
    """Queues a mail for after the commit, with plain data only; the task renders it in the reader's
    language."""
    task_enqueue("internships.tasks.daily_report_mail_send", user_id, template, context)


# --- What a report says --------------------------------------------------------------------------------


def _hours(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"hours": _("Give the hours as a number, in half hours.")}) from None
    if hours < HALF_HOUR or hours > MAX_HOURS or hours % HALF_HOUR:
        raise ValidationError(
            {"hours": _("Give the hours in half hours, from 0.5 to %(max)s.") % {"max": MAX_HOURS}}
        )
    return hours


def report_values(data: dict) -> dict:
    """The report's fields from `data` (a form's cleaned data): text stripped, hours in half hours."""
    values = {name: (data.get(name) or "").strip() for name in TEXT_FIELDS}
    values["hours"] = _hours(data.get("hours"))
    mode = data.get("mode") or ""
    if mode and mode not in WorkMode.values:
        raise ValidationError({"mode": _("Choose in person or online.")})
    values["mode"] = mode
    return values


def _check_complete(values: dict) -> None:
    missing = {name: _("Needed to submit the report.") for name in REQUIRED_TO_SUBMIT if not values.get(name)}
    if missing:
        raise ValidationError(missing)


def _changes(report: DailyReport, values: dict) -> list[str]:
    return sorted(name for name, value in values.items() if getattr(report, name) != value)


def _writable_or_refuse(*, internship: Internship, day: dt.date, report: DailyReport | None, now) -> None:
    writable = selectors.writability_of(internship=internship, day=day, report=report, now=now)
    if not writable.allowed:
        raise ValidationError(WHY_NOT[writable.reason](), code=writable.reason)


def _locked_report(internship: Internship, day: dt.date) -> DailyReport | None:
    # The internship's row is locked first, so two first saves of the same day cannot both create it.
    Internship.objects.select_for_update().filter(pk=internship.pk).first()
    return DailyReport.objects.select_for_update().filter(internship=internship, day=day).first()


# --- The intern ----------------------------------------------------------------------------------------


@transaction.atomic
def daily_report_draft_save(
    *, internship: Internship, day: dt.date, data: dict, by: User | None, now: dt.datetime | None = None
) -> DailyReport:
    """Keeps what the intern has written so far, unsubmitted. A submitted report is changed by submitting it
    again; a returned one stays returned until the intern submits the correction."""
    now = now or clock.now()
    report = _locked_report(internship, day)
    _writable_or_refuse(internship=internship, day=day, report=report, now=now)
    if report is not None and report.status == R.SUBMITTED:
        raise ValidationError(
            _("This report is submitted already: submit your changes instead."), code="submitted"
        )
    values = report_values(data)
    if report is None:
        report = DailyReport(internship=internship, day=day, status=R.DRAFT)
        changed = sorted(name for name, value in values.items() if value)
    else:
        changed = _changes(report, values)
        if not changed:
            return report
    for name, value in values.items():
        setattr(report, name, value)
    _history_by(report, by, "draft saved")
    report.save()
    audit_record(
        actor=by, action="daily_report.draft_saved", target=report,
        data={"day": day.isoformat(), "status": report.status, "fields": changed},
    )  # fmt: skip
    return report


@transaction.atomic
def daily_report_submit(
    *, internship: Internship, day: dt.date, data: dict, by: User | None, now: dt.datetime | None = None
) -> DailyReport:
    """Sends the report of `day` to the host company: a draft, a returned report corrected, or a submitted one
    changed before the company approves it. It is "written late" if first submitted after its day, in the
    intern's time zone (docs/daily-reports.md)."""
    now = now or clock.now()
    report = _locked_report(internship, day)
    _writable_or_refuse(internship=internship, day=day, report=report, now=now)
    values = report_values(data)
    _check_complete(values)
    before = report.status if report is not None else ""
    if report is None:
        report = DailyReport(internship=internship, day=day)
    changed = _changes(report, values)
    for name, value in values.items():
        setattr(report, name, value)
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.is_late = local_date(now, selectors.intern_zone(internship)) > day
    report.status = R.SUBMITTED
    report.submitted_at = now
    _history_by(report, by, "submitted")
    report.save()
    audit_record(
        actor=by, action="daily_report.submitted", target=report,
        data={"day": day.isoformat(), "from": before, "late": report.is_late, "fields": changed},
    )  # fmt: skip
    return report


# --- The host company ----------------------------------------------------------------------------------


def _intern_mail_context(report: DailyReport) -> dict:
    return {
        "day": report.day.isoformat(),
        "comment": report.company_comment,
        "path": reverse("internships:my_daily_report", args=[report.day.isoformat()]),
    }


@transaction.atomic
def daily_reports_approve(
    *, report_ids: Iterable[int], company, by: User | None, now: dt.datetime | None = None
) -> list[DailyReport]:
    """The host company approves the submitted reports among `report_ids` of its own interns, each audited;
    an approved report is locked. Reports of other companies, or no longer waiting, are left as they are.
    Returns the reports approved."""
    now = now or clock.now()
    reports = list(
        DailyReport.objects.select_for_update()
        .filter(pk__in=list(report_ids), status=R.SUBMITTED, internship__placement__position__company=company)
        .order_by("internship_id", "day")
    )
    for report in reports:
        report.status = R.APPROVED
        report.reviewed_at = now
        report.reviewed_by = _user(by)
        report.approved_on_behalf = False
        _history_by(report, by, "approved")
        report.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "approved_on_behalf", "updated_at"]
        )
        audit_record(
            actor=by, action="daily_report.approved", target=report,
            data={"day": report.day.isoformat(), "internship": report.internship_id},
        )  # fmt: skip
    return reports


@transaction.atomic
def daily_report_return(
    *, report: DailyReport, comment: str, by: User | None, now: dt.datetime | None = None
) -> DailyReport:
    """The host company sends a submitted report back to the intern with a comment saying what to correct;
    the intern is told by mail, in their language."""
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != R.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."), code="not_submitted")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the intern should correct.")})
    report.status = R.RETURNED
    report.company_comment = comment
    report.reviewed_at = now or clock.now()
    report.reviewed_by = _user(by)
    _history_by(report, by, "returned")
    report.save(update_fields=["status", "company_comment", "reviewed_at", "reviewed_by", "updated_at"])
    audit_record(
        actor=by, action="daily_report.returned", target=report,
        data={"day": report.day.isoformat(), "comment": comment},
    )  # fmt: skip
    intern_id = report.internship.placement.application.applicant_id
    _mail(intern_id, "internships/email/daily_report_returned", _intern_mail_context(report))
    return report


@transaction.atomic
def internship_mentor_set(
    *, internship: Internship, mentor_name: str, mentor_title: str, by: User | None
) -> Internship:
    """The host company names the mentor who reads the intern's reports."""
    internship = Internship.objects.select_for_update().get(pk=internship.pk)
    values = {"mentor_name": (mentor_name or "").strip(), "mentor_title": (mentor_title or "").strip()}
    if not values["mentor_name"]:
        raise ValidationError({"mentor_name": _("Give the mentor's name.")})
    changed = sorted(name for name, value in values.items() if getattr(internship, name) != value)
    if not changed:
        return internship
    for name, value in values.items():
        setattr(internship, name, value)
    _history_by(internship, by, "mentor")
    internship.save(update_fields=list(values))
    audit_record(actor=by, action="internship.mentor", target=internship, data=values)
    return internship


@transaction.atomic
def extra_day_add(*, internship: Internship, day: dt.date, note: str, by: User | None) -> ExtraActivityDay:
    """Adds a day the intern works outside the usual days (a Saturday event), within the term; the intern
    writes a report for it like any other activity day."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what happens that day.")})
    if internship.starts_on is None or internship.ends_on is None:
        raise ValidationError(_("The internship's dates are not set yet."), code="no_term")
    if not (internship.starts_on <= day <= internship.ends_on):
        raise ValidationError({"day": _("Choose a day within the internship's term.")})
    calendar = selectors.work_calendar_for(internship=internship)
    if calendar.is_activity_day(day):
        raise ValidationError({"day": _("This day is an activity day already.")})
    extra = ExtraActivityDay.objects.create(internship=internship, day=day, note=note, added_by=_user(by))
    audit_record(
        actor=by, action="daily_report.extra_day_added", target=internship,
        data={"day": day.isoformat(), "note": note},
    )  # fmt: skip
    return extra


@transaction.atomic
def extra_day_remove(*, extra_day: ExtraActivityDay, by: User | None) -> None:
    """Takes an extra day off again, as long as no report of it was submitted."""
    submitted = DailyReport.objects.filter(
        internship_id=extra_day.internship_id, day=extra_day.day, status__in=selectors.SUBMITTED_STATES
    )
    if submitted.exists():
        raise ValidationError(_("The intern has submitted a report for this day."), code="reported")
    audit_record(
        actor=by, action="daily_report.extra_day_removed", target=extra_day.internship,
        data={"day": extra_day.day.isoformat(), "note": extra_day.note},
    )  # fmt: skip
    extra_day.delete()


# --- The JIP office ------------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: it is kept in the record.")})
    return reason


@transaction.atomic
def daily_report_approve_on_behalf(
    *, report: DailyReport, reason: str, by: User | None, now: dt.datetime | None = None
) -> DailyReport:
    """The office approves a submitted report in the host company's place (the company cannot, or has not
    for too long), with the reason; the report says so."""
    reason = _reason(reason)
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != R.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."), code="not_submitted")
    report.status = R.APPROVED
    report.approved_on_behalf = True
    report.reviewed_at = now or clock.now()
    report.reviewed_by = _user(by)
    _history_by(report, by, f"approved by the office: {reason}")
    report.save(update_fields=["status", "approved_on_behalf", "reviewed_at", "reviewed_by", "updated_at"])
    audit_record(
        actor=by, action="daily_report.approved_on_behalf", target=report,
        data={"day": report.day.isoformat(), "reason": reason},
    )  # fmt: skip
    return report


@transaction.atomic
def daily_report_correct(*, report: DailyReport, data: dict, reason: str, by: User | None) -> DailyReport:
    """The office corrects what a report says, whatever its state (an approved one too), with the reason; the
    record keeps each field's value before and after."""
    reason = _reason(reason)
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    values = report_values(data)
    if report.status != R.DRAFT:
        _check_complete(values)
    changed = _changes(report, values)
    if not changed:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    before = {name: str(getattr(report, name) or "") for name in changed}
    for name, value in values.items():
        setattr(report, name, value)
    _history_by(report, by, f"corrected by the office: {reason}")
    report.save()
    audit_record(
        actor=by, action="daily_report.corrected", target=report,
        data={
            "day": report.day.isoformat(), "reason": reason, "before": before,
            "after": {name: str(values[name] or "") for name in changed},
        },
    )  # fmt: skip
    return report


@transaction.atomic
def day_reopen(
    *, internship: Internship, day: dt.date, reason: str, by: User | None, now: dt.datetime | None = None
) -> DayReopening:
    """The office lets the intern write an activity day again: a day past the late-writing limit becomes
    writable for the cycle's limit of days from today (the intern's), and an approved report goes back to the
    intern as returned, with the reason as its comment."""
    reason = _reason(reason)
    now = now or clock.now()
    calendar = selectors.work_calendar_for(internship=internship)
    if internship.starts_on is None or internship.ends_on is None:
        raise ValidationError(_("The internship's dates are not set yet."), code="no_term")
    if not (internship.starts_on <= day <= internship.ends_on) or not calendar.is_activity_day(day):
        raise ValidationError({"day": _("Choose an activity day of the internship's term.")})
    today = selectors.intern_today(internship, now=now)
    if day > today:
        raise ValidationError({"day": _("This day has not come yet.")})
    limit = selectors.settings_for(cycle_id=internship.placement.cycle_id).late_limit_days
    until = today + dt.timedelta(days=max(limit, 1))
    reopening, _created = DayReopening.objects.update_or_create(
        internship=internship, day=day, defaults={"writable_until": until, "reason": reason, "by": _user(by)}
    )
    report = DailyReport.objects.select_for_update().filter(internship=internship, day=day).first()
    before = report.status if report is not None else ""
    if report is not None and report.status == R.APPROVED:
        report.status = R.RETURNED
        report.company_comment = reason
        report.reviewed_at = now
        report.reviewed_by = _user(by)
        report.approved_on_behalf = False
        _history_by(report, by, f"reopened by the office: {reason}")
        report.save()
    audit_record(
        actor=by, action="daily_report.day_reopened", target=internship,
        data={"day": day.isoformat(), "until": until.isoformat(), "reason": reason, "report": before},
    )  # fmt: skip
    return reopening


@transaction.atomic
def mid_term_interview_save(*, interview: MidTermInterview, by: User | None) -> MidTermInterview:
    """Records the office's mid-term interview (中間面談; docs/program.md §13): its date, the staff member,
    notes and, with a concern, the day to follow up; a concern stays open until the day it is closed."""
    errors = {}
    if interview.has_concern and interview.concern_closed_on is None and interview.follow_up_on is None:
        errors["follow_up_on"] = _("Give the day to follow the concern up.")
    if not interview.has_concern and interview.concern_closed_on is not None:
        errors["concern_closed_on"] = _("Only a concern is closed.")
    if errors:
        raise ValidationError(errors)
    interview.full_clean()
    created = interview.pk is None
    before = None if created else MidTermInterview.objects.filter(pk=interview.pk).values().first()
    _history_by(interview, by, "created" if created else "changed")
    interview.save()
    changed = (
        []
        if before is None
        else sorted(k for k, v in before.items() if getattr(interview, k, v) != v and k != "id")
    )
    audit_record(
        actor=by, action="mid_term_interview.created" if created else "mid_term_interview.changed",
        target=interview,
        data={
            "internship": interview.internship_id, "held_on": interview.held_on.isoformat(),
            "concern": interview.concern_is_open, "fields": changed,
        },
    )  # fmt: skip
    return interview


@transaction.atomic
def daily_report_settings_save(*, settings: DailyReportSettings, by: User | None) -> DailyReportSettings:
    """The cycle's rules for daily reports, as the office sets them."""
    settings.full_clean()
    created = settings.pk is None
    _history_by(settings, by, "created" if created else "changed")
    settings.save()
    audit_record(
        actor=by, action="daily_report.settings", target=settings,
        data={
            "cycle": settings.cycle_id, "late_limit_days": settings.late_limit_days,
            "reminder_time": settings.reminder_time.isoformat(),
            "company_waiting_days": settings.company_waiting_days,
        },
    )  # fmt: skip
    return settings


@transaction.atomic
def closure_period_save(*, period: ClosurePeriod, by: User | None) -> ClosurePeriod:
    period.full_clean()
    created = period.pk is None
    _history_by(period, by, "created" if created else "changed")
    period.save()
    audit_record(
        actor=by, action="closure.created" if created else "closure.changed", target=period,
        data={
            "cycle": period.cycle_id, "company": period.company_id, "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(), "name": period.name_en,
        },
    )  # fmt: skip
    return period


@transaction.atomic
def closure_period_delete(*, period: ClosurePeriod, by: User | None) -> None:
    audit_record(
        actor=by, action="closure.deleted", target=period,
        data={
            "cycle": period.cycle_id, "company": period.company_id, "starts_on": period.starts_on.isoformat(),
        },
    )  # fmt: skip
    _history_by(period, by, "deleted")
    period.delete()


# --- Reminders (Celery beat) ---------------------------------------------------------------------------


def _record(**fields) -> bool:
    """Writes the reminder's row first; False if another run wrote it already (the unique constraint)."""
    try:
        with transaction.atomic():
            DailyReportReminder.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def intern_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Reminds each intern, once a day, at the cycle's reminder time in their own time zone, when today is an
    activity day of their term and its report is not submitted yet; never on a weekend, a holiday or a closure
    day. Returns how many were reminded."""
    now = now or clock.now()
    sent = 0
    for internship, day in selectors.interns_to_remind(now=now):
        with transaction.atomic():
            if not _record(kind=ReminderKind.INTERN, internship=internship, day=day):
                continue
            _mail(
                internship.placement.application.applicant_id,
                "internships/email/daily_report_reminder",
                {
                    "day": day.isoformat(),
                    "path": reverse("internships:my_daily_report", args=[day.isoformat()]),
                },
            )
        sent += 1
    return sent


def company_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Tells the managers of a host company, in one mail each, of the reports that have waited for them more
    than the cycle's limit of working days; each report once (its row is written first, so an overlapping
    run skips it). Returns how many reports were reminded of."""
    now = now or clock.now()
    by_company: dict[int, list[tuple[DailyReport, int]]] = defaultdict(list)
    for report, waited in selectors.reports_waiting_too_long(now=now):
        by_company[report.internship.placement.position.company_id].append((report, waited))
    count = 0
    for company_id, waiting in by_company.items():
        with transaction.atomic():
            recorded = [
                {
                    "intern": report.internship.placement.application.full_name,
                    "day": report.day.isoformat(),
                    "waited": waited,
                }
                for report, waited in waiting
                if _record(kind=ReminderKind.COMPANY, report=report, day=report.day)
            ]
            if not recorded:
                continue
            managers = CompanyManager.objects.filter(company_id=company_id, user__is_active=True)
            for user_id in managers.values_list("user_id", flat=True):
                _mail(
                    user_id,
                    "internships/email/daily_report_waiting",
                    {"reports": recorded, "path": reverse("internships:company_daily_reports")},
                )
        count += len(recorded)
    return count


DIGEST_WEEKDAY, DIGEST_TIME = 0, dt.time(9)  # Monday 9:00 in Japan, the office's week


def office_digest_send(*, now: dt.datetime | None = None) -> int:
    """Sends JIP office staff, once a week per cycle under way (from Monday 9:00 JST), the interns with days
    missing or late and those with an open mid-term concern. Returns how many digests went out."""
    now = now or clock.now()
    local = now.astimezone(clock.JST)
    week = local.date() - dt.timedelta(days=local.weekday())
    if local < dt.datetime.combine(week + dt.timedelta(days=DIGEST_WEEKDAY), DIGEST_TIME, tzinfo=clock.JST):
        return 0
    staff = list(
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name=JIP_STAFF_GROUP) | Q(is_superuser=True))
        .distinct()
        .values_list("pk", flat=True)
    )
    sent = 0
    for cycle in selectors.cycles_under_way():
        if DailyReportReminder.objects.filter(kind=ReminderKind.OFFICE, cycle=cycle, day=week).exists():
            continue
        rows = selectors.office_digest_rows(cycle=cycle, now=now)
        context = {
            "cycle": cycle.fiscal_year,
            "week": week.isoformat(),
            "path": reverse("admin:internships_dailyreport_compliance") + f"?cycle={cycle.pk}",
            "interns": [
                {
                    "name": row.intern_name,
                    "company": {
                        "en": row.internship.placement.position.company.name_en,
                        "ja": row.internship.placement.position.company.name_ja,
                    },
                    "missing": row.missing,
                    "late": row.late,
                    "concern": row.open_concern,
                }
                for row in rows
            ],
        }
        with transaction.atomic():
            if not _record(kind=ReminderKind.OFFICE, cycle=cycle, day=week):
                continue
            for user_id in staff:
                _mail(user_id, "internships/email/daily_report_digest", context)
        sent += 1
    return sent
