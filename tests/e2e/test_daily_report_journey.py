"""In a real browser: an intern on a 360 px phone, in Japanese, writes and submits two days; the host company's
manager, on a desktop, returns one with a comment and approves the other in bulk; the intern corrects the
returned one and submits it again; the office sees compliance across the cycle and exports it."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from internships.calendar import WorkCalendar
from internships.models import DailyReport, DailyReportSettings, DailyReportStatus, InternshipStatus
from internships.services.preparation import internship_status_set
from jip import clock

from ..conftest import PASSWORD, enroll_totp
from ..factories import CompanyManagerFactory, UserFactory, placement_for
from .conftest import admin_log_in, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

R = DailyReportStatus


@pytest.fixture
def internship(fy2024):
    """An in-person intern under way, the term around today (real time: the browser's session uses it); the
    cycle lets a day be written up to ten days later, so the two latest activity days are writable on any day
    of the year."""
    today = clock.today_jst()
    placement = placement_for(
        course="in_person",
        application__family_name="Nguyen",
        application__given_names="Linh",
        application__applicant=UserFactory(email="linh@intern.example", preferred_language="ja"),
        position__course="in_person",
        position__starts_on=today - dt.timedelta(days=21),
        position__ends_on=today + dt.timedelta(days=40),
        position__company__name_en="Sample Seiko Co., Ltd.",
    )
    DailyReportSettings.objects.create(cycle=fy2024, late_limit_days=10)
    return internship_status_set(
        internship=placement.internship, status=InternshipStatus.IN_PROGRESS, by=None
    )


def two_latest_days(today: dt.date) -> list[dt.date]:
    days = WorkCalendar().activity_days(today - dt.timedelta(days=9), today)
    return days[-2:]


@pytest.fixture
def phone_ja(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    context.add_cookies([{"name": "django_language", "value": "ja", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def write_day(phone, live_server, day: dt.date, *, learned: str) -> None:
    phone.goto(f"{live_server.url}/internship/reports/{day.isoformat()}/")
    phone.locator("#id_hours").select_option("7.5")
    phone.locator("input[name=mode][value=in_person]").check()
    phone.locator("#id_activities").fill("加工ラインの測定を生産技術チームと行いました。")
    phone.locator("#id_learned").fill(learned)
    phone.locator("#id_next_plan").fill("手直しの原因をパレート図にまとめる。")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("button", name="提出する").click()
    phone.wait_for_url("**/internship/reports/")


def test_a_week_of_daily_reports_from_the_phone_to_the_office(
    phone_ja, page, browser, live_server, internship, staff
):
    phone = phone_ja
    intern = internship.placement.application.applicant
    first, second = two_latest_days(clock.today_jst())

    # The intern, on a phone, in Japanese: the calendar, then two days written and submitted.
    log_in(phone, live_server, intern.email, PASSWORD)
    phone.goto(live_server.url + "/internship/reports/")
    phone.get_by_role("heading", name="日報").first.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    write_day(phone, live_server, first, learned="手直しの原因の記録方法。")
    phone.get_by_text("受入企業に提出しました。").wait_for()
    write_day(phone, live_server, second, learned="朝礼での5Sの確認。")
    assert (
        phone.locator(f"#calendar td[data-day='{first.isoformat()}']").get_attribute("data-state")
        == "submitted"
    )
    assert (
        phone.locator(f"#calendar td[data-day='{second.isoformat()}']").get_attribute("data-state")
        == "submitted"
    )

    # The manager, on a desktop: returns the first with a comment, approves the second in bulk.
    manager = CompanyManagerFactory(
        company=internship.placement.position.company, user=UserFactory(email="sato@seiko.example")
    ).user
    log_in(page, live_server, manager.email, PASSWORD)
    page.goto(live_server.url + "/internship/company/reports/")
    reports = {r.day: r for r in DailyReport.objects.filter(internship=internship)}
    assert page.locator("[data-report]").count() == 2
    page.locator(f"#report-{reports[first].pk}").get_by_role("link", name="Return with a comment").click()
    page.locator("#id_comment").fill("Please add the numbers you measured.")
    page.get_by_role("button", name="Return to the intern").click()
    page.wait_for_url("**/internship/company/reports/")
    page.get_by_text("is returned to Linh Nguyen.").wait_for()
    page.locator("#tick-all").check()
    page.get_by_role("button", name="Approve the ticked reports").first.click()
    page.get_by_text("1 report approved.").wait_for()
    page.locator("#inbox-empty").wait_for()
    statuses = dict(DailyReport.objects.filter(internship=internship).values_list("day", "status"))
    assert statuses == {first: R.RETURNED, second: R.APPROVED}

    # The intern corrects the returned day and submits it again.
    phone.goto(live_server.url + "/internship/reports/")
    phone.locator("#returned").get_by_text("Please add the numbers you measured.").wait_for()
    phone.locator(f"[data-returned='{first.isoformat()}'] a").click()
    phone.locator("#company-comment").wait_for()
    phone.locator("#id_learned").fill("手直しの原因の記録方法。測定した12個のうち2個が手直し。")
    phone.get_by_role("button", name="提出する").click()
    phone.wait_for_url("**/internship/reports/")
    assert (
        phone.locator(f"#calendar td[data-day='{first.isoformat()}']").get_attribute("data-state")
        == "submitted"
    )
    assert (
        phone.locator(f"#calendar td[data-day='{second.isoformat()}']").get_attribute("data-state")
        == "approved"
    )
    assert phone.locator("#progress [data-approved]").get_attribute("data-approved") == "1"

    # The office, with its authenticator: compliance across the cycle, and its export.
    office = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    office.set_default_timeout(15_000)
    admin_log_in(office, live_server, staff.email, PASSWORD, enroll_totp(staff))
    office.goto(
        f"{live_server.url}/admin/internships/dailyreport/compliance/?cycle={internship.placement.cycle_id}"
    )
    row = office.locator(f"tr[data-internship='{internship.pk}']")
    row.get_by_role("link", name="Linh Nguyen").wait_for()
    assert row.locator("[data-col=approved]").inner_text() == "1"
    assert row.locator("[data-col=submitted]").inner_text() == "1"
    with office.expect_download() as downloaded:
        office.locator("#compliance-export").click()
    download = downloaded.value
    assert download.suggested_filename == "daily-report-compliance-FY2024.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    header, *rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    [exported] = [dict(zip(header, line, strict=True)) for line in rows]
    assert (exported["intern"], exported["days approved"], exported["days submitted"]) == (
        "Linh Nguyen",
        1,
        1,
    )
    office.context.close()
