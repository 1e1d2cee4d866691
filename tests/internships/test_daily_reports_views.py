"""The intern's and the host company's pages of the daily reports: who reaches what (the intern their own, the
company its own interns', another's a 404, the anonymous visitor sent to log in), writing and correcting a day,
the company's inbox, bulk approval and return, and a fixed number of queries however many days and reports."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt

import pytest
from django.urls import reverse

from internships.models import DailyReport, DailyReportStatus, ExtraActivityDay
from internships.services import daily_reports as services

from ..factories import UserFactory
from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    REPORT,
    approved,
    at,
    clock_at,
    cycle,
    in_person,
    intern_placed,
    intern_user,
    manager_of,
    online,
    submitted,
    under_way,
)

pytestmark = pytest.mark.django_db

D = dt.date
R = DailyReportStatus


def url(name: str, *args) -> str:
    return reverse(f"internships:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def monday(clock_at):
    """Monday 7 October 2024, 18:00 in Japan."""
    return clock_at(at(D(2024, 10, 7), 18))


# --- Who reaches what ---------------------------------------------------------------------------------


def every_url(internship, report) -> list[tuple[str, str]]:
    return [
        ("get", url("my_daily_reports")),
        ("get", url("my_daily_report", "2024-10-07")),
        ("get", url("company_daily_reports")),
        ("post", url("company_daily_reports_approve")),
        ("get", url("company_daily_report_return", report.pk)),
        ("get", url("company_intern_reports", internship.pk)),
        ("post", url("company_mentor_set", internship.pk)),
        ("post", url("company_extra_day_add", internship.pk)),
    ]


def test_the_routes():
    assert url("my_daily_reports") == "/internship/reports/"
    assert url("my_daily_report", "2024-10-07") == "/internship/reports/2024-10-07/"
    assert url("company_daily_reports") == "/internship/company/reports/"


def test_the_anonymous_visitor_is_sent_to_log_in(client, in_person, monday):
    report = submitted(in_person, D(2024, 10, 7))
    for method, address in every_url(in_person, report):
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login") + "?next="), address


def test_another_companys_manager_finds_nothing(client, in_person, online, monday):
    report = submitted(in_person, D(2024, 10, 7))
    as_other = signed_in(client, manager_of(online))
    assert as_other.get(url("company_daily_report_return", report.pk)).status_code == 404
    assert as_other.post(url("company_daily_report_return", report.pk), {"comment": "x"}).status_code == 404
    assert as_other.get(url("company_intern_reports", in_person.pk)).status_code == 404
    assert as_other.post(url("company_mentor_set", in_person.pk), {"mentor_name": "X"}).status_code == 404
    assert (
        as_other.post(
            url("company_extra_day_add", in_person.pk), {"day": "2024-10-12", "note": "x"}
        ).status_code
        == 404
    )
    page = as_other.get(url("company_daily_reports"))
    assert page.context["waiting"] == []
    assert [i.pk for i in page.context["internships"]] == [online.pk]
    # Ticking another company's report approves nothing.
    as_other.post(url("company_daily_reports_approve"), {"reports": [report.pk]})
    assert DailyReport.objects.get(pk=report.pk).status == R.SUBMITTED
    assert not ExtraActivityDay.objects.exists()


def test_an_intern_reaches_only_their_own_reports(client, in_person, online, monday):
    submitted(in_person, D(2024, 10, 7))
    as_online = signed_in(client, intern_user(online))
    page = as_online.get(url("my_daily_report", "2024-10-07"))
    assert page.status_code == 404  # not a day of their term, and another's report is not theirs
    assert as_online.get(url("my_daily_reports")).context["internship"] == online
    # The intern is no company manager.
    assert as_online.get(url("company_daily_reports"))["Location"] == reverse("companies:register")


def test_someone_without_an_internship_is_told_so(client, cycle):
    response = signed_in(client, UserFactory()).get(url("my_daily_reports"))
    assert response.status_code == 404
    assert "You have no internship yet." in response.content.decode()
    assert signed_in(client, UserFactory()).get(url("my_daily_report", "2024-10-07")).status_code == 404


def test_a_bad_day_is_404(client, in_person, monday):
    as_intern = signed_in(client, intern_user(in_person))
    for day in ("2024-13-01", "yesterday", "2024-10-05", "2024-10-14", "2024-10-08", "2024-09-30"):
        assert as_intern.get(url("my_daily_report", day)).status_code == 404, day


# --- The intern ---------------------------------------------------------------------------------------


def test_the_intern_writes_today_in_a_minute(client, in_person, monday):
    as_intern = signed_in(client, intern_user(in_person))
    page = as_intern.get(url("my_daily_reports"))
    assert page.status_code == 200
    assert page.context["today"].state == "open"
    assert url("my_daily_report", "2024-10-07") in page.content.decode()

    form = as_intern.get(url("my_daily_report", "2024-10-07"))
    assert form.context["form"].initial["mode"] == "in_person"
    response = as_intern.post(
        url("my_daily_report", "2024-10-07"), {**REPORT, "action": "submit"}, follow=True
    )
    assert response.redirect_chain == [(url("my_daily_reports"), 302)]
    assert "Your report of Oct. 7, 2024 (Mon) is submitted to the host company." in response.content.decode()
    report = DailyReport.objects.get(internship=in_person, day=D(2024, 10, 7))
    assert (report.status, report.hours, report.activities) == (R.SUBMITTED, 7.5, REPORT["activities"])
    assert response.context["today"].state == "submitted"


def test_a_draft_needs_nothing_and_a_submission_says_what_is_missing(client, in_person, monday):
    as_intern = signed_in(client, intern_user(in_person))
    draft = as_intern.post(url("my_daily_report", "2024-10-07"), {"activities": "Started", "action": "draft"})
    assert draft.status_code == 302
    assert DailyReport.objects.get().status == R.DRAFT
    refused = as_intern.post(
        url("my_daily_report", "2024-10-07"), {"activities": "Started", "action": "submit"}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["learned"] == ["Needed to submit the report."]
    assert DailyReport.objects.get().status == R.DRAFT


def test_the_calendar_shows_each_days_state(client, in_person, clock_at):
    approved(in_person, D(2024, 10, 1))
    submitted(in_person, D(2024, 10, 2))
    services.daily_report_return(
        report=submitted(in_person, D(2024, 10, 3)), comment="More detail, please.", by=None
    )
    services.daily_report_draft_save(
        internship=in_person, day=D(2024, 10, 8), data={"activities": "…"}, by=None, now=at(D(2024, 10, 8), 9)
    )
    clock_at(at(D(2024, 10, 8), 12))
    response = signed_in(client, intern_user(in_person)).get(url("my_daily_reports"))
    calendar = response.context["calendar"]
    states = {d.day.day: d.state for d in calendar.days if d.day.month == 10 and d.day.day <= 15}
    assert states == {
        1: "approved", 2: "submitted", 3: "returned", 4: "missing", 5: "", 6: "",
        7: "late", 8: "draft", 9: "upcoming", 10: "upcoming", 11: "upcoming", 12: "", 13: "",
        14: "", 15: "upcoming",
    }  # fmt: skip
    assert (calendar.approved, calendar.expected_so_far, calendar.expected) == (1, 6, 42)
    page = response.content.decode()
    assert "Sports Day" in page
    assert "More detail, please." in page  # the returned report, to correct
    assert [r.day for r in response.context["returned"]] == [D(2024, 10, 3)]
    assert [d.day for d in response.context["late_days"]] == [D(2024, 10, 7)]


def test_an_approved_report_is_read_only(client, in_person, monday):
    approved(in_person, D(2024, 10, 7))
    as_intern = signed_in(client, intern_user(in_person))
    page = as_intern.get(url("my_daily_report", "2024-10-07"))
    assert page.status_code == 200
    assert "form" not in page.content.decode().split("<main")[1].split("</main>")[0].replace("daily-form", "")
    assert "This report is approved: it cannot be changed any more." in page.content.decode()
    assert (
        as_intern.post(url("my_daily_report", "2024-10-07"), {**REPORT, "action": "submit"}).status_code
        == 403
    )


def test_the_pages_in_japanese(client, in_person, monday):
    client.cookies["django_language"] = "ja"
    page = signed_in(client, intern_user(in_person)).get(url("my_daily_reports")).content.decode()
    assert "日報" in page
    assert "スポーツの日" in page


# --- The host company ---------------------------------------------------------------------------------


def test_the_company_reads_approves_in_bulk_and_returns(client, in_person, clock_at):
    company = in_person.placement.position.company
    second = under_way(intern_placed(company=company, starts_on=D(2024, 10, 1), ends_on=D(2024, 11, 29)))
    first_day = submitted(in_person, D(2024, 10, 7))
    second_day = submitted(in_person, D(2024, 10, 8), questions="May I join the supplier meeting?")
    colleague = submitted(second, D(2024, 10, 8))
    clock_at(at(D(2024, 10, 11), 10))
    as_manager = signed_in(client, manager_of(in_person))

    inbox = as_manager.get(url("company_daily_reports"))
    assert [r.pk for r in inbox.context["waiting"]] == [first_day.pk, second_day.pk, colleague.pk]
    assert [r.waited for r in inbox.context["waiting"]] == [4, 3, 3]
    page = inbox.content.decode()
    assert "May I join the supplier meeting?" in page
    assert REPORT["next_plan"] in page

    response = as_manager.post(
        url("company_daily_reports_approve"), {"reports": [first_day.pk, colleague.pk]}, follow=True
    )
    assert "2 reports approved." in response.content.decode()
    assert [r.pk for r in response.context["waiting"]] == [second_day.pk]

    form = as_manager.get(url("company_daily_report_return", second_day.pk))
    assert form.status_code == 200
    empty = as_manager.post(url("company_daily_report_return", second_day.pk), {"comment": ""})
    assert empty.status_code == 400
    done = as_manager.post(
        url("company_daily_report_return", second_day.pk),
        {"comment": "Yes — and add what you measured."},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == url("company_daily_reports")
    second_day.refresh_from_db()
    assert (second_day.status, second_day.company_comment) == (R.RETURNED, "Yes — and add what you measured.")
    assert done.context["waiting"] == []


def test_the_company_sees_an_interns_calendar_names_the_mentor_and_adds_a_day(client, in_person, monday):
    approved(in_person, D(2024, 10, 1))
    as_manager = signed_in(client, manager_of(in_person))
    page = as_manager.get(url("company_intern_reports", in_person.pk))
    assert page.status_code == 200
    assert [r.day for r in page.context["reports"]] == [D(2024, 10, 1)]
    assert page.context["calendar"].approved == 1

    as_manager.post(
        url("company_mentor_set", in_person.pk), {"mentor_name": "Ito Daiki", "mentor_title": "Lead"}
    )
    in_person.refresh_from_db()
    assert (in_person.mentor_name, in_person.mentor_title) == ("Ito Daiki", "Lead")

    response = as_manager.post(
        url("company_extra_day_add", in_person.pk),
        {"day": "2024-10-12", "note": "Open factory day"},
        follow=True,
    )
    assert "Oct. 12, 2024 (Sat) is an activity day for Linh Nguyen now." in response.content.decode()
    refused = as_manager.post(
        url("company_extra_day_add", in_person.pk), {"day": "2024-10-11", "note": "x"}, follow=True
    )
    assert "This day is an activity day already." in refused.content.decode()
    assert list(ExtraActivityDay.objects.values_list("day", flat=True)) == [D(2024, 10, 12)]


# --- Queries: the same number for one row and for many ------------------------------------------------


def test_the_intern_calendar_uses_a_fixed_number_of_queries(
    client, in_person, clock_at, django_assert_num_queries
):
    as_intern = signed_in(client, intern_user(in_person))
    clock_at(at(D(2024, 10, 1), 18))
    submitted(in_person, D(2024, 10, 1))
    as_intern.get(url("my_daily_reports"))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(8):
        assert as_intern.get(url("my_daily_reports")).status_code == 200
    for day in range(2, 32):
        if D(2024, 10, day).weekday() < 5 and day != 14:
            approved(in_person, D(2024, 10, day))
    services.extra_day_add(internship=in_person, day=D(2024, 11, 9), note="Fair", by=None)
    clock_at(at(D(2024, 11, 29), 18))
    as_intern.get(url("my_daily_reports"))  # the clock moved: the current cycle is read again, then kept
    with django_assert_num_queries(8):
        response = as_intern.get(url("my_daily_reports"))
    assert response.context["calendar"].approved == 21


def test_the_company_inbox_uses_a_fixed_number_of_queries(
    client, in_person, clock_at, django_assert_num_queries
):
    company = in_person.placement.position.company
    as_manager = signed_in(client, manager_of(in_person))
    submitted(in_person, D(2024, 10, 1))
    clock_at(at(D(2024, 10, 10), 10))
    as_manager.get(url("company_daily_reports"))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(8):
        assert as_manager.get(url("company_daily_reports")).status_code == 200
    others = [
        under_way(intern_placed(company=company, starts_on=D(2024, 10, 1), ends_on=D(2024, 11, 29)))
        for _ in range(3)
    ]
    for internship in [in_person, *others]:
        for day in (2, 3, 4, 7, 8):
            submitted(internship, D(2024, 10, day))
    with django_assert_num_queries(8):
        response = as_manager.get(url("company_daily_reports"))
    assert len(response.context["waiting"]) == 21


def test_the_company_intern_page_uses_a_fixed_number_of_queries(
    client, in_person, clock_at, django_assert_num_queries
):
    as_manager = signed_in(client, manager_of(in_person))
    clock_at(at(D(2024, 10, 1), 18))
    submitted(in_person, D(2024, 10, 1))
    as_manager.get(
        url("company_intern_reports", in_person.pk)
    )  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(10):
        assert as_manager.get(url("company_intern_reports", in_person.pk)).status_code == 200
    for day in (2, 3, 4, 7, 8, 9, 10, 11):
        approved(in_person, D(2024, 10, day))
    clock_at(at(D(2024, 10, 11), 18))
    as_manager.get(
        url("company_intern_reports", in_person.pk)
    )  # the clock moved: the current cycle is read again, then kept
    with django_assert_num_queries(10):
        response = as_manager.get(url("company_intern_reports", in_person.pk))
    assert len(response.context["reports"]) == 9
