"""Reads of the daily reports: the intern's calendar, the company's inbox, the office's compliance, the
reminders' choices, and the one read the activity-support funds make (`activity_days_for`).

Each page reads a fixed number of queries however many days, reports or interns it shows: the rows come in
one query each (internships, reports, closures, extra days, reopened days) and the calendar is worked out in
Python (internships.calendar). Every read a page makes is scoped to the user who asks (the intern's own
internship, the manager's company's); another's id finds nothing, so the page answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, TypedDict
from zoneinfo import ZoneInfo

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, When

from jip import clock
from jip.models import CourseKind, CourseTerm, ProgramCycle
from jip.timezones import time_zone_of_country

from ..calendar import Closure, DayInfo, WorkCalendar, local_date, writable_until
from ..models import (
    ClosurePeriod,
    DailyReport,
    DailyReportSettings,
    DailyReportStatus,
    DayReopening,
    ExtraActivityDay,
    Internship,
    InternshipStatus,
    MidTermInterview,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

R = DailyReportStatus
# A day with one of these is done from the intern's side: the company has it (or had it, and returned it).
SUBMITTED_STATES = (R.SUBMITTED, R.RETURNED, R.APPROVED)
# Reports are written while the internship is under way, and after it ends for the days still in the limit.
WRITING_STATUSES = (InternshipStatus.IN_PROGRESS, InternshipStatus.COMPLETED)


class DayState:
    """What an expected day shows on the calendar (docs/daily-reports.md)."""

    APPROVED = "approved"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    DRAFT = "draft"
    OPEN = "open"  # today, not written yet
    LATE = "late"  # past, not submitted, still writable by the intern
    MISSING = "missing"  # past, not submitted, beyond the limit: only the office can reopen it
    UPCOMING = "upcoming"


# --- The cycle's rules and the intern's time -----------------------------------------------------------


def settings_for(*, cycle_id: int) -> DailyReportSettings:
    """The cycle's daily-report settings; a cycle without its row has the fields' defaults."""
    found = DailyReportSettings.objects.filter(cycle_id=cycle_id).first()
    return found or DailyReportSettings(cycle_id=cycle_id)


def settings_by_cycle(cycle_ids: Iterable[int]) -> dict[int, DailyReportSettings]:
    ids = set(cycle_ids)
    if not ids:
        return {}
    found = {s.cycle_id: s for s in DailyReportSettings.objects.filter(cycle_id__in=ids)}
    return {pk: found.get(pk) or DailyReportSettings(cycle_id=pk) for pk in ids}


def intern_zone(internship: Internship) -> ZoneInfo:
    """Where the intern lives while they write: in Japan for the in-person course; for the online course their
    country of residence's main time zone (Japan's if it is unknown)."""
    placement = internship.placement
    if placement.course == CourseKind.ONLINE:
        zone = time_zone_of_country(str(placement.application.residence_country or ""))
        if zone is not None:
            return zone
    return clock.JST


def intern_today(internship: Internship, *, now: dt.datetime | None = None) -> dt.date:
    return local_date(now or clock.now(), intern_zone(internship))


def _closure(period: ClosurePeriod) -> Closure:
    return Closure(period.starts_on, period.ends_on, period.name_en, period.name_ja)


def closures_by_company(
    *, cycle_ids: Iterable[int], company_ids: Iterable[int]
) -> dict[tuple[int, int], list]:
    """The closures that apply to each (cycle, company): the office's of the cycle and the company's own, in
    one query."""
    cycle_ids, company_ids = set(cycle_ids), set(company_ids)
    periods = ClosurePeriod.objects.filter(cycle_id__in=cycle_ids).filter(
        Q(company__isnull=True) | Q(company_id__in=company_ids)
    )
    office: dict[int, list[Closure]] = defaultdict(list)
    own: dict[tuple[int, int], list[Closure]] = defaultdict(list)
    for period in periods:
        if period.company_id is None:
            office[period.cycle_id].append(_closure(period))
        else:
            own[(period.cycle_id, period.company_id)].append(_closure(period))
    return {
        (cycle, company): office[cycle] + own[(cycle, company)]
        for cycle in cycle_ids
        for company in company_ids
    }


def _extra_days_by_internship(internship_ids: Iterable[int]) -> dict[int, dict[dt.date, str]]:
    out: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for internship_id, day, note in ExtraActivityDay.objects.filter(
        internship_id__in=list(internship_ids)
    ).values_list("internship_id", "day", "note"):
        out[internship_id][day] = note
    return out


def _reopened_by_internship(internship_ids: Iterable[int]) -> dict[int, dict[dt.date, dt.date]]:
    out: dict[int, dict[dt.date, dt.date]] = defaultdict(dict)
    rows = DayReopening.objects.filter(internship_id__in=list(internship_ids)).values_list(
        "internship_id", "day", "writable_until"
    )
    for internship_id, day, until in rows:
        out[internship_id][day] = until
    return out


def _key(internship: Internship) -> tuple[int, int]:
    placement = internship.placement
    return placement.cycle_id, placement.position.company_id


def work_calendar_for(*, internship: Internship) -> WorkCalendar:
    """The internship's calendar: its cycle's and its company's closures, its extra days (two queries)."""
    closures = closures_by_company(cycle_ids=[_key(internship)[0]], company_ids=[_key(internship)[1]])
    extra = _extra_days_by_internship([internship.pk])
    return WorkCalendar(closures=closures[_key(internship)], extra_days=extra[internship.pk])


def expected_days(*, internship: Internship, calendar: WorkCalendar | None = None) -> list[dt.date]:
    """The internship's expected activity days over its whole term (none while its dates are not set)."""
    if internship.starts_on is None or internship.ends_on is None:
        return []
    calendar = calendar or work_calendar_for(internship=internship)
    return calendar.activity_days(internship.starts_on, internship.ends_on)


# --- Who may write which day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Writability:
    allowed: bool
    until: dt.date | None = (
        None  # the last day the intern may write it (empty when it is not theirs to write)
    )
    reason: str = ""  # why not: "not_started", "finished", "outside_term", "not_activity_day", "future",
    # "too_late", "approved"


def day_writability(
    *,
    internship: Internship,
    day: dt.date,
    today: dt.date,
    calendar: WorkCalendar,
    late_limit_days: int,
    reopened_until: dt.date | None = None,
    report: DailyReport | ReportFacts | None = None,
    zone: ZoneInfo = clock.JST,
    is_activity_day: bool | None = None,
) -> Writability:
    """Whether the intern may write (save or submit) the report of `day` on their local date `today`: an
    activity day of their term, not in the future, not approved, and no more than the cycle's late-writing
    limit in the past, unless the office reopened it. A report the company returned may be corrected for the
    same number of days after its return (the intern's date in `zone`). A caller that walks the activity
    days says so (`is_activity_day`), and the calendar is not asked again."""
    if internship.status not in WRITING_STATUSES:
        return Writability(False, reason="not_started" if internship.status == InternshipStatus.PREPARING
                           else "finished")  # fmt: skip
    if internship.starts_on is None or internship.ends_on is None:
        return Writability(False, reason="outside_term")
    if not (internship.starts_on <= day <= internship.ends_on):
        return Writability(False, reason="outside_term")
    if not (calendar.is_activity_day(day) if is_activity_day is None else is_activity_day):
        return Writability(False, reason="not_activity_day")
    if day > today:
        return Writability(False, reason="future")
    if report is not None and report.status == R.APPROVED:
        return Writability(False, reason="approved")
    until = writable_until(day, late_limit_days=late_limit_days)
    if reopened_until is not None and reopened_until > until:
        until = reopened_until
    if report is not None and report.status == R.RETURNED and report.reviewed_at is not None:
        until = max(
            until, writable_until(local_date(report.reviewed_at, zone), late_limit_days=late_limit_days)
        )
    if today > until:
        return Writability(False, until=until, reason="too_late")
    return Writability(True, until=until)


def day_state(
    *, day: dt.date, today: dt.date, report: DailyReport | ReportFacts | None, writable: Writability
) -> str:
    """An expected day's state on the calendar (DayState)."""
    if report is not None and report.status in SUBMITTED_STATES:
        return str(report.status)
    if day > today or writable.reason == "not_started":
        return DayState.UPCOMING  # the office has not marked the internship under way yet
    if writable.allowed:
        if report is not None:
            return DayState.DRAFT
        return DayState.OPEN if day == today else DayState.LATE
    return DayState.MISSING


# --- The intern's calendar -----------------------------------------------------------------------------


def _internships() -> QuerySet[Internship]:
    return Internship.objects.select_related(
        "placement__cycle", "placement__application__applicant", "placement__position__company"
    )


def internship_of_intern(*, user) -> Internship | None:
    """The intern's internship: of the latest cycle if they were placed more than once."""
    if not user.is_authenticated:
        return None
    return (
        _internships()
        .filter(placement__application__applicant=user)
        .order_by("-placement__cycle__fiscal_year", "-pk")
        .first()
    )


@dataclass
class CalendarDay:
    info: DayInfo
    in_term: bool
    state: str = ""  # DayState for an expected day of the term, empty for the others
    report: DailyReport | None = None
    writable: Writability = field(default_factory=lambda: Writability(False))
    is_today: bool = False

    @property
    def day(self) -> dt.date:
        return self.info.day


@dataclass
class ReportCalendar:
    internship: Internship
    today: dt.date
    zone: ZoneInfo
    settings: DailyReportSettings
    days: list[CalendarDay]
    counts: Counter
    expected: int
    expected_so_far: int
    reports: list[DailyReport]

    @property
    def approved(self) -> int:
        return self.counts[DayState.APPROVED]

    @property
    def weeks(self) -> list[list[CalendarDay | None]]:
        """The term's days in weeks from Monday to Sunday, padded with None, for a month-like grid."""
        if not self.days:
            return []
        cells: list[CalendarDay | None] = [None] * self.days[0].day.weekday() + list(self.days)
        cells += [None] * (-len(cells) % 7)
        return [cells[i : i + 7] for i in range(0, len(cells), 7)]

    def day(self, day: dt.date) -> CalendarDay | None:
        return next((d for d in self.days if d.day == day), None)


def report_calendar(*, internship: Internship, now: dt.datetime | None = None) -> ReportCalendar:
    """Every day of the internship's term with what it is and where its report stands, the counts per state,
    and the reports (also of days no longer expected): five queries however long the term."""
    zone = intern_zone(internship)
    today = local_date(now or clock.now(), zone)
    settings = settings_for(cycle_id=internship.placement.cycle_id)
    calendar = work_calendar_for(internship=internship)
    reopened = _reopened_by_internship([internship.pk])[internship.pk]
    reports = list(DailyReport.objects.filter(internship=internship).order_by("day"))
    by_day = {report.day: report for report in reports}
    days: list[CalendarDay] = []
    counts: Counter = Counter()
    expected = expected_so_far = 0
    if internship.starts_on and internship.ends_on:
        for info in calendar.days(internship.starts_on, internship.ends_on):
            entry = CalendarDay(info=info, in_term=True, is_today=info.day == today)
            if info.is_activity_day:
                report = by_day.get(info.day)
                entry.report = report
                entry.writable = day_writability(
                    internship=internship, day=info.day, today=today, calendar=calendar,
                    late_limit_days=settings.late_limit_days, reopened_until=reopened.get(info.day),
                    report=report, zone=zone, is_activity_day=True,
                )  # fmt: skip
                entry.state = day_state(day=info.day, today=today, report=report, writable=entry.writable)
                counts[entry.state] += 1
                expected += 1
                expected_so_far += info.day <= today
            days.append(entry)
    return ReportCalendar(
        internship=internship, today=today, zone=zone, settings=settings, days=days,
        counts=counts, expected=expected, expected_so_far=expected_so_far, reports=reports,
    )  # fmt: skip


def writability_of(
    *, internship: Internship, day: dt.date, report: DailyReport | None, now: dt.datetime | None = None
) -> Writability:
    """Whether the intern may write `day` now (the rule of `day_writability`, with what it needs read)."""
    reopening = DayReopening.objects.filter(internship=internship, day=day).values_list(
        "writable_until", flat=True
    )
    return day_writability(
        internship=internship, day=day, today=intern_today(internship, now=now),
        calendar=work_calendar_for(internship=internship),
        late_limit_days=settings_for(cycle_id=internship.placement.cycle_id).late_limit_days,
        reopened_until=reopening.first(), report=report, zone=intern_zone(internship),
    )  # fmt: skip


def report_of_day(*, internship: Internship, day: dt.date) -> DailyReport | None:
    return DailyReport.objects.filter(internship=internship, day=day).first()


# --- The host company ----------------------------------------------------------------------------------


def internships_of_company(*, company) -> QuerySet[Internship]:
    return (
        _internships()
        .filter(placement__position__company=company)
        .order_by("-placement__cycle__fiscal_year", "placement__application__family_name", "pk")
    )


def internship_of_company(*, company, pk: int) -> Internship | None:
    return internships_of_company(company=company).filter(pk=pk).first()


def waiting_reports_of_company(*, company) -> QuerySet[DailyReport]:
    """The reports waiting for the company's review, the longest-waiting first."""
    return (
        DailyReport.objects.filter(status=R.SUBMITTED, internship__placement__position__company=company)
        .select_related("internship__placement__application", "internship__placement__position")
        .order_by("submitted_at", "pk")
    )


def waiting_working_days(reports: Iterable[DailyReport], *, now: dt.datetime | None = None) -> dict[int, int]:
    """How many working days (the company's calendar, in Japan) each submitted report has waited since the day
    it was submitted: one query for the closures, however many reports."""
    reports = list(reports)
    if not reports:
        return {}
    today = (now or clock.now()).astimezone(clock.JST).date()
    keys = {_key(r.internship) for r in reports}
    closures = closures_by_company(cycle_ids={k[0] for k in keys}, company_ids={k[1] for k in keys})
    calendars = {key: WorkCalendar(closures=closures[key]) for key in keys}
    counted: dict[tuple, int] = {}  # many reports of a company were submitted on the same day
    out = {}
    for report in reports:
        if report.submitted_at is None:
            continue
        key = (_key(report.internship), report.submitted_at.astimezone(clock.JST).date())
        if key not in counted:
            counted[key] = calendars[key[0]].working_days_between(key[1], today)
        out[report.pk] = counted[key]
    return out


def report_of_company(*, company, pk: int) -> DailyReport | None:
    return (
        DailyReport.objects.filter(pk=pk, internship__placement__position__company=company)
        .select_related("internship__placement__application", "internship__placement__position__company")
        .first()
    )


# --- The activity-support funds -----------------------------------------------------------------------


def activity_days_for(*, internship: Internship, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from `start` to `end` (both included) the funds count: the days whose report the host company
    (or the office on its behalf) approved. The activity-support funds are paid per day (docs/program.md,
    "Activity-support funds"); this is the one read they make of the daily reports."""
    return list(
        DailyReport.objects.filter(internship=internship, status=R.APPROVED, day__gte=start, day__lte=end)
        .order_by("day")
        .values_list("day", flat=True)
    )


# --- The office's compliance ---------------------------------------------------------------------------


class ReportFacts(NamedTuple):
    """A report as the compliance counts it (the fields `day_writability` and `day_state` read)."""

    status: str
    is_late: bool
    reviewed_at: dt.datetime | None  # only for a returned report
    submitted_at: dt.datetime | None  # only for a submitted report


# The day states the compliance counts (today's open day and the days to come are not counted).
COUNTED_STATES = (
    DayState.APPROVED, DayState.SUBMITTED, DayState.RETURNED, DayState.DRAFT, DayState.LATE, DayState.MISSING,
)  # fmt: skip


@dataclass
class ComplianceRow:
    internship: Internship
    today: dt.date
    expected: int = 0
    expected_so_far: int = 0
    approved: int = 0
    submitted: int = 0
    returned: int = 0
    draft: int = 0
    late: int = 0
    missing: int = 0
    written_late: int = 0
    waiting_days: int = 0  # the longest wait of a submitted report, in the company's working days
    open_concern: bool = False

    @property
    def intern_name(self) -> str:
        application = self.internship.placement.application
        return application.full_name or application.applicant.email

    @property
    def company_name(self) -> str:
        return self.internship.placement.position.company.name


class ConcernState(TypedDict):
    open_concern: bool  # a mid-term interview's concern is not closed yet


def _compliance_internships(
    *, cycle: ProgramCycle, course: str = "", term: CourseTerm | None = None, company_id: int | None = None
) -> QuerySet[WithAnnotations[Internship, ConcernState]]:
    queryset = (
        _internships()
        .filter(placement__cycle=cycle)
        .annotate(
            open_concern=Exists(
                MidTermInterview.objects.filter(
                    internship=OuterRef("pk"), has_concern=True, concern_closed_on__isnull=True
                )
            )
        )
        .order_by("placement__position__company__name_en", "placement__application__family_name", "pk")
    )
    if course:
        queryset = queryset.filter(placement__course=course)
    if term is not None:
        queryset = queryset.filter(placement__course=term.course.kind)
        if term.starts_on and term.ends_on:
            queryset = queryset.filter(starts_on__lte=term.ends_on, ends_on__gte=term.starts_on)
    if company_id:
        queryset = queryset.filter(placement__position__company_id=company_id)
    return queryset


def compliance_rows(
    *,
    cycle: ProgramCycle,
    course: str = "",
    term: CourseTerm | None = None,
    company_id: int | None = None,
    waiting_more_than: int | None = None,
    now: dt.datetime | None = None,
) -> list[ComplianceRow]:
    """Per intern of the cycle: expected days (the whole term and so far), and the days approved, submitted,
    returned, in draft, late (still writable), missing (beyond the limit), the reports written late, the
    longest wait for the company, and whether a mid-term concern is open. Filtered by course, term, company
    and waiting days (more than that many working days). Six queries however many interns and days."""
    now = now or clock.now()
    internships = list(_compliance_internships(cycle=cycle, course=course, term=term, company_id=company_id))
    if not internships:
        return []
    ids = [i.pk for i in internships]
    settings = settings_for(cycle_id=cycle.pk)
    closures = closures_by_company(cycle_ids=[cycle.pk], company_ids={_key(i)[1] for i in internships})
    extra = _extra_days_by_internship(ids)
    reopened = _reopened_by_internship(ids)
    reports: dict[int, dict[dt.date, ReportFacts]] = defaultdict(dict)
    # What the counts need of each report, as plain tuples: a cycle holds thousands. The times are read only
    # where they count (a returned report's return, a waiting report's submission).
    facts = DailyReport.objects.filter(internship_id__in=ids).values_list(
        "internship_id",
        "day",
        "status",
        "is_late",
        Case(When(status=R.RETURNED, then="reviewed_at")),
        Case(When(status=R.SUBMITTED, then="submitted_at")),
    )
    for internship_id, day, status, is_late, reviewed_at, submitted_at in facts:
        reports[internship_id][day] = ReportFacts(status, is_late, reviewed_at, submitted_at)
    today_jst = now.astimezone(clock.JST).date()
    company_calendars = {key: WorkCalendar(closures=value) for key, value in closures.items()}
    rows = []
    for internship in internships:
        zone = intern_zone(internship)
        today = local_date(now, zone)
        calendar = WorkCalendar(closures=closures[_key(internship)], extra_days=extra[internship.pk])
        row = ComplianceRow(internship=internship, today=today, open_concern=internship.open_concern)
        mine = reports[internship.pk]
        for day in expected_days(internship=internship, calendar=calendar):
            report = mine.get(day)
            writable = day_writability(
                internship=internship, day=day, today=today, calendar=calendar,
                late_limit_days=settings.late_limit_days, reopened_until=reopened[internship.pk].get(day),
                report=report, zone=zone, is_activity_day=True,
            )  # fmt: skip
            state = day_state(day=day, today=today, report=report, writable=writable)
            row.expected += 1
            row.expected_so_far += day <= today
            if state in COUNTED_STATES:
                setattr(row, state, getattr(row, state) + 1)
        row.written_late = sum(report.is_late for report in mine.values())
        waiting_since = [r.submitted_at for r in mine.values() if r.submitted_at is not None]
        if waiting_since:  # the longest wait is the oldest submission's
            oldest = min(waiting_since).astimezone(clock.JST).date()
            row.waiting_days = company_calendars[_key(internship)].working_days_between(oldest, today_jst)
        if waiting_more_than is not None and row.waiting_days <= waiting_more_than:
            continue
        rows.append(row)
    return rows


# --- Reminders -----------------------------------------------------------------------------------------


def internships_under_way() -> QuerySet[Internship]:
    return _internships().filter(
        status=InternshipStatus.IN_PROGRESS, starts_on__isnull=False, ends_on__isnull=False
    )


def interns_to_remind(*, now: dt.datetime) -> list[tuple[Internship, dt.date]]:
    """The interns to remind now, with the day: their local time has passed the cycle's reminder time, their
    local date is an activity day of their term, and that day has no submitted report yet. Never on a
    weekend, a public holiday or a closure day. Five queries however many interns."""
    internships = list(internships_under_way())
    if not internships:
        return []
    ids = [i.pk for i in internships]
    settings = settings_by_cycle(i.placement.cycle_id for i in internships)
    closures = closures_by_company(cycle_ids=settings.keys(), company_ids={_key(i)[1] for i in internships})
    extra = _extra_days_by_internship(ids)
    due = []
    for internship in internships:
        zone = intern_zone(internship)
        local = now.astimezone(zone)
        day = local.date()
        starts, ends = internship.starts_on, internship.ends_on  # dated: internships_under_way's filter
        if starts is None or ends is None or not (starts <= day <= ends):
            continue
        if local.time() < settings[internship.placement.cycle_id].reminder_time:
            continue
        calendar = WorkCalendar(closures=closures[_key(internship)], extra_days=extra[internship.pk])
        if calendar.is_activity_day(day):
            due.append((internship, day))
    if not due:
        return []
    done = set(
        DailyReport.objects.filter(
            internship_id__in=[i.pk for i, _ in due], status__in=SUBMITTED_STATES
        ).values_list("internship_id", "day")
    )
    return [(internship, day) for internship, day in due if (internship.pk, day) not in done]


def reports_waiting_too_long(*, now: dt.datetime) -> list[tuple[DailyReport, int]]:
    """Submitted reports that have waited for the company more than the cycle's limit of working days and
    whose company was not reminded of them yet, with the days waited."""
    from ..models import DailyReportReminder, ReminderKind

    reports = list(
        DailyReport.objects.filter(status=R.SUBMITTED, submitted_at__isnull=False)
        .exclude(Exists(DailyReportReminder.objects.filter(kind=ReminderKind.COMPANY, report=OuterRef("pk"))))
        .select_related(
            "internship__placement__cycle",
            "internship__placement__application",
            "internship__placement__position__company",
        )
        .order_by("submitted_at", "pk")
    )
    if not reports:
        return []
    settings = settings_by_cycle(r.internship.placement.cycle_id for r in reports)
    waited = waiting_working_days(reports, now=now)
    return [
        (report, waited[report.pk])
        for report in reports
        if waited.get(report.pk, 0) > settings[report.internship.placement.cycle_id].company_waiting_days
    ]


def cycles_under_way() -> QuerySet[ProgramCycle]:
    under_way = Internship.objects.filter(status=InternshipStatus.IN_PROGRESS).values("placement__cycle_id")
    return ProgramCycle.objects.filter(pk__in=under_way).order_by("fiscal_year")


def office_digest_rows(*, cycle: ProgramCycle, now: dt.datetime) -> list[ComplianceRow]:
    """The interns of the cycle the office should look at this week: days missing or late, or a mid-term
    concern open; those with a concern first."""
    rows = [
        row
        for row in compliance_rows(cycle=cycle, now=now)
        if row.internship.status == InternshipStatus.IN_PROGRESS
        and (row.missing or row.late or row.open_concern)
    ]
    return sorted(rows, key=lambda row: (not row.open_concern, -(row.missing + row.late)))


# --- Mid-term interviews -------------------------------------------------------------------------------


def open_concern_q() -> Q:
    return Q(has_concern=True, concern_closed_on__isnull=True)
