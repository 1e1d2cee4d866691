"""The activity-support funds' data and statements, each change through its service, audited: the cycle's
settings, exchange rates, payout currencies; generation for a cycle (idempotent), supplementary statements for
days approved later, and the states draft → confirmed → exported → paid (docs/funds.md)."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from internships.funds import DayReason
from internships.models import (
    ExchangeRate,
    FundSettings,
    PayoutCurrency,
    Statement,
    StatementKind,
    StatementState,
)
from internships.selectors import funds as selectors
from internships.services import daily_reports as report_services
from internships.services import funds as services
from jip.models import AuditEntry

from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    approved,
    at,
    cycle,
    in_person,
    manager_of,
    online,
    submitted,
)

pytestmark = pytest.mark.django_db

D = dt.date
S = StatementState
AFTER_THE_TERMS = D(2025, 1, 6)  # every period of both fixtures' terms is over


def audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("at", "pk"))


def staff(django_user_model):
    return django_user_model.objects.create_user(email="office@jip.example", password="x", is_staff=True)


def generate(cycle) -> dict:
    return services.fund_statements_generate(cycle_id=cycle.pk, today=AFTER_THE_TERMS)


def statement_of(internship, month: int, kind=StatementKind.REGULAR) -> Statement:
    return Statement.objects.get(internship=internship, period_start__month=month, kind=kind)


def reasons(statement: Statement) -> dict[dt.date, str]:
    return dict(statement.lines.values_list("day", "reason"))


# --- What the office enters -----------------------------------------------------------------------------


def test_settings_rates_and_currencies_are_saved_and_audited(cycle, in_person):
    settings = services.fund_settings_save(
        settings=FundSettings(cycle=cycle, statement_period="term", rounding="half_even"), by=None
    )
    rate = services.exchange_rate_save(
        rate=ExchangeRate(currency="PEN", month=D(2024, 11, 1), yen_per_unit=Decimal("40.12"), source="MOF"),
        by=None,
    )
    payout = services.payout_currency_save(
        payout=PayoutCurrency(internship=in_person, currency="USD"), by=None
    )
    assert selectors.fund_settings_for(cycle_id=cycle.pk).statement_period == "term"
    assert [e.data for e in audit("funds.settings")] == [
        {"cycle": cycle.pk, "statement_period": "term", "rounding": "half_even"}
    ]
    assert audit("funds.exchange_rate.created")[0].data == {
        "currency": "PEN", "month": "2024-11-01", "yen_per_unit": "40.12", "source": "MOF",
    }  # fmt: skip
    assert audit("funds.payout_currency")[0].target_id == str(payout.pk)
    assert settings.history.count() == rate.history.count() == payout.history.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"currency": "XYZ"}, "currency"),  # not ISO 4217
        ({"currency": "pen"}, "currency"),  # codes are capitals
        ({"currency": "JPY"}, "currency"),  # yen need no rate
        ({"month": D(2024, 11, 15)}, "month"),  # a month is given by its first day
        ({"yen_per_unit": Decimal(0)}, "yen_per_unit"),
    ],
)
def test_an_exchange_rate_is_refused(fields, field):
    rate = ExchangeRate(**{"currency": "PEN", "month": D(2024, 11, 1), "yen_per_unit": Decimal("40"),
                           "source": "MOF", **fields})  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.exchange_rate_save(rate=rate, by=None)
    assert field in caught.value.error_dict
    assert not ExchangeRate.objects.exists() and not audit("funds.exchange_rate.created")


def test_the_payout_currency_by_default(in_person, online):
    """Yen in person (FY2024's course is paid in yen); the currency of the intern's country online (Peru)."""
    assert selectors.payout_currency_of(
        internship=in_person, course=selectors.course_of(internship=in_person)
    ) == ("JPY")
    assert (
        selectors.payout_currency_of(internship=online, course=selectors.course_of(internship=online))
        == "PEN"
    )
    services.payout_currency_save(payout=PayoutCurrency(internship=online, currency="USD"), by=None)
    assert (
        selectors.payout_currency_of(internship=online, course=selectors.course_of(internship=online))
        == "USD"
    )


# --- Generation -----------------------------------------------------------------------------------------


def test_generation_makes_each_ended_period_once(cycle, in_person):
    """FY2024 in person, ¥3,000 a day (docs/program.md §14): October and November, monthly by default."""
    approved(in_person, D(2024, 10, 1))
    approved(in_person, D(2024, 10, 2))
    returned = submitted(in_person, D(2024, 10, 3))
    report_services.daily_report_return(
        report=returned, comment="Add the hours.", by=manager_of(in_person), now=at(D(2024, 10, 3), 19)
    )
    submitted(in_person, D(2024, 10, 4))
    assert generate(cycle) == {"created": 2}
    october = statement_of(in_person, 10)
    assert (october.state, october.counted_days, october.yen_per_day, october.yen_total) == (
        S.DRAFT,
        2,
        3000,
        6000,
    )
    assert (october.currency, october.amount, october.rate_yen_per_unit) == ("JPY", Decimal(6000), None)
    lines = reasons(october)
    assert [lines[D(2024, 10, day)] for day in (1, 2, 3, 4, 7, 14)] == [
        DayReason.COUNTED, DayReason.COUNTED, DayReason.RETURNED, DayReason.WAITING, DayReason.MISSING,
        DayReason.HOLIDAY,
    ]  # fmt: skip
    assert statement_of(in_person, 11).counted_days == 0
    assert len(audit("funds.statement.created")) == 2
    # Again: nothing created twice, nothing changed.
    assert generate(cycle) == {"unchanged": 2}
    assert Statement.objects.count() == 2 and len(audit("funds.statement.recomputed")) == 0


def test_a_draft_is_recomputed_and_a_confirmed_statement_never(cycle, in_person, django_user_model):
    office = staff(django_user_model)
    approved(in_person, D(2024, 10, 1))
    generate(cycle)
    approved(in_person, D(2024, 10, 2))
    assert generate(cycle) == {"updated": 1, "unchanged": 1}
    october = statement_of(in_person, 10)
    assert (october.counted_days, october.yen_total) == (2, 6000)
    services.statement_confirm(statement=october, by=office)
    # A day approved after the confirmation goes on a supplementary statement, with that day only.
    approved(in_person, D(2024, 10, 7))
    assert generate(cycle) == {"supplement": 1, "unchanged": 1}
    october.refresh_from_db()
    assert (october.state, october.counted_days, october.yen_total) == (S.CONFIRMED, 2, 6000)
    supplement = statement_of(in_person, 10, StatementKind.SUPPLEMENTARY)
    assert (supplement.counted_days, supplement.yen_total) == (1, 3000)
    lines = reasons(supplement)
    assert lines[D(2024, 10, 7)] == DayReason.COUNTED
    assert lines[D(2024, 10, 1)] == lines[D(2024, 10, 2)] == DayReason.EARLIER_STATEMENT
    assert generate(cycle) == {"unchanged": 2}
    assert Statement.objects.filter(internship=in_person).count() == 3


def test_a_day_approved_after_the_statement_was_paid(cycle, in_person, django_user_model):
    office = staff(django_user_model)
    approved(in_person, D(2024, 10, 1))
    generate(cycle)
    october = services.statement_confirm(statement=statement_of(in_person, 10), by=office)
    services.statement_mark_paid(statement=october, by=office, paid_on=D(2024, 11, 15), reference="TR-1")
    approved(in_person, D(2024, 10, 2))
    generate(cycle)
    supplement = statement_of(in_person, 10, StatementKind.SUPPLEMENTARY)
    assert (supplement.state, supplement.counted_days) == (S.DRAFT, 1)
    october.refresh_from_db()
    assert (october.state, october.counted_days, october.paid_on) == (S.PAID, 1, D(2024, 11, 15))


def test_online_needs_the_months_rate_and_uses_it(cycle, online):
    """Online, ¥1,000 a day paid in soles at the rate of the month the period ends in, rounded half up to
    CLDR's two decimals of the sol."""
    approved(online, D(2024, 11, 5))
    approved(online, D(2024, 11, 6))
    approved(online, D(2024, 12, 2))
    assert generate(cycle) == {"no_rate": 2}
    assert not Statement.objects.exists()
    for month, rate in ((11, "40.15"), (12, "39.80")):
        services.exchange_rate_save(
            rate=ExchangeRate(currency="PEN", month=D(2024, month, 1), yen_per_unit=Decimal(rate),
                              source="MOF reference rate"), by=None,
        )  # fmt: skip
    assert generate(cycle) == {"created": 2}
    november, december = statement_of(online, 11), statement_of(online, 12)
    # 2,000 / 40.15 = 49.8132…; 1,000 / 39.80 = 25.1256…
    assert (november.yen_total, november.currency, november.amount) == (2000, "PEN", Decimal("49.81"))
    assert (november.rate_yen_per_unit, november.rate_month) == (Decimal("40.15"), D(2024, 11, 1))
    assert (december.yen_total, december.amount, december.minor_digits) == (1000, Decimal("25.13"), 2)


def test_periods_not_over_are_left_for_later(cycle, in_person):
    approved(in_person, D(2024, 10, 1))
    assert services.fund_statements_generate(cycle_id=cycle.pk, today=D(2024, 11, 1)) == {"created": 1}
    # On 31 October October is not over yet, nor November: nothing is made or touched.
    assert services.fund_statements_generate(cycle_id=cycle.pk, today=D(2024, 10, 31)) == {}
    assert Statement.objects.count() == 1


def test_a_whole_term_statement(cycle, in_person):
    services.fund_settings_save(settings=FundSettings(cycle=cycle, statement_period="term"), by=None)
    approved(in_person, D(2024, 10, 1))
    approved(in_person, D(2024, 11, 5))
    assert generate(cycle) == {"created": 1}
    statement = Statement.objects.get()
    assert (statement.period_start, statement.period_end) == (D(2024, 10, 1), D(2024, 11, 29))
    assert (statement.counted_days, statement.yen_total) == (2, 6000)


def test_generation_is_queued_on_the_worker(
    cycle, in_person, django_user_model, django_capture_on_commit_callbacks
):
    office = staff(django_user_model)
    approved(in_person, D(2024, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.fund_statements_generate_queue(cycle=cycle, by=office)
    # The task ran in-process (no broker in the tests); the periods before today (2026) are all over.
    assert Statement.objects.filter(internship=in_person).count() == 2
    assert audit("funds.statements.generate")[0].actor == office
    assert {e.actor for e in audit("funds.statement.created")} == {office}


# --- States ---------------------------------------------------------------------------------------------


def test_the_states_in_order_each_audited(cycle, in_person, django_user_model):
    office = staff(django_user_model)
    approved(in_person, D(2024, 10, 1))
    generate(cycle)
    statement = statement_of(in_person, 10)
    with pytest.raises(ValidationError):
        services.statement_mark_exported(statement=statement, by=office)
    with pytest.raises(ValidationError):
        services.statement_mark_paid(statement=statement, by=office, paid_on=D(2024, 11, 15), reference="R")
    statement = services.statement_confirm(statement=statement, by=office)
    with pytest.raises(ValidationError):
        services.statement_confirm(statement=statement, by=office)
    with pytest.raises(ValidationError) as caught:
        services.statement_mark_paid(statement=statement, by=office, paid_on=D(2024, 11, 15), reference=" ")
    assert "payment_reference" in caught.value.error_dict
    statement = services.statement_mark_exported(statement=statement, by=office)
    statement = services.statement_mark_paid(
        statement=statement, by=office, paid_on=D(2024, 11, 15), reference="ZENGIN-2024-11"
    )
    assert (statement.state, statement.paid_on, statement.payment_reference) == (
        S.PAID, D(2024, 11, 15), "ZENGIN-2024-11",
    )  # fmt: skip
    for action in ("confirmed", "exported", "paid"):
        assert [e.actor for e in audit(f"funds.statement.{action}")] == [office]
    assert audit("funds.statement.paid")[0].data["reference"] == "ZENGIN-2024-11"
    # A paid statement stays as it is, and nothing new was approved: no supplement.
    assert generate(cycle) == {"unchanged": 2}
    assert Statement.objects.count() == 2
