"""The intern's activity-support statements: their own confirmed statements only (another's, a draft, a
company manager's request: 404), every day with its reason and how the sum was reached, in English and
Japanese, at a fixed number of queries (docs/funds.md)."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from internships.models import ExchangeRate, FundSettings, Statement, StatementKind
from internships.services import funds as services

from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    approved,
    cycle,
    in_person,
    intern_user,
    manager_of,
    online,
)

pytestmark = pytest.mark.django_db

D = dt.date


def url(name: str, *args) -> str:
    return reverse(f"internships:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    return client


def generate(cycle) -> None:
    services.fund_statements_generate(cycle_id=cycle.pk, today=D(2025, 1, 6))


def confirmed(internship, month: int, kind=StatementKind.REGULAR) -> Statement:
    statement = Statement.objects.get(internship=internship, period_start__month=month, kind=kind)
    return services.statement_confirm(statement=statement, by=None)


@pytest.fixture
def october(cycle, in_person) -> Statement:
    """The in-person intern's October, confirmed: two days approved; November stays a draft."""
    approved(in_person, D(2024, 10, 1))
    approved(in_person, D(2024, 10, 2))
    generate(cycle)
    return confirmed(in_person, 10)


def test_the_intern_reads_their_statement(client, october, in_person):
    as_intern = signed_in(client, intern_user(in_person))
    listing = as_intern.get(url("my_statements"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert url("my_statement", october.pk) in html
    assert "¥6,000" in html
    # November is still a draft: the office has not confirmed it, the intern does not see it.
    november = Statement.objects.get(internship=in_person, period_start__month=11)
    assert url("my_statement", november.pk) not in html
    page = as_intern.get(url("my_statement", october.pk))
    assert page.status_code == 200
    assert page.context["steps"] == ["2 days counted × ¥3,000 a day = ¥6,000"]
    reasons = {line.day: (line.reason, line.name) for line in page.context["lines"]}
    assert reasons["Oct. 1, 2024 (Tue)"] == ("counted", "")
    assert reasons["Oct. 3, 2024 (Thu)"] == ("missing", "")
    assert reasons["Oct. 14, 2024 (Mon)"] == ("holiday", "Sports Day")
    assert "Counted: report approved" in page.content.decode()


def test_in_japanese(client, october, in_person):
    as_intern = signed_in(client, intern_user(in_person))
    client.cookies["django_language"] = "ja"
    page = as_intern.get(url("my_statement", october.pk))
    html = page.content.decode()
    assert page.context["steps"] == ["2日 × 1日あたり￥3,000 = ￥6,000"]
    assert "スポーツの日" in html and "承認済みの日報：対象" in html
    listing = as_intern.get(url("my_statements")).content.decode()
    assert "活動支援金の明細" in listing and "対象2日" in listing and "確定済み" in listing


def test_online_the_conversion_is_shown_step_by_step(client, cycle, online):
    services.exchange_rate_save(
        rate=ExchangeRate(currency="PEN", month=D(2024, 11, 1), yen_per_unit=Decimal("40.15"), source="MOF"),
        by=None,
    )
    approved(online, D(2024, 11, 5))
    approved(online, D(2024, 11, 6))
    services.fund_settings_save(settings=FundSettings(cycle=cycle, statement_period="monthly"), by=None)
    services.fund_statements_generate(cycle_id=cycle.pk, today=D(2024, 12, 2))
    statement = confirmed(online, 11)
    page = signed_in(client, intern_user(online)).get(url("my_statement", statement.pk))
    assert page.context["steps"] == [
        "2 days counted × ¥1,000 a day = ¥2,000",
        # 2,000 / 40.15 = 49.813200498…, shown to six decimals without the trailing zeros
        "¥2,000 ÷ 40.15 yen per PEN (MOF, November 2024) = 49.8132 PEN",
        "Rounded to 2 decimals (Half up (0.5 goes up)): PEN49.81",  # CLDR's English pattern for a code
    ]


def test_nobody_else_sees_a_statement(client, october, online, in_person, django_user_model):
    # Another intern: 404, and an empty list.
    as_other = signed_in(client, intern_user(online))
    assert as_other.get(url("my_statement", october.pk)).status_code == 404
    assert url("my_statement", october.pk) not in as_other.get(url("my_statements")).content.decode()
    # The intern's host company: none of it.
    as_manager = signed_in(client, manager_of(in_person))
    assert as_manager.get(url("my_statement", october.pk)).status_code == 404
    assert url("my_statement", october.pk) not in as_manager.get(url("my_statements")).content.decode()
    # The intern's own draft: not yet theirs to read.
    november = Statement.objects.get(internship=in_person, period_start__month=11)
    assert signed_in(client, intern_user(in_person)).get(url("my_statement", november.pk)).status_code == 404
    client.logout()
    response = client.get(url("my_statement", october.pk))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_pages_read_a_fixed_number_of_queries(
    client, cycle, october, in_person, django_assert_num_queries
):
    as_intern = signed_in(client, intern_user(in_person))
    as_intern.get(url("my_statements"))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(3):
        assert as_intern.get(url("my_statements")).status_code == 200
    with django_assert_num_queries(4):
        assert as_intern.get(url("my_statement", october.pk)).status_code == 200
    # More statements (a supplement for October, November) and more lines (a whole-term statement, had the
    # office switched the cycle to one statement a term).
    approved(in_person, D(2024, 10, 3))
    generate(cycle)
    confirmed(in_person, 10, StatementKind.SUPPLEMENTARY)
    confirmed(in_person, 11)
    services.fund_settings_save(settings=FundSettings(cycle=cycle, statement_period="term"), by=None)
    generate(cycle)
    term = Statement.objects.get(internship=in_person, period_end=D(2024, 11, 29))
    services.statement_confirm(statement=term, by=None)
    assert Statement.objects.filter(internship=in_person).exclude(state="draft").count() == 4
    with django_assert_num_queries(3):
        response = as_intern.get(url("my_statements"))
    assert len(response.context["rows"]) == 4
    with django_assert_num_queries(4):
        response = as_intern.get(url("my_statement", term.pk))
    # 44 weekdays, and Culture Day and Labour Thanksgiving Day, on a Sunday and a Saturday
    assert len(response.context["lines"]) == 46 > len(october.lines.all()) == 23


def test_my_internship_links_the_statements_and_the_daily_reports(client, in_person):
    response = signed_in(client, intern_user(in_person)).get(url("my_internship"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{url("my_statements")}" id="statements-link"' in page
    assert f'href="{url("my_daily_reports")}" id="daily-reports-link"' in page
