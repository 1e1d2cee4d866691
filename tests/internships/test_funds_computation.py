"""The sum of an activity-support statement (internships.funds), table-driven as issue #14 lists it: each
course, zero- and two-decimal currencies, rounding at the half, a rate change between two periods, a day
approved after its statement was paid, a duplicate day, a returned day (docs/funds.md).

October 2024 in Japan: Monday 14 October is Sports Day; the JIP office's closure below covers 30–31 October.
"""

import datetime as dt
from decimal import Decimal

import pytest

from internships.calendar import Closure, WorkCalendar
from internships.funds import (
    DayReason,
    ExchangeRateMissing,
    Line,
    Quote,
    compute,
    minor_digits,
    payout_amount,
    statement_lines,
    statement_periods,
)

D = dt.date
OCTOBER = (D(2024, 10, 1), D(2024, 10, 31))
TERM = (D(2024, 10, 1), D(2024, 11, 29))
CLOSURE = Closure(D(2024, 10, 30), D(2024, 10, 31), "Office closure", "事務局休業日")
CALENDAR = WorkCalendar(closures=[CLOSURE])
# The 20 activity days of October 2024 on this calendar: 23 weekdays, less Sports Day and the two closure days.
OCTOBER_DAYS = CALENDAR.activity_days(*OCTOBER)


def quote(currency: str, yen_per_unit: str, month: dt.date | None = None) -> Quote:
    return Quote(currency, Decimal(yen_per_unit), month or OCTOBER[0], "MOF reference rate")


def october(approved, *, report_states=None, counted_before=(), term=TERM) -> tuple[Line, ...]:
    return statement_lines(
        start=OCTOBER[0], end=OCTOBER[1], term_start=term[0], term_end=term[1], calendar=CALENDAR,
        approved=approved, report_states=report_states or {}, counted_before=counted_before,
    )  # fmt: skip


def test_october_has_twenty_activity_days():
    assert len(OCTOBER_DAYS) == 20
    assert D(2024, 10, 14) not in OCTOBER_DAYS and D(2024, 10, 30) not in OCTOBER_DAYS


# Each course at FY2024's rates (docs/program.md §14): the course's rate in yen per day, its payout currency
# with the month's rate, the days approved → yen total, amount in the payout currency.
@pytest.mark.parametrize(
    ("course", "yen_per_day", "currency", "rate", "days", "yen", "amount"),
    [
        ("in person, every day approved", 3000, "JPY", None, 20, 60_000, "60000"),
        ("in person, ten days", 3000, "JPY", None, 10, 30_000, "30000"),
        ("in person, none", 3000, "JPY", None, 0, 0, "0"),
        # Zero-decimal currency: Vietnamese dong, 1 VND = 0.0059 yen; 20,000 / 0.0059 = 3,389,830.51…
        ("online, dong", 1000, "VND", "0.0059", 20, 20_000, "3389831"),
        # Two-decimal currencies: 20,000 / 1.79 = 11,173.184… rupees; 20,000 / 1.1645 = 17,174.753… shillings.
        ("online, rupee", 1000, "INR", "1.79", 20, 20_000, "11173.18"),
        ("online, shilling", 1000, "KES", "1.1645", 20, 20_000, "17174.75"),
        # Three-decimal: 20,000 / 495.5 = 40.36327… dinars.
        ("online, dinar", 1000, "KWD", "495.5", 20, 20_000, "40.363"),
        ("online paid in yen", 1000, "JPY", None, 4, 4_000, "4000"),
    ],
)
def test_each_course(course, yen_per_day, currency, rate, days, yen, amount):
    lines = october(OCTOBER_DAYS[:days])
    result = compute(
        lines=lines, yen_per_day=yen_per_day, currency=currency,
        quote=quote(currency, rate) if rate else None, rounding="half_up",
    )  # fmt: skip
    assert (result.counted_days, result.yen_total, result.amount) == (days, yen, Decimal(amount))
    assert str(result.amount) == amount  # to the currency's minor unit, no more, no fewer digits
    assert result.minor_digits == {"JPY": 0, "VND": 0, "INR": 2, "KES": 2, "KWD": 3}[currency]


@pytest.mark.parametrize(
    ("currency", "digits"), [("JPY", 0), ("VND", 0), ("INR", 2), ("KES", 2), ("KWD", 3), ("USD", 2)]
)
def test_minor_units_come_from_cldr(currency, digits):
    assert minor_digits(currency) == digits


# Rounding at the half, once, to the minor unit: 1,000 yen at 1,600 yen a unit is 0.625 exactly; at 80 yen a
# unit of a zero-decimal currency (an invented rate) 12.5; at 3,200 a unit of the dinar, 0.3125.
@pytest.mark.parametrize(
    ("currency", "rate", "rounding", "amount"),
    [
        ("INR", "1600", "half_up", "0.63"),
        ("INR", "1600", "half_even", "0.62"),
        ("INR", "1600", "down", "0.62"),
        ("VND", "80", "half_up", "13"),
        ("VND", "80", "half_even", "12"),
        ("VND", "80", "down", "12"),
        ("KWD", "3200", "half_up", "0.313"),
        ("KWD", "3200", "half_even", "0.312"),
        # Just below the half rounds down whatever the rule: 1,000 / 1,600.01 = 0.62499…
        ("INR", "1600.01", "half_up", "0.62"),
    ],
)
def test_rounding_at_the_half(currency, rate, rounding, amount):
    assert payout_amount(yen=1000, currency=currency, quote=quote(currency, rate), rounding=rounding) == (
        Decimal(amount)
    )


def test_rounding_is_applied_once_to_the_total_not_per_day():
    # Per day 1,000 / 1,600 = 0.625 → 0.63, three days 1.89; on the total 3,000 / 1,600 = 1.875 → 1.88.
    lines = october(OCTOBER_DAYS[:3])
    result = compute(
        lines=lines, yen_per_day=1000, currency="INR", quote=quote("INR", "1600"), rounding="half_up"
    )
    assert (result.yen_total, result.unrounded, result.amount) == (3000, Decimal("1.875"), Decimal("1.88"))


def test_a_rate_change_between_two_periods():
    """October at 1.79 yen a rupee, November at 1.85: each period's statement uses its own month's rate."""
    november = (D(2024, 11, 1), D(2024, 11, 30))
    approved_november = CALENDAR.activity_days(*november)  # 1–29 November, less 4 November (holiday)
    oct_result = compute(
        lines=october(OCTOBER_DAYS), yen_per_day=1000, currency="INR", quote=quote("INR", "1.79"),
        rounding="half_up",
    )  # fmt: skip
    nov_lines = statement_lines(
        start=november[0], end=november[1], term_start=TERM[0], term_end=TERM[1], calendar=CALENDAR,
        approved=approved_november, report_states={},
    )  # fmt: skip
    nov_result = compute(
        lines=nov_lines, yen_per_day=1000, currency="INR", quote=quote("INR", "1.85", D(2024, 11, 1)),
        rounding="half_up",
    )  # fmt: skip
    assert (oct_result.counted_days, oct_result.amount) == (20, Decimal("11173.18"))
    # 20 days too: the 21 weekdays of November up to the term's end on the 29th, less the 4th (the substitute
    # holiday of Culture Day); 20,000 / 1.85 = 10,810.8108…
    assert (nov_result.counted_days, nov_result.yen_total) == (20, 20_000)
    assert nov_result.amount == Decimal("10810.81")
    assert (nov_result.quote.month, nov_result.quote.yen_per_unit) == (D(2024, 11, 1), Decimal("1.85"))


def test_a_day_approved_after_the_statement_was_paid_goes_on_a_supplementary_statement():
    late = OCTOBER_DAYS[-1]
    first = compute(lines=october(OCTOBER_DAYS[:-1]), yen_per_day=3000, currency="JPY", quote=None,
                    rounding="half_up")  # fmt: skip
    # Later the last day is approved too; the first statement counted the others.
    counted_first = {line.day for line in first.lines if line.counted}
    supplement = compute(
        lines=october(OCTOBER_DAYS, counted_before=counted_first), yen_per_day=3000, currency="JPY",
        quote=None, rounding="half_up",
    )  # fmt: skip
    assert (first.counted_days, first.yen_total) == (19, 57_000)
    assert (supplement.counted_days, supplement.yen_total) == (1, 3000)
    assert [line.day for line in supplement.lines if line.counted] == [late]
    earlier = [line.day for line in supplement.lines if line.reason == DayReason.EARLIER_STATEMENT]
    assert earlier == OCTOBER_DAYS[:-1]


def test_a_duplicate_day_counts_once():
    day = OCTOBER_DAYS[0]
    result = compute(lines=october([day, day, OCTOBER_DAYS[1]]), yen_per_day=3000, currency="JPY", quote=None,
                     rounding="half_up")  # fmt: skip
    assert (result.counted_days, result.yen_total) == (2, 6000)
    assert [line.day for line in result.lines].count(day) == 1


def test_every_day_not_counted_says_why():
    returned, waiting = D(2024, 10, 2), D(2024, 10, 3)
    approved = [D(2024, 10, 1), D(2024, 10, 4)]
    states = {returned: "returned", waiting: "submitted", D(2024, 10, 7): "draft"}
    by_day = {line.day: line for line in october(approved, report_states=states)}
    assert by_day[D(2024, 10, 1)].reason == DayReason.COUNTED
    assert by_day[returned].reason == DayReason.RETURNED
    assert by_day[waiting].reason == DayReason.WAITING
    assert by_day[D(2024, 10, 7)].reason == DayReason.MISSING  # a draft was never submitted
    assert by_day[D(2024, 10, 8)].reason == DayReason.MISSING  # nothing written
    assert by_day[D(2024, 10, 14)] == Line(D(2024, 10, 14), DayReason.HOLIDAY, "", "スポーツの日")
    assert by_day[D(2024, 10, 30)] == Line(
        D(2024, 10, 30), DayReason.CLOSURE, "Office closure", "事務局休業日"
    )
    assert D(2024, 10, 5) not in by_day  # a Saturday: nothing expected, nothing to say
    # Every weekday of October is on the statement, and only the approved ones count.
    assert len(by_day) == 23
    assert sum(line.counted for line in by_day.values()) == 2


def test_a_returned_day_is_not_counted_until_it_is_approved():
    day = OCTOBER_DAYS[0]
    before = compute(lines=october([], report_states={day: "returned"}), yen_per_day=3000, currency="JPY",
                     quote=None, rounding="half_up")  # fmt: skip
    after = compute(lines=october([day], report_states={}), yen_per_day=3000, currency="JPY", quote=None,
                    rounding="half_up")  # fmt: skip
    assert (before.counted_days, before.yen_total) == (0, 0)
    assert (after.counted_days, after.yen_total) == (1, 3000)


def test_days_outside_the_term():
    """A month that starts before the term lists no day before it; an approved day outside the term (the
    internship ended early after it) is shown and not counted."""
    term = (D(2024, 10, 15), D(2024, 10, 17))
    lines = october([D(2024, 10, 16), D(2024, 10, 18)], term=term)
    assert [(line.day, line.reason) for line in lines] == [
        (D(2024, 10, 15), DayReason.MISSING),
        (D(2024, 10, 16), DayReason.COUNTED),
        (D(2024, 10, 17), DayReason.MISSING),
        (D(2024, 10, 18), DayReason.OUTSIDE_TERM),
    ]


def test_a_currency_other_than_yen_needs_its_rate():
    with pytest.raises(ExchangeRateMissing):
        payout_amount(yen=1000, currency="INR", quote=None, rounding="half_up")
    with pytest.raises(ExchangeRateMissing):  # the rate of another currency is not a rate for this one
        payout_amount(yen=1000, currency="INR", quote=quote("VND", "0.0059"), rounding="half_up")


@pytest.mark.parametrize(
    ("period", "term", "periods"),
    [
        ("term", (D(2024, 10, 1), D(2024, 11, 29)), [(D(2024, 10, 1), D(2024, 11, 29))]),
        ("monthly", (D(2024, 10, 1), D(2024, 11, 29)),
         [(D(2024, 10, 1), D(2024, 10, 31)), (D(2024, 11, 1), D(2024, 11, 30))]),
        ("monthly", (D(2024, 11, 5), D(2025, 1, 10)),
         [(D(2024, 11, 1), D(2024, 11, 30)), (D(2024, 12, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 1, 31))]),
    ],
)  # fmt: skip
def test_statement_periods(period, term, periods):
    assert statement_periods(term_start=term[0], term_end=term[1], period=period) == periods
