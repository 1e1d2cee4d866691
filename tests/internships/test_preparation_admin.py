"""The JIP office's workplace for placements, internships, events, attendance and logistics: lists with their
filters, every change through the services, the blockers across a cycle, and fixed query counts."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from internships.models import (
    Attendance,
    EventKind,
    Internship,
    InternshipStatus,
    LogisticsItem,
    LogisticsKind,
    ProgramEvent,
)
from jip import services as jip_services
from jip.models import AuditEntry

from .test_preparation_fixtures import (  # noqa: F401  (fixtures among them)
    cycle,
    event,
    in_person,
    intern_placed,
    online,
    preparation_day,
    term,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, staff_with_mfa, preparation_day):
    client.force_login(staff_with_mfa)
    return client


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:internships_{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


def item(internship, kind) -> LogisticsItem:
    return LogisticsItem.objects.get(internship=internship, kind=kind)


def many_interns(count: int) -> list[Internship]:
    return [
        intern_placed(
            course=["in_person", "online"][i % 2],
            starts_on=dt.date(2024, 10, 1),
            ends_on=dt.date(2024, 11, 29),
        )
        for i in range(count)
    ]


# --- Placements and internships ------------------------------------------------------------------------


def test_placement_list_is_read_only(office, in_person):
    # Placements are matching's model; internships' admin shows them with their internship.
    response = office.get(reverse("admin:matching_placement_changelist"))
    assert listed(response) == [in_person.placement.pk]
    page = response.content.decode()
    assert in_person.placement.position.company.name_en in page
    assert admin_url("internship_change", in_person.pk) in page
    assert reverse("admin:matching_placement_add") not in page


def test_internship_list_filters(office, in_person, online):
    other = intern_placed(course="online")
    Internship.objects.filter(pk=other.pk).update(status=InternshipStatus.IN_PROGRESS)
    base = admin_url("internship_changelist")

    assert set(listed(office.get(base))) == {in_person.pk, online.pk, other.pk}
    assert listed(office.get(base, {"placement__course__exact": "online"})) == sorted(
        [online.pk, other.pk], reverse=True
    )
    assert listed(office.get(base, {"status__exact": "in_progress"})) == [other.pk]
    company = in_person.placement.position.company
    assert listed(office.get(base, {"placement__position__company__id__exact": company.pk})) == [in_person.pk]
    later = intern_placed(
        application__cycle=jip_services.cycle_copy(source=in_person.placement.cycle, fiscal_year=2025)
    )
    assert listed(office.get(base, {"placement__cycle__id__exact": later.placement.cycle_id})) == [later.pk]
    titles = [spec.title for spec in office.get(base).context["cl"].filter_specs]
    assert titles == ["cycle", "course", "status", "company"]


def test_internship_status_moves_by_action(office, in_person, online):
    base = admin_url("internship_changelist")
    data = {"action": "mark_in_progress", "_selected_action": [in_person.pk]}
    response = office.post(base, data, follow=True)
    assert messages_of(response) == ["1 internship is now “In progress”."]

    data = {"action": "mark_ended_early", "_selected_action": [in_person.pk, online.pk], "reason": ""}
    response = office.post(base, data, follow=True)
    assert len(messages_of(response)) == 1
    assert messages_of(response)[0].startswith("2 internships could not be changed:")
    assert "Say why the internship ended early." in messages_of(response)[0]

    data = {"action": "mark_completed", "_selected_action": [in_person.pk, online.pk]}
    response = office.post(base, data, follow=True)
    assert messages_of(response)[0] == "1 internship is now “Completed”."
    assert "cannot become “Completed”" in messages_of(response)[1]
    assert Internship.objects.get(pk=in_person.pk).status == "completed"
    assert Internship.objects.get(pk=online.pk).status == "preparing"


def change_page_post(client, internship, **changes):
    data = {
        "starts_on": internship.starts_on.isoformat() if internship.starts_on else "",
        "ends_on": internship.ends_on.isoformat() if internship.ends_on else "",
        "mentor_name": internship.mentor_name,
        "mentor_title": internship.mentor_title,
        "new_status": "",
        "reason": "",
    }
    for prefix in ("logistics", "attendances"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return client.post(admin_url("internship_change", internship.pk), {**data, **changes})


def test_internship_page_changes_the_term_and_ends_early_with_a_reason(office, in_person):
    page = office.get(admin_url("internship_change", in_person.pk))
    assert page.status_code == 200
    assert [v for v, _ in page.context["adminform"].form.fields["new_status"].choices] == [
        "", "in_progress", "ended_early",
    ]  # fmt: skip
    assert reverse("internships:internship_detail", args=[in_person.pk]) in page.content.decode()

    refused = change_page_post(office, in_person, new_status="ended_early")
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"reason": ["Say why the internship ended early."]}

    response = change_page_post(
        office, in_person, mentor_title="Export manager", new_status="ended_early", reason="Visa refused"
    )
    assert response.status_code == 302
    in_person.refresh_from_db()
    assert (in_person.status, in_person.ended_reason, in_person.mentor_title) == (
        "ended_early", "Visa refused", "Export manager",
    )  # fmt: skip
    audited = AuditEntry.objects.filter(target_type="internships.internship", target_id=str(in_person.pk))
    assert list(audited.order_by("-pk").values_list("action", flat=True)) == [
        "internship.status", "internship.updated", "internship.checklist_created", "internship.start",
    ]  # fmt: skip
    finished = office.get(admin_url("internship_change", in_person.pk)).context["adminform"].form
    assert finished.fields["new_status"].disabled


def test_a_term_ending_before_it_starts_is_refused_on_the_page(office, in_person):
    response = change_page_post(office, in_person, ends_on="2024-09-01")
    assert response.status_code == 302
    assert messages_of(office.get(response["Location"])) == ["An internship cannot end before it starts."]
    in_person.refresh_from_db()
    assert in_person.ends_on == dt.date(2024, 11, 29)


# --- Events and attendance ------------------------------------------------------------------------------


def test_an_event_is_added_through_the_service(office, cycle):
    response = office.post(
        admin_url("programevent_add"),
        {
            "cycle": cycle.pk, "course": "in_person", "term": term(cycle, "in_person", 1).pk, "kind": "kick_off",
            "title": "", "starts_at_0": "2024-10-01", "starts_at_1": "10:00", "ends_at_0": "2024-10-01",
            "ends_at_1": "11:00", "place": "Nagoya", "notes": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    [made] = ProgramEvent.objects.all()
    assert (made.summary, made.place) == ("Kick-off · term 1", "Nagoya")
    assert AuditEntry.objects.filter(action="event.created", target_id=str(made.pk)).count() == 1

    wrong = office.post(
        admin_url("programevent_add"),
        {
            "cycle": cycle.pk, "course": "online", "term": term(cycle, "in_person", 1).pk, "kind": "kick_off",
            "starts_at_0": "2024-10-01", "starts_at_1": "10:00", "ends_at_0": "2024-10-01", "ends_at_1": "09:00",
        },
    )  # fmt: skip
    assert wrong.status_code == 200
    assert wrong.context["adminform"].form.errors == {
        "ends_at": ["An event must end after it starts."],
        "term": ["Choose the course of this term."],
    }


def test_attendance_is_recorded_for_the_participants(office, in_person, online):
    pre = event(in_person.placement.cycle, course="in_person")
    page = office.get(admin_url("programevent_attendance", pre.pk))
    assert [i.pk for i, _field in page.context["form"].rows()] == [in_person.pk]

    response = office.post(
        admin_url("programevent_attendance", pre.pk), {f"attendance_{in_person.pk}": "present"}, follow=True
    )
    assert messages_of(response) == ["1 attendance recorded."]
    assert Attendance.objects.get().status == "present"
    again = office.post(
        admin_url("programevent_attendance", pre.pk), {f"attendance_{in_person.pk}": "present"}
    )
    assert messages_of(office.get(again["Location"])) == ["Nothing was changed."]
    assert "1 present of 1 recorded" in office.get(admin_url("programevent_changelist")).content.decode()
    assert (
        admin_url("programevent_delete", pre.pk)
        not in office.get(admin_url("programevent_change", pre.pk)).content.decode()
    )


def test_attendance_waits_for_the_event(office, in_person):
    later = event(in_person.placement.cycle, day=dt.date(2024, 10, 1))
    page = office.get(admin_url("programevent_attendance", later.pk))
    assert "The event has not begun" in page.content.decode()
    response = office.post(
        admin_url("programevent_attendance", later.pk), {f"attendance_{in_person.pk}": "absent"}, follow=True
    )
    assert messages_of(response) == [
        f"{in_person.placement.application.full_name}: Attendance is recorded once the event has begun."
    ]
    assert Attendance.objects.count() == 0


def test_default_schedule_of_a_cycle(office, cycle):
    assert office.get(admin_url("programevent_default")).status_code == 200
    response = office.post(admin_url("programevent_default"), {"cycle": cycle.pk}, follow=True)
    assert messages_of(response) == ["12 events created from the cycle's dates."]
    assert len(listed(response)) == 12
    response = office.post(admin_url("programevent_default"), {"cycle": cycle.pk}, follow=True)
    assert messages_of(response) == ["No event created: the cycle's milestones and terms carry no new dates."]


def test_an_event_without_attendance_is_deleted_through_the_service(office, cycle):
    pre = event(cycle)
    response = office.post(admin_url("programevent_delete", pre.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not ProgramEvent.objects.exists()
    assert AuditEntry.objects.filter(action="event.deleted", target_id=str(pre.pk)).count() == 1


# --- Logistics and blockers ---------------------------------------------------------------------------


def test_an_item_is_updated_through_the_service(office, in_person):
    visa = item(in_person, LogisticsKind.VISA)
    change = admin_url("logisticsitem_change", visa.pk)
    response = office.post(change, {"status": "blocked", "due_on": "2024-09-15", "done_on": "", "notes": ""})
    assert messages_of(office.get(response["Location"])) == [
        "Say what blocks it, so the JIP office can help."
    ]

    response = office.post(
        change, {"status": "blocked", "due_on": "2024-09-15", "done_on": "", "notes": "No certificate yet"}
    )
    assert response.status_code == 302
    visa.refresh_from_db()
    assert (visa.status, visa.due_on, visa.notes) == ("blocked", dt.date(2024, 9, 15), "No certificate yet")
    assert AuditEntry.objects.filter(action="logistics.updated", target_id=str(visa.pk)).count() == 1


def test_logistics_list_filters_overdue_items(office, in_person, online):
    flights = item(in_person, LogisticsKind.FLIGHTS)
    LogisticsItem.objects.filter(pk=flights.pk).update(due_on=dt.date(2024, 9, 19))
    base = admin_url("logisticsitem_changelist")
    assert listed(office.get(base, {"overdue": "yes"})) == [flights.pk]
    assert len(listed(office.get(base, {"overdue": "no"}))) == 5
    assert admin_url("logisticsitem_blockers") in office.get(base).content.decode()


def test_blockers_across_the_cycle(office, in_person, online):
    visa, flights = item(in_person, LogisticsKind.VISA), item(in_person, LogisticsKind.FLIGHTS)
    LogisticsItem.objects.filter(pk=visa.pk).update(status="blocked", notes="No certificate yet")
    LogisticsItem.objects.filter(pk=flights.pk).update(due_on=dt.date(2024, 9, 15))

    response = office.get(admin_url("logisticsitem_blockers"), {"cycle": in_person.placement.cycle_id})

    assert [row["item"].pk for row in response.context["rows"]] == [flights.pk, visa.pk]
    assert [row["days_overdue"] for row in response.context["rows"]] == [5, 0]
    page = response.content.decode()
    for text in (in_person.placement.application.full_name, in_person.placement.position.company.name_en,
                 "No certificate yet", 'data-blocked="1"', 'data-overdue="1"'):  # fmt: skip
        assert text in page, text


# --- Queries: the same number for a few rows and for many ------------------------------------------------


@pytest.mark.parametrize("size", [1, 12])
def test_admin_lists_use_a_fixed_number_of_queries(office, cycle, django_assert_num_queries, size):
    interns = many_interns(size)
    for intern in interns:
        LogisticsItem.objects.filter(internship=intern).update(status="blocked", notes="Waiting")
    for day in range(1, size + 1):
        event(
            cycle,
            EventKind.KICK_OFF,
            course="in_person",
            term=term(cycle, "in_person", 1),
            day=dt.date(2024, 8, day),
        )
    pre = event(cycle, day=dt.date(2024, 9, 10))

    pages = {
        reverse("admin:matching_placement_changelist"): 11,
        admin_url("internship_changelist"): 11,
        admin_url("programevent_changelist"): 12,
        admin_url("logisticsitem_changelist"): 10,
        admin_url("logisticsitem_blockers") + f"?cycle={cycle.pk}": 8,
        admin_url("programevent_attendance", pre.pk): 9,
    }
    for address, queries in pages.items():
        with django_assert_num_queries(queries):
            assert office.get(address).status_code == 200, address


def test_the_office_pages_are_for_staff_with_an_authenticator(client, in_person, staff):
    pre = event(in_person.placement.cycle)
    pages = [
        admin_url("logisticsitem_blockers"),
        admin_url("programevent_attendance", pre.pk),
        admin_url("programevent_default"),
    ]
    for user in (in_person.placement.application.applicant, staff):  # staff: no authenticator yet
        client.force_login(user)
        for address in pages:
            response = client.get(address)
            assert response.status_code == 302, address
            assert response["Location"].startswith(reverse("admin:login")), address
    assert (
        client.post(admin_url("programevent_default"), {"cycle": in_person.placement.cycle_id}).status_code
        == 302
    )
    assert not ProgramEvent.objects.exclude(pk=pre.pk).exists()
