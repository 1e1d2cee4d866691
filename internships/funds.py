"""The sum of an activity-support statement, as pure functions over dates and Decimals: no database
(docs/funds.md; docs/program.md §14).

An intern is paid a rate in yen for each day of their term whose daily report was approved (the days come from
`internships.selectors.daily_reports.activity_days_for`, the one read the funds make of the reports). Every
other expected day of the period is listed too, with why it is not counted, so whoever reads a statement can
redo the sum by hand: days × rate = yen; yen ÷ (yen per unit of the payout currency) = the amount, rounded
once, by the cycle's rule, to the currency's minor unit as CLDR gives it (Babel). Never a float.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from babel.numbers import get_currency_precision

from .calendar import DayKind, WorkCalendar, holiday_name
from .models.funds import YEN, Rounding, StatementPeriod

ROUNDING_MODES = {
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.DOWN: decimal.ROUND_DOWN,
}


class DayReason(StrEnum):
    """What a line of a statement says about its day. Only COUNTED is paid."""

    COUNTED = "counted"  # the report was approved
    EARLIER_STATEMENT = "earlier_statement"  # approved, and counted on an earlier statement already
    RETURNED = "returned"  # the company returned the report; it is not approved (yet)
    WAITING = "waiting"  # submitted, not approved yet
    MISSING = "missing"  # no report submitted
    HOLIDAY = "holiday"  # a Japanese public holiday: no report expected
    CLOSURE = "closure"  # the office's or the company's closure: no report expected
    OUTSIDE_TERM = "outside_term"  # an approved report of a day outside the internship's term


@dataclass(frozen=True)
class Line:
    """One day of a statement. `name_en`/`name_ja` name the holiday or the closure, kept in both languages so
    that a frozen statement renders in its reader's; a holiday has only jpholiday's Japanese name."""

    day: dt.date
    reason: DayReason
    name_en: str = ""
    name_ja: str = ""

    @property
    def counted(self) -> bool:
        return self.reason == DayReason.COUNTED


@dataclass(frozen=True)
class Quote:
    """An exchange rate as a statement uses it: yen per unit of the currency, the month it holds for, its
    source."""

    currency: str
    yen_per_unit: Decimal
    month: dt.date
    source: str


class ExchangeRateMissing(LookupError):
    """The payout currency is not yen and no rate was given for it."""


@dataclass(frozen=True)
class Computation:
    lines: tuple[Line, ...]
    yen_per_day: int
    currency: str
    minor_digits: int
    rounding: str
    quote: Quote | None
    counted_days: int
    yen_total: int
    amount: Decimal

    @property
    def unrounded(self) -> Decimal:
        """The amount before rounding, as the statement shows it to explain the last digit."""
        return _convert(Decimal(self.yen_total), self.quote)


def minor_digits(currency: str) -> int:
    """The decimals a currency is paid to (ISO 4217 minor unit, CLDR's data): JPY 0, VND 0, INR 2, KWD 3."""
    return int(get_currency_precision(currency))


def _convert(yen: Decimal, quote: Quote | None) -> Decimal:
    if quote is None:
        return yen
    with decimal.localcontext() as context:
        context.prec = 40
        return yen / quote.yen_per_unit


def payout_amount(*, yen: int, currency: str, quote: Quote | None, rounding: str) -> Decimal:
    """`yen` in the payout currency, rounded once to its minor unit by the cycle's rule (half up, unless
    the cycle says otherwise)."""
    if currency == YEN:
        return Decimal(yen)
    if quote is None or quote.currency != currency:
        raise ExchangeRateMissing(currency)
    exponent = Decimal(1).scaleb(-minor_digits(currency))
    return _convert(Decimal(yen), quote).quantize(exponent, rounding=ROUNDING_MODES[Rounding(rounding)])


def statement_lines(
    *,
    start: dt.date,
    end: dt.date,
    term_start: dt.date,
    term_end: dt.date,
    calendar: WorkCalendar,
    approved: Iterable[dt.date],
    report_states: Mapping[dt.date, str],
    counted_before: Collection[dt.date] = (),
) -> tuple[Line, ...]:
    """Every day from `start` to `end` that a reader must see: each approved day (counted, unless an earlier
    statement counted it, or it lies outside the term), and each other day of the term that is not a weekend,
    with its reason. `report_states` holds the status of the days' reports that are not approved ("returned",
    "submitted", "draft"); a day without one is missing. An approved day given twice counts once."""
    approved_days = set(approved)
    lines: list[Line] = []
    for info in calendar.days(start, end):
        day = info.day
        in_term = term_start <= day <= term_end
        if day in approved_days:
            if not in_term:
                lines.append(Line(day, DayReason.OUTSIDE_TERM))
            elif day in counted_before:
                lines.append(Line(day, DayReason.EARLIER_STATEMENT))
            else:
                lines.append(Line(day, DayReason.COUNTED))
        elif not in_term or info.kind == DayKind.WEEKEND:
            continue
        elif info.kind == DayKind.HOLIDAY:
            lines.append(Line(day, DayReason.HOLIDAY, name_ja=holiday_name(day) or ""))
        elif info.kind == DayKind.CLOSURE:
            closure = calendar.closure_on(day)
            assert closure is not None  # the calendar said so
            lines.append(Line(day, DayReason.CLOSURE, closure.name_en, closure.name_ja))
        else:
            state = report_states.get(day, "")
            reason = {"returned": DayReason.RETURNED, "submitted": DayReason.WAITING}.get(
                state, DayReason.MISSING
            )
            lines.append(Line(day, reason))
    return tuple(lines)


def compute(
    *, lines: Iterable[Line], yen_per_day: int, currency: str, quote: Quote | None, rounding: str
) -> Computation:
    """The totals of a statement's lines: counted days × the rate in yen, converted once and rounded once."""
    lines = tuple(lines)
    counted = sum(1 for line in lines if line.counted)
    yen = counted * yen_per_day
    return Computation(
        lines=lines, yen_per_day=yen_per_day, currency=currency, minor_digits=minor_digits(currency),
        rounding=rounding, quote=None if currency == YEN else quote, counted_days=counted, yen_total=yen,
        amount=payout_amount(yen=yen, currency=currency, quote=quote, rounding=rounding),
    )  # fmt: skip


def statement_periods(
    *, term_start: dt.date, term_end: dt.date, period: str
) -> list[tuple[dt.date, dt.date]]:
    """The periods of the term's statements: the whole term, or each calendar month it touches (a month's
    statement covers the whole month; the days outside the term count nothing)."""
    if StatementPeriod(period) == StatementPeriod.TERM:
        return [(term_start, term_end)]
    periods = []
    first = term_start.replace(day=1)
    while first <= term_end:
        following = (first + dt.timedelta(days=32)).replace(day=1)
        periods.append((first, following - dt.timedelta(days=1)))
        first = following
    return periods
