"""Preparing the internship: the services (status, checklist, PC request, items, events, attendance, the
default schedule) and the selectors (schedule, blockers, time zones), and the iCalendar file."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from internships import ical
from internships.models import (
    Attendance,
    AttendanceStatus,
    EventKind,
    Internship,
    InternshipStatus,
    LogisticsItem,
    LogisticsKind,
    LogisticsStatus,
    ProgramEvent,
)
from internships.selectors import preparation as selectors
from internships.services import preparation as services
from jip import services as jip_services
from jip.clock import JST
from jip.models import AuditEntry

from ..factories import UserFactory
from .test_preparation_fixtures import (  # noqa: F401  (fixtures among them)
    PREPARATION_DAY,
    cycle,
    event,
    in_person,
    intern_placed,
    online,
    preparation_day,
    term,
)

pytestmark = pytest.mark.django_db
S = InternshipStatus
ALLOWED = {
    (S.PREPARING, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.PREPARING, S.ENDED_EARLY),
    (S.IN_PROGRESS, S.ENDED_EARLY),
}
EVERY_MOVE = [(before, after) for before in S.values for after in S.values]


def audits(action: str, target) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, target_type=target._meta.label_lower, target_id=str(target.pk)
        )
    )


def item(internship: Internship, kind: str) -> LogisticsItem:
    return LogisticsItem.objects.get(internship=internship, kind=kind)


# --- The internship's status ----------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "after"), sorted(ALLOWED))
def test_allowed_status_moves(in_person, preparation_day, before, after):
    Internship.objects.filter(pk=in_person.pk).update(status=before)
    office = UserFactory(is_staff=True)

    changed = services.internship_status_set(
        internship=in_person, status=after, by=office, reason=" Visa refused "
    )

    changed.refresh_from_db()
    assert changed.status == after
    assert changed.status_changed_at == PREPARATION_DAY
    assert changed.ended_reason == ("Visa refused" if after == S.ENDED_EARLY else "")
    [entry] = audits("internship.status", in_person)
    assert entry.actor == office
    assert entry.data == {"from": before, "to": after, "reason": "Visa refused"}


@pytest.mark.parametrize(("before", "after"), [move for move in EVERY_MOVE if move not in ALLOWED])
def test_every_other_status_move_is_refused(in_person, before, after):
    Internship.objects.filter(pk=in_person.pk).update(status=before)

    with pytest.raises(ValidationError) as refused:
        services.internship_status_set(internship=in_person, status=after, by=None, reason="A reason")

    assert refused.value.code == ("unchanged" if before == after else "not_allowed")
    in_person.refresh_from_db()
    assert in_person.status == before
    assert audits("internship.status", in_person) == []


@pytest.mark.parametrize("before", [S.PREPARING, S.IN_PROGRESS])
def test_ending_early_needs_a_reason(in_person, before):
    Internship.objects.filter(pk=in_person.pk).update(status=before)

    with pytest.raises(ValidationError) as refused:
        services.internship_status_set(internship=in_person, status=S.ENDED_EARLY, by=None, reason="  ")

    assert refused.value.message_dict == {"reason": ["Say why the internship ended early."]}
    in_person.refresh_from_db()
    assert in_person.status == before


def test_an_unknown_status_is_refused(in_person):
    with pytest.raises(ValidationError, match="is not a status of an internship"):
        services.internship_status_set(internship=in_person, status="paused", by=None)


def test_term_and_mentor_are_updated_and_audited(in_person):
    services.internship_details_update(
        internship=in_person, starts_on=dt.date(2024, 10, 7), ends_on=dt.date(2024, 11, 29),
        mentor_name=" Suzuki Hanako ", mentor_title="Export manager", by=None,
    )  # fmt: skip

    in_person.refresh_from_db()
    assert (in_person.starts_on, in_person.mentor_name, in_person.mentor_title) == (
        dt.date(2024, 10, 7), "Suzuki Hanako", "Export manager",
    )  # fmt: skip
    [entry] = audits("internship.updated", in_person)
    assert entry.data == {"mentor_title": "Export manager", "starts_on": "2024-10-07"}


def test_an_internship_cannot_end_before_it_starts(in_person):
    with pytest.raises(ValidationError) as refused:
        services.internship_details_update(
            internship=in_person, starts_on=dt.date(2024, 10, 7), ends_on=dt.date(2024, 10, 6),
            mentor_name="", mentor_title="", by=None,
        )  # fmt: skip
    assert refused.value.message_dict == {"ends_on": ["An internship cannot end before it starts."]}


# --- The checklist --------------------------------------------------------------------------------------


def test_in_person_checklist_has_five_items_due_by_the_first_day(in_person):
    items = {i.kind: i for i in in_person.logistics.all()}

    assert sorted(items) == sorted(LogisticsKind.values)
    assert {i.status for i in items.values()} == {LogisticsStatus.TO_DO}
    assert {i.due_on for i in items.values()} == {dt.date(2024, 10, 1)}
    [entry] = audits("internship.checklist_created", in_person)
    assert sorted(entry.data["kinds"]) == sorted(LogisticsKind.values)


def test_online_checklist_is_a_pc_not_needed_until_requested(online):
    [pc] = online.logistics.all()

    assert (pc.kind, pc.status, pc.due_on, pc.requested_at) == ("pc", "not_needed", None, None)


def test_checklist_creation_only_adds_what_is_missing(in_person):
    item(in_person, LogisticsKind.VISA).delete()

    made = services.internship_checklist_create(internship=in_person, by=None)

    assert [i.kind for i in made] == [LogisticsKind.VISA]
    assert services.internship_checklist_create(internship=in_person, by=None) == []
    assert in_person.logistics.count() == 5
    assert len(audits("internship.checklist_created", in_person)) == 2


def test_an_online_intern_requests_a_pc(online, preparation_day):
    intern = online.placement.application.applicant

    pc = services.logistics_pc_request(internship=online, by=intern, note=" For the company's design tools ")

    pc.refresh_from_db()
    assert (pc.status, pc.requested_at, pc.due_on) == ("to_do", PREPARATION_DAY, dt.date(2024, 11, 5))
    assert pc.notes == "For the company's design tools"
    assert pc.updated_by == intern
    [entry] = audits("logistics.pc_requested", pc)
    assert entry.actor == intern
    with pytest.raises(ValidationError) as again:
        services.logistics_pc_request(internship=online, by=intern)
    assert again.value.code == "requested"


def test_an_in_person_intern_does_not_request_a_pc_from_the_office(in_person):
    with pytest.raises(ValidationError, match="Only an intern of the online course"):
        services.logistics_pc_request(internship=in_person, by=None)
    assert item(in_person, LogisticsKind.PC).requested_at is None


@pytest.mark.parametrize("status", [S.COMPLETED, S.ENDED_EARLY])
def test_no_pc_request_after_the_internship(online, status):
    Internship.objects.filter(pk=online.pk).update(status=status)
    online.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.logistics_pc_request(internship=online, by=None)
    assert refused.value.code == "finished"


def update(target: LogisticsItem, **changes) -> LogisticsItem:
    values = {"status": target.status, "due_on": target.due_on, "done_on": None, "notes": "", "by": None}
    return services.logistics_item_update(item=target, **{**values, **changes})


def test_an_item_done_today_is_recorded_with_who_did_it(in_person, preparation_day):
    office = UserFactory(is_staff=True)
    visa = item(in_person, LogisticsKind.VISA)

    update(
        visa, status="done", done_on=dt.date(2024, 9, 20), notes="Certificate of eligibility sent", by=office
    )

    visa.refresh_from_db()
    assert (visa.status, visa.done_on, visa.updated_by) == ("done", dt.date(2024, 9, 20), office)
    [entry] = audits("logistics.updated", visa)
    assert entry.data == {
        "kind": "visa",
        "from": "to_do",
        "to": "done",
        "fields": ["done_on", "notes", "status"],
    }


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"status": "done"}, {"done_on": ["Give the day it was done."]}),
        (
            {"status": "done", "done_on": dt.date(2024, 9, 21)},
            {"done_on": ["The day it was done cannot be in the future."]},
        ),
        (
            {"status": "in_progress", "done_on": dt.date(2024, 9, 19)},
            {"done_on": ["Only a done item has the day it was done."]},
        ),
        ({"status": "blocked"}, {"notes": ["Say what blocks it, so the JIP office can help."]}),
        ({"status": "lost"}, {"status": ["“lost” is not a status of an item."]}),
    ],
)
def test_item_updates_that_do_not_hold_are_refused(in_person, preparation_day, changes, errors):
    flights = item(in_person, LogisticsKind.FLIGHTS)

    with pytest.raises(ValidationError) as refused:
        update(flights, **changes)

    assert refused.value.message_dict == errors
    flights.refresh_from_db()
    assert flights.status == "to_do"
    assert audits("logistics.updated", flights) == []


def test_an_unchanged_item_writes_nothing(in_person):
    flights = item(in_person, LogisticsKind.FLIGHTS)
    update(flights)
    assert audits("logistics.updated", flights) == []


# --- Events and attendance -----------------------------------------------------------------------------


def test_events_are_saved_and_checked(cycle):
    starts = dt.datetime(2024, 9, 10, 10, tzinfo=JST)
    with pytest.raises(ValidationError) as same_time:
        services.program_event_save(
            event=ProgramEvent(cycle=cycle, kind=EventKind.PRE_TRAINING, starts_at=starts, ends_at=starts),
            by=None,
        )
    assert same_time.value.message_dict == {"ends_at": ["An event must end after it starts."]}
    with pytest.raises(ValidationError) as other_course:
        services.program_event_save(
            event=ProgramEvent(
                cycle=cycle, kind=EventKind.KICK_OFF, course="online", term=term(cycle, "in_person", 1),
                starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
            ),
            by=None,
        )  # fmt: skip
    assert other_course.value.message_dict == {"term": ["Choose the course of this term."]}

    made = services.program_event_save(
        event=ProgramEvent(
            cycle=cycle, kind=EventKind.KICK_OFF, course="in_person", term=term(cycle, "in_person", 1),
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1), place="https://meet.example/jip",
        ),
        by=None,
    )  # fmt: skip
    assert str(made) == "Kick-off · term 1"
    assert [e.action for e in AuditEntry.objects.filter(target_type="internships.programevent")] == [
        "event.created"
    ]


def test_an_event_with_attendance_is_not_deleted(in_person, preparation_day):
    pre_training = event(in_person.placement.cycle)
    services.event_attendance_record(event=pre_training, internship=in_person, status="present", by=None)

    with pytest.raises(ValidationError) as refused:
        services.program_event_delete(event=pre_training, by=None)

    assert refused.value.code == "attended"
    assert ProgramEvent.objects.filter(pk=pre_training.pk).exists()


def test_attendance_is_recorded_then_changed(in_person, preparation_day):
    office = UserFactory(is_staff=True)
    pre_training = event(in_person.placement.cycle)

    services.event_attendance_record(event=pre_training, internship=in_person, status="absent", by=office)
    services.event_attendance_record(event=pre_training, internship=in_person, status="excused", by=office)
    services.event_attendance_record(event=pre_training, internship=in_person, status="excused", by=office)

    [attendance] = Attendance.objects.all()
    assert (attendance.status, attendance.recorded_by) == ("excused", office)
    assert [e.data for e in audits("event.attendance", pre_training)] == [
        {"internship": in_person.pk, "from": "", "to": "absent"},
        {"internship": in_person.pk, "from": "absent", "to": "excused"},
    ]


def test_attendance_waits_for_the_event(in_person, preparation_day):
    tomorrow = event(in_person.placement.cycle, day=dt.date(2024, 9, 21))
    with pytest.raises(ValidationError) as refused:
        services.event_attendance_record(event=tomorrow, internship=in_person, status="present", by=None)
    assert refused.value.code == "not_begun"


def test_attendance_only_for_the_events_on_the_interns_schedule(in_person, online, preparation_day):
    cycle = in_person.placement.cycle
    online_only = event(cycle, course="online")
    second_term = event(cycle, EventKind.KICK_OFF, course="in_person", term=term(cycle, "in_person", 2))
    second_term.starts_at = dt.datetime(2024, 9, 1, tzinfo=JST)  # begun, for the test's sake
    for other in (online_only, second_term):
        with pytest.raises(ValidationError) as refused:
            services.event_attendance_record(event=other, internship=in_person, status="present", by=None)
        assert refused.value.code == "not_participant"
    with pytest.raises(ValidationError, match="is not an attendance"):
        services.event_attendance_record(event=online_only, internship=online, status="late", by=None)
    services.event_attendance_record(
        event=online_only, internship=online, status=AttendanceStatus.PRESENT, by=None
    )
    assert Attendance.objects.get().internship == online


def test_default_schedule_from_the_cycles_dates(cycle):
    made = services.events_schedule_default(cycle=cycle, by=None)

    rows = sorted(
        (
            e.course,
            e.kind,
            e.term.number if e.term else None,
            e.starts_at.astimezone(JST),
            e.ends_at.astimezone(JST),
        )
        for e in made
    )
    at = lambda d, h: dt.datetime.combine(d, dt.time(h), tzinfo=JST)  # noqa: E731
    expected = []
    for course in ("in_person", "online"):
        expected += [
            (course, "pre_training", None, at(dt.date(2024, 9, 10), 10), at(dt.date(2024, 9, 10), 12)),
            (course, "follow_up_training", None, at(dt.date(2025, 3, 5), 10), at(dt.date(2025, 3, 5), 12)),
            (
                course,
                "wrap_up_presentation",
                None,
                at(dt.date(2025, 3, 12), 13),
                at(dt.date(2025, 3, 13), 17),
            ),
        ]
    expected += [
        ("in_person", "kick_off", 1, at(dt.date(2024, 10, 1), 10), at(dt.date(2024, 10, 1), 11)),
        ("in_person", "mid_term_interview", 1, at(dt.date(2024, 10, 30), 10), at(dt.date(2024, 10, 30), 12)),
        ("in_person", "kick_off", 2, at(dt.date(2025, 1, 14), 10), at(dt.date(2025, 1, 14), 11)),
        ("in_person", "mid_term_interview", 2, at(dt.date(2025, 2, 5), 10), at(dt.date(2025, 2, 5), 12)),
        ("online", "kick_off", 1, at(dt.date(2024, 11, 5), 10), at(dt.date(2024, 11, 5), 11)),
        ("online", "mid_term_interview", 1, at(dt.date(2024, 11, 27), 10), at(dt.date(2024, 11, 27), 12)),
    ]
    assert rows == sorted(expected)
    assert services.events_schedule_default(cycle=cycle, by=None) == []
    assert ProgramEvent.objects.count() == 12
    [entry] = AuditEntry.objects.filter(action="events.default_schedule")
    assert len(entry.data["events"]) == 12


def test_default_schedule_leaves_out_what_has_no_date(fy2024):
    assert services.events_schedule_default(cycle=fy2024, by=None) == []
    assert ProgramEvent.objects.count() == 0


# --- Selectors ----------------------------------------------------------------------------------------


def test_the_schedule_of_an_internship(in_person, online):
    cycle = in_person.placement.cycle
    everyone = event(cycle, EventKind.WRAP_UP_PRESENTATION, day=dt.date(2025, 3, 12))
    in_person_pre = event(cycle, course="in_person")
    online_pre = event(cycle, course="online")
    first_term = event(cycle, EventKind.KICK_OFF, course="in_person", term=term(cycle, "in_person", 1),
                       day=dt.date(2024, 10, 1))  # fmt: skip
    event(
        cycle,
        EventKind.KICK_OFF,
        course="in_person",
        term=term(cycle, "in_person", 2),
        day=dt.date(2025, 1, 14),
    )
    other_cycle = jip_services.cycle_copy(source=cycle, fiscal_year=2025)
    event(other_cycle, day=dt.date(2025, 9, 10))

    assert list(selectors.schedule_of_internship(internship=in_person)) == [
        in_person_pre,
        first_term,
        everyone,
    ]
    assert list(selectors.schedule_of_internship(internship=online)) == [online_pre, everyone]
    assert list(selectors.schedule_of_internships(internships=[in_person, online])) == [
        in_person_pre, online_pre, first_term, everyone,
    ]  # fmt: skip
    assert [i.pk for i in selectors.event_participants(event=first_term)] == [in_person.pk]
    assert {i.pk for i in selectors.event_participants(event=everyone)} == {in_person.pk, online.pk}


def test_an_internship_without_dates_sees_every_term(cycle):
    undated = intern_placed(course="in_person")
    first = event(cycle, EventKind.KICK_OFF, course="in_person", term=term(cycle, "in_person", 1))
    second = event(cycle, EventKind.KICK_OFF, course="in_person", term=term(cycle, "in_person", 2),
                   day=dt.date(2025, 1, 14))  # fmt: skip
    assert list(selectors.schedule_of_internship(internship=undated)) == [first, second]


def test_blockers_across_the_cycle(in_person, online, preparation_day):
    today = dt.date(2024, 9, 20)
    visa, flights, accommodation, insurance, pc = (item(in_person, k) for k in selectors.CHECKLIST_ORDER)
    update(visa, status="blocked", notes="Waiting for the certificate of eligibility")
    LogisticsItem.objects.filter(pk=flights.pk).update(due_on=dt.date(2024, 9, 19))  # overdue
    LogisticsItem.objects.filter(pk=accommodation.pk).update(due_on=dt.date(2024, 9, 20))  # due today
    LogisticsItem.objects.filter(pk=insurance.pk).update(due_on=dt.date(2024, 9, 1), status="done")
    LogisticsItem.objects.filter(pk=pc.pk).update(due_on=dt.date(2024, 9, 1), status="not_needed")
    online_pc = item(online, LogisticsKind.PC)
    LogisticsItem.objects.filter(pk=online_pc.pk).update(due_on=dt.date(2024, 9, 1), status="in_progress")
    ended = intern_placed(course="in_person", starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2024, 10, 1))
    Internship.objects.filter(pk=ended.pk).update(status=S.ENDED_EARLY)

    blockers = list(selectors.logistics_blockers(cycle=in_person.placement.cycle, today=today))

    assert [b.pk for b in blockers] == [online_pc.pk, flights.pk, visa.pk]
    assert [selectors.item_is_overdue(b, today) for b in blockers] == [True, True, False]


@pytest.mark.parametrize(
    ("country", "zone"),
    [("VN", "Asia/Ho_Chi_Minh"), ("KE", "Africa/Nairobi"), ("ID", "Asia/Jakarta"), ("BR", "America/Sao_Paulo"),
     ("XK", "Europe/Belgrade"), ("ZZ", None), ("", None)],
)  # fmt: skip
def test_time_zone_of_a_country(country, zone):
    found = selectors.time_zone_of_country(country)
    assert (found.key if found else None) == zone


def test_an_intern_living_in_japan_sees_japan_time_only(cycle):
    assert selectors.time_zone_of_intern(internship=intern_placed(residence="JP")) is None
    assert selectors.time_zone_of_intern(internship=intern_placed(residence="VN")).key == "Asia/Ho_Chi_Minh"


# --- iCalendar ----------------------------------------------------------------------------------------


def test_the_calendar_parses_back_with_one_event_per_event(cycle):
    pre = event(cycle, place="JIP office, Tokyo", notes="Bring your passport.")
    kick = event(cycle, EventKind.KICK_OFF, course="in_person", term=term(cycle, "in_person", 1),
                 day=dt.date(2024, 10, 1), place="https://meet.example/kick-off")  # fmt: skip

    english = Calendar.from_ical(ical.calendar_bytes([pre, kick], language="en", domain="jip.example"))
    japanese = Calendar.from_ical(ical.calendar_bytes([pre, kick], language="ja", domain="jip.example"))

    assert (str(english["version"]), str(english["prodid"])) == ("2.0", ical.PRODID)
    entries = english.walk("VEVENT")
    assert [str(e["uid"]) for e in entries] == [
        f"program-event-{pre.pk}@jip.example",
        f"program-event-{kick.pk}@jip.example",
    ]
    assert [str(e["uid"]) for e in japanese.walk("VEVENT")] == [str(e["uid"]) for e in entries]
    assert entries[0].decoded("dtstart") == dt.datetime(2024, 9, 10, 1, 0, tzinfo=dt.UTC)
    assert entries[0].decoded("dtend") == dt.datetime(2024, 9, 10, 3, 0, tzinfo=dt.UTC)
    assert "DTSTART:20240910T010000Z" in ical.calendar_bytes([pre], language="en", domain="d").decode()
    assert [str(e["summary"]) for e in entries] == ["Pre-training", "Kick-off · term 1"]
    assert str(japanese.walk("VEVENT")[0]["summary"]) == "事前研修"
    assert [str(e["location"]) for e in entries] == ["JIP office, Tokyo", "https://meet.example/kick-off"]
    assert str(entries[1]["url"]) == "https://meet.example/kick-off"
    assert "Bring your passport." in str(entries[0]["description"])
