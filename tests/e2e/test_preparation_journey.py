"""In a real browser: an intern on a phone sees their preparation checklist and schedule and adds the schedule
to their calendar; the host company's manager, on a desktop, sees the intern's checklist and schedule and
records that the PC is ready."""

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from internships.models import EventKind, LogisticsItem, LogisticsKind, ProgramEvent
from internships.services.preparation import internship_checklist_create
from jip import clock

from ..conftest import PASSWORD
from ..factories import CompanyManagerFactory, UserFactory, placement_for
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def internship(fy2024):
    """An in-person intern living in Viet Nam, with their checklist and two events to come (real time: the
    browser's session and the "past event" mark use it)."""
    today = clock.today_jst()
    placement = placement_for(
        course="in_person",
        application__family_name="Nguyen",
        application__given_names="Linh",
        application__residence_country="VN",
        position__course="in_person",
        position__starts_on=today + dt.timedelta(days=30),
        position__ends_on=today + dt.timedelta(days=90),
        position__company__name_en="Sample Seiko Co., Ltd.",
    )
    internship = placement.internship
    internship_checklist_create(internship=internship, by=None)
    for kind, days, place in (
        (EventKind.PRE_TRAINING, 10, "JIP office, Tokyo"),
        (EventKind.KICK_OFF, 30, "Sample Seiko, Nagoya"),
    ):
        starts_at = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(10), tzinfo=clock.JST)
        ProgramEvent.objects.create(
            cycle=fy2024, course="in_person", kind=kind, starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2), place=place,
        )  # fmt: skip
    return internship


def log_in_to(page, live_server, email: str, next_path: str):
    log_in(page, live_server, email, PASSWORD)
    page.goto(live_server.url + next_path)


def test_the_intern_on_a_phone_sees_the_checklist_and_adds_the_schedule(phone, live_server, internship):
    log_in_to(phone, live_server, internship.placement.application.applicant.email, "/internship/")

    phone.get_by_role("heading", name="My internship").wait_for()
    checklist = phone.locator("#checklist")
    for item in ("Visa support", "Round-trip flights", "Accommodation", "Internship insurance", "PC"):
        checklist.get_by_text(item, exact=True).wait_for()
    assert checklist.locator("[data-status=to_do]").count() == 5
    schedule = phone.locator("#schedule")
    assert schedule.locator("li[data-event]").count() == 2
    schedule.get_by_text("Pre-training").wait_for()
    assert "Vietnam Time (GMT+07:00)" in schedule.inner_text()
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with phone.expect_download() as downloaded:
        phone.get_by_role("link", name="Add to my calendar").click()
    download = downloaded.value
    assert download.suggested_filename == "jip-schedule.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Pre-training", "Kick-off"]
    assert [str(e["location"]) for e in calendar.walk("VEVENT")] == [
        "JIP office, Tokyo",
        "Sample Seiko, Nagoya",
    ]


def test_the_company_manager_updates_the_pc_item(page, live_server, internship):
    company = internship.placement.position.company
    manager = CompanyManagerFactory(company=company, user=UserFactory(email="sato@seiko.example")).user
    log_in_to(page, live_server, manager.email, "/internship/company/")

    card = page.locator(f"#intern-{internship.pk}")
    card.get_by_role("link", name="Linh Nguyen").wait_for()
    assert card.locator("[data-item]").count() == 5
    page.locator("#schedule").get_by_text("Kick-off").wait_for()
    assert page.locator("#schedule li[data-event]").count() == 2

    card.get_by_role("link", name="Update the PC item").click()
    page.wait_for_url(f"**/internship/company/interns/{internship.pk}/pc/")
    page.locator("#id_status").select_option("done")
    page.locator("#id_done_on").fill(clock.today_jst().isoformat())
    page.locator("#id_notes").fill("A laptop with a Japanese keyboard, handed over on the first day.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/internship/company/#intern-*")
    page.get_by_text("The PC item of Linh Nguyen is saved.").wait_for()
    assert card.locator("[data-item=pc] [data-status]").get_attribute("data-status") == "done"

    pc = LogisticsItem.objects.get(internship=internship, kind=LogisticsKind.PC)
    assert (pc.status, pc.done_on, pc.updated_by_id) == ("done", clock.today_jst(), manager.pk)
