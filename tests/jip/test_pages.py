import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from jip import clock, services
from jip.models import CourseTerm, EligibleCountry, Milestone, MilestoneKind

from ..factories import CompanyManagerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "text"), [("en", "Courses"), ("ja", "コース")])
def test_home_shows_the_program_in_both_languages(client, fy2024, language, text):
    client.cookies["django_language"] = language
    with time_machine.travel(dt.datetime(2024, 6, 28, 10, 30, tzinfo=clock.JST), tick=False):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert text in html
    assert fy2024.name in html
    assert 'data-countdown-to="2024-07-01T00:00:00+09:00"' in html
    assert '<span data-unit="days">2</span>' in html


def test_home_after_the_deadline_says_closed(client, fy2024):
    with time_machine.travel(dt.datetime(2024, 7, 1, 0, 0, 1, tzinfo=clock.JST), tick=False):
        html = client.get(reverse("home")).content.decode()
    assert "Applications closed at the end of June 30, 2024 (JST)." in html
    assert "data-countdown-to" not in html


def test_home_without_a_cycle(client, db):
    assert "has not been announced yet" in client.get(reverse("home")).content.decode()


def test_cycle_page_lists_rules_schedule_and_countries(client, fy2024):
    response = client.get(reverse("cycle_detail", args=[2024]))
    html = response.content.decode()
    assert "140 countries on the OECD DAC List" in html
    assert "18 to 40 on Aug. 1, 2024" in html
    assert "Not a participant in FY2016–FY2023" in html
    assert "at most 60 companies" in html
    assert "Excluded" in html and "China" in html
    assert "Kosovo" in html
    assert client.get(reverse("cycle_detail", args=[1999])).status_code == 404


def test_an_unpublished_cycle_is_not_public(client, fy2024):
    fy2024.is_published = False
    fy2024.save()
    assert client.get(reverse("cycle_detail", args=[2024])).status_code == 404


def test_pages_use_a_fixed_number_of_queries(client, fy2024, django_assert_num_queries):
    """Home and cycle pages read the same number of rows whatever the size of the cycle (the current cycle
    itself comes from the cache after the first request)."""

    def measure():
        client.get(reverse("home"))  # keeps the current cycle again (importing a country list drops it)
        with django_assert_num_queries(home_queries):
            client.get(reverse("home"))
        with django_assert_num_queries(cycle_queries):
            client.get(reverse("cycle_detail", args=[2024]))

    home_queries, cycle_queries = 4, 5
    # Small: ten countries, two milestones, one term a course.
    EligibleCountry.objects.exclude(pk__in=EligibleCountry.objects.order_by("pk")[:10].values("pk")).delete()
    Milestone.objects.exclude(pk__in=Milestone.objects.order_by("pk")[:2].values("pk")).delete()
    CourseTerm.objects.exclude(number=1).delete()
    measure()
    # Large: the whole list, 32 milestones, six terms a course.
    services.country_list_import(code="oecd-dac-2024-2025")
    Milestone.objects.bulk_create(
        Milestone(cycle=fy2024, kind=MilestoneKind.INTERVIEWS, order=20 + i) for i in range(30)
    )
    for course in fy2024.courses.all():
        for n in range(3, 8):
            course.terms.create(number=n)
    measure()


def test_dashboard_needs_login_and_shows_the_role(client, applicant, fy2024):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(applicant)
    html = client.get(reverse("dashboard")).content.decode()
    assert applicant.email in html
    assert "Host company" not in html
    assert "Open the JIP office admin" not in html


def test_dashboard_of_a_company_manager_shows_only_their_company(client, fy2024):
    mine = CompanyManagerFactory()
    other = CompanyManagerFactory()
    client.force_login(mine.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert mine.company.name_en in html
    assert other.company.name_en not in html


def test_dashboard_of_staff_links_to_the_admin(client, staff, fy2024):
    client.force_login(staff)
    assert "Open the JIP office admin" in client.get(reverse("dashboard")).content.decode()


def test_pages_send_a_content_security_policy_without_inline_scripts(client, fy2024):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_static_assets_come_from_the_installed_package(client):
    response = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap" in b"".join(response.streaming_content)[:200]


def test_dashboard_query_count_does_not_grow_with_companies(client, fy2024, django_assert_num_queries):
    membership = CompanyManagerFactory()
    client.force_login(membership.user)
    client.get(reverse("dashboard"))  # settles the language cookie and keeps the current cycle
    with django_assert_num_queries(5):
        client.get(reverse("dashboard"))
    for _ in range(10):
        CompanyManagerFactory()
    with django_assert_num_queries(5):
        html = client.get(reverse("dashboard")).content.decode()
    assert html.count("Corporate number") == 1
