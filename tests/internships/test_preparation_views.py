"""The intern's and the host company's pages of the preparation: what each sees, what each may change, who
reaches nothing (another's internship is a 404, the anonymous visitor is sent to log in), the iCalendar
downloads, and a fixed number of queries however many rows."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from internships.models import EventKind, LogisticsItem, LogisticsKind
from jip.clock import JST

from ..factories import CompanyManagerFactory, UserFactory
from .test_preparation_fixtures import (  # noqa: F401  (fixtures among them)
    cycle,
    event,
    in_person,
    intern_placed,
    intern_user,
    manager_of,
    online,
    preparation_day,
    term,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"internships:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    return client


def uids(response) -> list[str]:
    return [str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


@pytest.fixture
def schedule(in_person, online):
    """Pre-training for each course, the first in-person term's kick-off, a wrap-up for everyone."""
    cycle = in_person.placement.cycle
    return {
        "in_person_pre": event(cycle, course="in_person", place="JIP office, Tokyo"),
        "online_pre": event(cycle, course="online", place="https://meet.example/pre"),
        "kick_off_1": event(
            cycle,
            EventKind.KICK_OFF,
            course="in_person",
            term=term(cycle, "in_person", 1),
            day=dt.date(2024, 10, 1),
        ),
        "wrap_up": event(cycle, EventKind.WRAP_UP_PRESENTATION, day=dt.date(2025, 3, 12)),
    }


# --- Who reaches what ---------------------------------------------------------------------------------


def every_url(internship, some_event) -> list[tuple[str, str]]:
    return [
        ("get", url("my_internship")),
        ("get", url("my_schedule_ics")),
        ("get", url("my_event_ics", some_event.pk)),
        ("post", url("pc_request")),
        ("get", url("internship_detail", internship.pk)),
        ("get", url("company_internships")),
        ("get", url("company_schedule_ics")),
        ("get", url("company_event_ics", some_event.pk)),
        ("get", url("company_pc_update", internship.pk)),
    ]


def test_the_anonymous_visitor_is_sent_to_log_in(client, in_person, schedule):
    for method, address in every_url(in_person, schedule["wrap_up"]):
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login") + "?next="), address


def test_the_routes(in_person):
    assert url("my_internship") == "/internship/"
    assert url("my_schedule_ics") == "/internship/schedule.ics"
    assert url("company_internships") == "/internship/company/"
    assert url("company_schedule_ics") == "/internship/company/schedule.ics"


def test_another_interns_internship_and_events_are_404(client, in_person, online, schedule):
    as_online = signed_in(client, intern_user(online))
    assert as_online.get(url("internship_detail", in_person.pk)).status_code == 404
    assert as_online.get(url("my_event_ics", schedule["kick_off_1"].pk)).status_code == 404
    assert as_online.get(url("my_event_ics", schedule["in_person_pre"].pk)).status_code == 404
    assert as_online.get(url("my_event_ics", schedule["online_pre"].pk)).status_code == 200
    assert as_online.get(url("internship_detail", online.pk)).status_code == 200


def test_someone_without_an_internship_is_told_so(client, cycle):
    response = signed_in(client, UserFactory()).get(url("my_internship"))
    assert response.status_code == 404
    assert "You have no internship yet." in response.content.decode()
    assert signed_in(client, UserFactory()).get(url("my_schedule_ics")).status_code == 404


def test_another_companys_manager_finds_nothing(client, in_person, online, schedule):
    other = manager_of(online)
    as_other = signed_in(client, other)
    assert as_other.get(url("internship_detail", in_person.pk)).status_code == 404
    assert as_other.get(url("company_pc_update", in_person.pk)).status_code == 404
    assert as_other.get(url("company_event_ics", schedule["kick_off_1"].pk)).status_code == 404
    page = as_other.get(url("company_internships"))
    assert [i.pk for i in page.context["internships"]] == [online.pk]


def test_the_host_company_and_staff_see_the_interns_page(client, in_person, staff):
    assert (
        signed_in(client, manager_of(in_person)).get(url("internship_detail", in_person.pk)).status_code
        == 200
    )
    response = signed_in(client, staff).get(url("internship_detail", in_person.pk))
    assert response.status_code == 200
    assert response.context["own"] is False
    assert "Add to my calendar" not in response.content.decode()


def test_staff_and_applicants_have_no_company_page(client, staff, cycle):
    assert signed_in(client, staff).get(url("company_internships"))["Location"] == reverse("companies:home")
    assert signed_in(client, UserFactory()).get(url("company_internships"))["Location"] == reverse(
        "companies:register"
    )


# --- The intern ---------------------------------------------------------------------------------------


def test_the_intern_sees_their_internship_checklist_and_schedule(
    client, in_person, schedule, preparation_day
):
    in_person.mentor_title = "Export manager"
    in_person.save()
    LogisticsItem.objects.filter(internship=in_person, kind=LogisticsKind.VISA).update(
        status="blocked", notes="Waiting for the certificate of eligibility"
    )
    response = signed_in(client, intern_user(in_person)).get(url("my_internship"))

    assert response.status_code == 200
    page = response.content.decode()
    company = in_person.placement.position.company
    for text in (
        "My internship", "In-person internship in Japan", "Oct. 1, 2024 – Nov. 29, 2024", company.name_en,
        "Suzuki Hanako", "Export manager", "Preparing", "Waiting for the certificate of eligibility",
    ):  # fmt: skip
        assert text in page, text
    assert [row.item.kind for row in response.context["checklist"]] == [
        "visa", "flights", "accommodation", "insurance", "pc",
    ]  # fmt: skip
    assert [row.provider for row in response.context["checklist"]] == ["JIP office"] * 4 + ["Host company"]
    rows = response.context["schedule"]
    assert [row.event for row in rows] == [
        schedule["in_person_pre"],
        schedule["kick_off_1"],
        schedule["wrap_up"],
    ]
    assert rows[0].when_jst == "Sept. 10, 2024 (Tue) 10:00–12:00"
    assert rows[0].when_local == "Sept. 10, 2024 (Tue) 08:00–10:00"
    assert rows[0].local_label == "Vietnam Time (GMT+07:00)"
    assert (rows[0].is_past, rows[1].is_past) == (True, False)
    assert url("my_schedule_ics") in page
    assert url("my_event_ics", schedule["kick_off_1"].pk) in page
    assert url("my_event_ics", schedule["in_person_pre"].pk) not in page  # past: nothing to add
    assert "Request a PC" not in page


def test_the_page_in_japanese(client, in_person, schedule, preparation_day):
    client.cookies["django_language"] = "ja"
    response = signed_in(client, intern_user(in_person)).get(url("my_internship"))
    page = response.content.decode()
    assert "事前研修" in page
    assert "2024年9月10日 (火) 10:00–12:00" in page
    assert "ベトナム時間 (GMT+07:00)" in page


def test_the_intern_downloads_the_whole_schedule(client, in_person, schedule):
    response = signed_in(client, intern_user(in_person)).get(url("my_schedule_ics"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jip-schedule.ics"'
    events = [schedule[k] for k in ("in_person_pre", "kick_off_1", "wrap_up")]
    assert uids(response) == [f"program-event-{e.pk}@testserver" for e in events]
    first = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert first.decoded("dtstart") == dt.datetime(2024, 9, 10, 1, tzinfo=dt.UTC)
    assert str(first["location"]) == "JIP office, Tokyo"


def test_the_intern_downloads_one_event_in_their_language(client, in_person, schedule):
    client.cookies["django_language"] = "ja"
    response = signed_in(client, intern_user(in_person)).get(
        url("my_event_ics", schedule["in_person_pre"].pk)
    )
    [entry] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(entry["summary"]) == "事前研修"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="jip-event-{schedule["in_person_pre"].pk}.ics"'
    )


def test_an_online_intern_requests_a_pc(client, online, preparation_day):
    as_intern = signed_in(client, intern_user(online))
    page = as_intern.get(url("my_internship"))
    assert "Request a PC" in page.content.decode()
    assert page.context["schedule"] == []
    assert page.context["application"].residence_country == "KE"

    response = as_intern.post(url("pc_request"), {"note": "Mine is too slow for CAD."}, follow=True)

    assert response.redirect_chain == [(url("my_internship") + "#checklist", 302)]
    assert "Your request for a PC is sent to the JIP office." in response.content.decode()
    pc = LogisticsItem.objects.get(internship=online, kind=LogisticsKind.PC)
    assert (pc.status, pc.notes, pc.updated_by) == ("to_do", "Mine is too slow for CAD.", intern_user(online))
    assert "Request a PC" not in response.content.decode()
    assert "Requested on Sept. 20, 2024" in response.content.decode()
    again = as_intern.post(url("pc_request"), {}, follow=True)
    assert "You have asked for a PC already." in again.content.decode()


def test_an_in_person_intern_cannot_request_a_pc_from_the_office(client, in_person):
    as_intern = signed_in(client, intern_user(in_person))
    assert as_intern.post(url("pc_request"), {}).status_code == 403
    assert as_intern.get(url("pc_request")).status_code == 405
    assert LogisticsItem.objects.get(internship=in_person, kind=LogisticsKind.PC).status == "to_do"


# --- The host company ---------------------------------------------------------------------------------


def test_the_company_sees_its_interns_checklists_and_schedule(client, in_person, online, schedule):
    company = in_person.placement.position.company
    second = intern_placed(course="online", company=company, application__family_name="Tesfaye")
    response = signed_in(client, manager_of(in_person)).get(url("company_internships"))

    assert response.status_code == 200
    assert [i.pk for i in response.context["internships"]] == [in_person.pk, second.pk]
    page = response.content.decode()
    assert online.placement.application.family_name not in page
    assert [len(i.checklist) for i in response.context["internships"]] == [5, 1]
    assert [i.pc_editable for i in response.context["internships"]] == [True, False]
    assert url("company_pc_update", in_person.pk) in page
    assert url("company_pc_update", second.pk) not in page
    assert [row.event for row in response.context["schedule"]] == [
        schedule["in_person_pre"], schedule["online_pre"], schedule["kick_off_1"], schedule["wrap_up"],
    ]  # fmt: skip
    assert url("company_schedule_ics") in page

    ics = client.get(url("company_schedule_ics"))
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert len(uids(ics)) == 4
    assert client.get(url("company_event_ics", schedule["online_pre"].pk)).status_code == 200


def test_the_company_keeps_the_pc_of_its_in_person_intern(client, in_person, preparation_day):
    as_manager = signed_in(client, manager_of(in_person))
    assert as_manager.get(url("company_pc_update", in_person.pk)).status_code == 200

    refused = as_manager.post(url("company_pc_update", in_person.pk), {"status": "done", "notes": ""})
    assert refused.status_code == 400
    assert "Give the day it was done." in refused.content.decode()

    response = as_manager.post(
        url("company_pc_update", in_person.pk),
        {
            "status": "done",
            "due_on": "2024-10-01",
            "done_on": "2024-09-20",
            "notes": "A laptop with Japanese IME",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("company_internships") + f"#intern-{in_person.pk}"
    pc = LogisticsItem.objects.get(internship=in_person, kind=LogisticsKind.PC)
    assert (pc.status, pc.done_on, pc.notes) == ("done", dt.date(2024, 9, 20), "A laptop with Japanese IME")
    assert pc.updated_by == manager_of(in_person)


def test_the_company_does_not_keep_an_online_interns_pc(client, online):
    assert signed_in(client, manager_of(online)).get(url("company_pc_update", online.pk)).status_code == 404


# --- Queries: the same number for one row and for many ------------------------------------------------


def test_the_intern_page_uses_a_fixed_number_of_queries(client, in_person, django_assert_num_queries):
    cycle = in_person.placement.cycle
    as_intern = signed_in(client, intern_user(in_person))
    event(cycle, course="in_person")
    as_intern.get(url("my_internship"))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(6):
        assert as_intern.get(url("my_internship")).status_code == 200
    for day in range(1, 12):
        event(cycle, EventKind.MID_TERM_INTERVIEW, course="in_person", day=dt.date(2024, 10, day))
    with django_assert_num_queries(6):
        response = as_intern.get(url("my_internship"))
    assert len(response.context["schedule"]) == 12


def test_the_company_page_uses_a_fixed_number_of_queries(client, in_person, django_assert_num_queries):
    company = in_person.placement.position.company
    as_manager = signed_in(client, manager_of(in_person))
    event(in_person.placement.cycle)
    as_manager.get(url("company_internships"))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(7):
        assert as_manager.get(url("company_internships")).status_code == 200
    for course in ["online", "in_person"] * 4:
        intern_placed(
            course=course, company=company, starts_on=dt.date(2024, 10, 1), ends_on=dt.date(2024, 11, 29)
        )
    for day in range(1, 6):
        event(
            in_person.placement.cycle, EventKind.KICK_OFF, day=dt.datetime(2024, 10, day, tzinfo=JST).date()
        )
    with django_assert_num_queries(7):
        response = as_manager.get(url("company_internships"))
    assert len(response.context["internships"]) == 9
    assert len(response.context["schedule"]) == 6


def test_a_company_with_managers_sees_the_same_page(client, in_person):
    colleague = CompanyManagerFactory(company=in_person.placement.position.company).user
    response = signed_in(client, colleague).get(url("company_internships"))
    assert [i.pk for i in response.context["internships"]] == [in_person.pk]
