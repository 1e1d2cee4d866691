"""The office's workplace for the activity-support funds: the cycle's settings and the exchange rates saved
through their services (audited), the statements generated for a cycle on the worker, confirmed and marked paid
by action; nobody but JIP staff gets in (docs/funds.md)."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from internships.models import ExchangeRate, FundSettings, Statement, StatementState
from internships.services import funds as services
from jip.models import AuditEntry

from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    approved,
    cycle,
    in_person,
    intern_placed,
    intern_user,
    under_way,
)

pytestmark = pytest.mark.django_db

D = dt.date
S = StatementState


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:internships_{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def office(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    return client


@pytest.fixture
def two_months(cycle, in_person):
    """The in-person intern's October and November statements, drafts, one day each."""
    approved(in_person, D(2024, 10, 1))
    approved(in_person, D(2024, 11, 5))
    services.fund_statements_generate(cycle_id=cycle.pk, today=D(2025, 1, 6))
    return list(Statement.objects.order_by("period_start"))


def test_settings_and_rates_are_saved_through_their_services(office, cycle):
    response = office.post(
        admin_url("fundsettings_add"), {"cycle": cycle.pk, "statement_period": "term", "rounding": "half_up"}
    )
    assert response.status_code == 302, response.content
    assert FundSettings.objects.get(cycle=cycle).statement_period == "term"
    response = office.post(
        admin_url("exchangerate_add"),
        {"currency": "INR", "month": "2024-10-01", "yen_per_unit": "1.79", "source": "MOF reference rate"},
    )
    assert response.status_code == 302, response.content
    assert ExchangeRate.objects.get().yen_per_unit == Decimal("1.79")
    assert set(AuditEntry.objects.filter(action__startswith="funds.").values_list("action", flat=True)) == {
        "funds.settings", "funds.exchange_rate.created",
    }  # fmt: skip
    response = office.post(
        admin_url("exchangerate_add"),
        {"currency": "XYZ", "month": "2024-10-01", "yen_per_unit": "1", "source": "x"},
    )
    assert response.status_code == 200 and ExchangeRate.objects.count() == 1


def test_the_office_generates_a_cycle(office, cycle, in_person, django_capture_on_commit_callbacks):
    approved(in_person, D(2024, 10, 1))
    assert office.get(admin_url("statement_generate")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(admin_url("statement_generate"), {"cycle": cycle.pk})
    assert response.status_code == 302
    assert response["Location"] == admin_url("statement_changelist")
    # The task ran in-process (no broker in the tests): both months of the term, ended long before today.
    assert Statement.objects.filter(internship=in_person).count() == 2
    changelist = office.get(admin_url("statement_changelist"))
    assert changelist.status_code == 200
    assert admin_url("statement_generate") in changelist.content.decode()


def test_confirm_then_mark_paid_by_action(office, two_months):
    october, november = two_months
    response = office.post(
        admin_url("statement_changelist"),
        {"action": "confirm", "_selected_action": [october.pk]},
        follow=True,
    )
    assert "1 statement confirmed." in messages_of(response)
    # Without a date nothing is paid.
    response = office.post(
        admin_url("statement_changelist"),
        {"action": "mark_paid", "_selected_action": [october.pk], "payment_reference": "TR-1"},
        follow=True,
    )
    assert "Give the payment date." in messages_of(response)
    response = office.post(
        admin_url("statement_changelist"),
        {"action": "mark_paid", "_selected_action": [october.pk, november.pk], "paid_on": "2024-12-10",
         "payment_reference": "TR-1"},
        follow=True,
    )  # fmt: skip
    found = messages_of(response)
    assert "1 statement marked paid." in found
    assert any(m.startswith("1 statement not marked paid: ") for m in found)  # November is a draft
    october.refresh_from_db()
    november.refresh_from_db()
    assert (october.state, october.paid_on, october.payment_reference) == (S.PAID, D(2024, 12, 10), "TR-1")
    assert november.state == S.DRAFT


def test_a_statement_is_read_only_in_the_admin(office, two_months):
    october = two_months[0]
    page = office.get(admin_url("statement_change", october.pk))
    assert page.status_code == 200
    office.post(admin_url("statement_change", october.pk), {"yen_total": "1"})
    october.refresh_from_db()
    assert october.yen_total == 3000
    assert office.get(admin_url("statement_add")).status_code == 403


def test_only_jip_staff_get_in(client, two_months, in_person):
    client.force_login(intern_user(in_person))
    for url in (admin_url("statement_changelist"), admin_url("statement_generate")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_statement_list_reads_a_fixed_number_of_queries(
    office, cycle, two_months, django_assert_num_queries
):
    def list_page() -> None:
        assert office.get(admin_url("statement_changelist")).status_code == 200

    list_page()  # warm the current cycle's cache, as a busy site has it
    with django_assert_num_queries(11):
        list_page()
    other = under_way(intern_placed(course="in_person", starts_on=D(2024, 10, 1), ends_on=D(2024, 11, 29),
                                    application__family_name="Okafor"))  # fmt: skip
    for day in (1, 2, 3):
        approved(other, D(2024, 10, day))
    services.fund_statements_generate(cycle_id=cycle.pk, today=D(2025, 1, 6))
    assert Statement.objects.count() == 4
    with django_assert_num_queries(11):
        list_page()
