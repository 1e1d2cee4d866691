"""Reads of the activity-support funds (docs/funds.md): the cycle's settings, the course's rate, the intern's
payout currency, the month's exchange rate, and the statements an intern may see (their own only).

The approved days are read through `internships.selectors.daily_reports.activity_days_for`, the one read the
funds make of the daily reports; the reasons of the days not counted come from the daily reports' calendar.
"""

from __future__ import annotations

import datetime as dt

from babel.numbers import get_territory_currencies
from django.db.models import Prefetch, QuerySet

from jip import clock
from jip.models import Course, ProgramCycle

from ..funds import DayReason, Quote
from ..models import (
    ExchangeRate,
    FundSettings,
    Internship,
    InternshipStatus,
    PayoutCurrency,
    Statement,
    StatementLine,
    StatementState,
)
from ..models.funds import YEN
from . import daily_reports

# Statements are made for internships under way or completed (a report exists only then).
PAYABLE_STATUSES = (InternshipStatus.IN_PROGRESS, InternshipStatus.COMPLETED)


def fund_settings_for(*, cycle_id: int) -> FundSettings:
    """The cycle's activity-support settings; a cycle without its row has the fields' defaults."""
    return FundSettings.objects.filter(cycle_id=cycle_id).first() or FundSettings(cycle_id=cycle_id)


def course_of(*, internship: Internship) -> Course | None:
    """The cycle's course of the intern: its rate in yen per day, whether it is paid in local currency."""
    placement = internship.placement
    return Course.objects.filter(cycle_id=placement.cycle_id, kind=placement.course).first()


def default_payout_currency(*, internship: Internship, course: Course | None) -> str | None:
    """Yen for a course paid in yen; for one paid in local currency, the currency CLDR gives the intern's
    country of residence on the first day of the term (None when the country is unknown)."""
    if course is None or not course.paid_in_local_currency:
        return YEN
    country = str(internship.placement.application.residence_country or "")
    if not country:
        return None
    currencies = get_territory_currencies(country, start_date=internship.starts_on or clock.today_jst())
    return currencies[0] if currencies else None


def payout_currency_of(*, internship: Internship, course: Course | None) -> str | None:
    """The intern's payout currency: the office's choice if it made one, the default otherwise."""
    chosen = PayoutCurrency.objects.filter(internship=internship).values_list("currency", flat=True).first()
    return chosen or default_payout_currency(internship=internship, course=course)


def quote_for(*, currency: str, month: dt.date) -> Quote | None:
    """The exchange rate of `currency` for the month of `month`, as a statement uses it."""
    rate = ExchangeRate.objects.filter(currency=currency, month=month.replace(day=1)).first()
    if rate is None:
        return None
    return Quote(rate.currency, rate.yen_per_unit, rate.month, rate.source)


def report_states_for(*, internship: Internship) -> dict[dt.date, str]:
    """The status of each expected day's report that is not approved, from the daily reports' calendar:
    "returned", "submitted" or "draft" (a day without a report has none)."""
    calendar = daily_reports.report_calendar(internship=internship)
    return {entry.day: entry.report.status for entry in calendar.days if entry.report is not None}


def internships_to_pay(*, cycle: ProgramCycle) -> QuerySet[Internship]:
    """The cycle's internships that statements are made for: under way or completed, with their dates set."""
    return (
        Internship.objects.select_related(
            "placement__cycle", "placement__application", "placement__position__company"
        )
        .filter(placement__cycle=cycle, status__in=PAYABLE_STATUSES)
        .exclude(starts_on=None)
        .exclude(ends_on=None)
        .order_by("pk")
    )


def statements_of_period(*, internship: Internship, start: dt.date, end: dt.date) -> list[Statement]:
    return list(
        Statement.objects.filter(internship=internship, period_start=start, period_end=end).order_by("pk")
    )


def days_counted_before(*, internship: Internship, excluding: Statement | None = None) -> set[dt.date]:
    """The days already counted on the intern's frozen statements (confirmed, exported or paid)."""
    lines = StatementLine.objects.filter(statement__internship=internship, reason=DayReason.COUNTED).exclude(
        statement__state=StatementState.DRAFT
    )
    if excluding is not None and excluding.pk is not None:
        lines = lines.exclude(statement=excluding)
    return set(lines.values_list("day", flat=True))


# --- The intern's own statements ------------------------------------------------------------------------


def statements_of_intern(*, user) -> list[Statement]:
    """The intern's statements, newest period first; not the drafts, which the office has not confirmed."""
    if not user.is_authenticated:
        return []
    return list(
        Statement.objects.filter(internship__placement__application__applicant=user)
        .exclude(state=StatementState.DRAFT)
        .order_by("-period_start", "-pk")
    )


def statement_of_intern(*, user, pk: int) -> Statement | None:
    """One of the intern's own confirmed statements with its lines (None for anyone else's: a 404)."""
    if not user.is_authenticated:
        return None
    return (
        Statement.objects.filter(internship__placement__application__applicant=user, pk=pk)
        .exclude(state=StatementState.DRAFT)
        .prefetch_related(Prefetch("lines", queryset=StatementLine.objects.order_by("day")))
        .first()
    )
