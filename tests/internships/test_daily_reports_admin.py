"""The JIP office's workplace for daily reports: compliance across a cycle with its filters and its XLSX export,
an intern's calendar with reopening and extra days, correcting a report and approving it for the company (with
a reason, audited), mid-term interviews with open concerns first, staff only with an authenticator, and a
fixed number of queries however many interns and days."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from internships.models import (
    ClosurePeriod,
    DailyReport,
    DailyReportSettings,
    DailyReportStatus,
    DayReopening,
    MidTermInterview,
)
from internships.services import daily_reports as services
from jip.models import AuditEntry

from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    REPORT,
    approved,
    at,
    clock_at,
    cycle,
    in_person,
    intern_placed,
    manager_of,
    online,
    submitted,
    under_way,
)

pytestmark = pytest.mark.django_db

D = dt.date
R = DailyReportStatus


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:internships_{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def friday(clock_at):
    """Friday 11 October 2024, 10:00 in Japan."""
    return clock_at(at(D(2024, 10, 11), 10))


@pytest.fixture
def office(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    return client


@pytest.fixture
def a_week(in_person, online, clock_at):
    """The in-person intern's first week: approved, approved, submitted, returned, nothing; the online intern
    has not started."""
    approved(in_person, D(2024, 10, 1))
    approved(in_person, D(2024, 10, 2))
    submitted(in_person, D(2024, 10, 3))
    services.daily_report_return(report=submitted(in_person, D(2024, 10, 4)), comment="Add detail.", by=None)
    return in_person


def test_staff_without_an_authenticator_and_others_stay_out(client, staff, in_person, friday):
    pages = [
        admin_url("dailyreport_compliance"), admin_url("dailyreport_intern", in_person.pk),
        admin_url("dailyreport_changelist"), admin_url("midterminterview_changelist"),
    ]  # fmt: skip
    client.force_login(staff)  # no authenticator enrolled
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page
    client.force_login(manager_of(in_person))
    for page in pages:
        assert client.get(page).status_code == 302, page


def test_compliance_across_the_cycle(office, a_week, online, friday):
    response = office.get(admin_url("dailyreport_compliance"), {"cycle": a_week.placement.cycle_id})
    assert response.status_code == 200
    rows = {row.internship.pk: row for row in response.context["rows"]}
    mine = rows[a_week.pk]
    # 1–11 October: 9 activity days so far (Sports Day is on the 14th); the 7th is past the 3-day limit.
    assert (mine.expected, mine.expected_so_far) == (42, 9)
    assert (mine.approved, mine.submitted, mine.returned, mine.draft) == (2, 1, 1, 0)
    assert (mine.missing, mine.late) == (1, 3)  # the 7th missing; the 8th to the 10th still writable
    assert mine.waiting_days == 6  # submitted on Thursday 3 October, in the company's working days
    assert (rows[online.pk].expected_so_far, rows[online.pk].missing) == (0, 0)
    page = response.content.decode()
    assert admin_url("dailyreport_intern", a_week.pk) in page
    assert "Linh Nguyen" in page


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"course": "online"}, ["online"]),
        ({"course": "in_person"}, ["in_person"]),
        ({"waiting": "5"}, ["in_person"]),
        ({"waiting": "0"}, ["in_person"]),
        ({"waiting": "10"}, ["in_person", "online"]),  # not a choice: the filter is left out
    ],
)
def test_compliance_filters(office, a_week, online, friday, filters, expected):
    response = office.get(
        admin_url("dailyreport_compliance"), {"cycle": a_week.placement.cycle_id, **filters}
    )
    assert sorted(row.internship.placement.course for row in response.context["rows"]) == expected


def test_compliance_filters_by_company_and_term(office, a_week, online, friday):
    from jip.models import CourseTerm

    cycle_id = a_week.placement.cycle_id
    company = online.placement.position.company
    response = office.get(admin_url("dailyreport_compliance"), {"cycle": cycle_id, "company": company.pk})
    assert [row.internship for row in response.context["rows"]] == [online]
    term = CourseTerm.objects.get(course__cycle_id=cycle_id, course__kind="in_person", number=1)
    response = office.get(admin_url("dailyreport_compliance"), {"cycle": cycle_id, "term": term.pk})
    assert [row.internship for row in response.context["rows"]] == [a_week]


def test_compliance_exports_to_xlsx(office, a_week, online, friday):
    response = office.get(
        admin_url("dailyreport_compliance"),
        {"cycle": a_week.placement.cycle_id, "course": "in_person", "export": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="daily-report-compliance-FY2024.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[:3] == ["application", "intern", "host company"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["intern"], row["days approved"], row["days missing"], row["days late"], row["expected days (term)"]) == (
        "Linh Nguyen", 2, 1, 3, 42,
    )  # fmt: skip
    assert row["starts on"] == "2024-10-01"


def test_the_office_reopens_a_missing_day_from_the_interns_page(office, a_week, friday, staff_with_mfa):
    page = office.get(admin_url("dailyreport_intern", a_week.pk))
    assert page.status_code == 200
    assert page.context["calendar"].day(D(2024, 10, 7)).state == "missing"
    refused = office.post(
        admin_url("dailyreport_intern", a_week.pk),
        {"do": "reopen", "reopen-day": "2024-10-07", "reopen-reason": ""},
    )
    assert refused.status_code == 200
    assert not DayReopening.objects.exists()
    response = office.post(
        admin_url("dailyreport_intern", a_week.pk),
        {"do": "reopen", "reopen-day": "2024-10-07", "reopen-reason": "Sick, certificate received."},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Oct. 7, 2024 is reopened: the intern can write it until Oct. 14, 2024."]
    assert DayReopening.objects.get().by == staff_with_mfa
    extra = office.post(
        admin_url("dailyreport_intern", a_week.pk),
        {"do": "extra", "extra-day": "2024-10-12", "extra-note": "Fair"},
    )
    assert extra.status_code == 302
    assert D(2024, 10, 12) in [d.day for d in a_week.extra_days.all()]


def test_the_office_corrects_a_report_with_a_reason(office, a_week, friday):
    report = DailyReport.objects.get(internship=a_week, day=D(2024, 10, 1))
    page = office.get(admin_url("dailyreport_correct", report.pk))
    assert page.status_code == 200
    assert page.context["form"].initial["hours"] == "7.5"
    no_reason = office.post(
        admin_url("dailyreport_correct", report.pk), {**REPORT, "hours": "8.0", "reason": ""}
    )
    assert no_reason.status_code == 200
    response = office.post(
        admin_url("dailyreport_correct", report.pk),
        {**REPORT, "hours": "8.0", "reason": "Time sheet says 8."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.hours, report.status) == (8, R.APPROVED)
    assert AuditEntry.objects.get(action="daily_report.corrected").data["reason"] == "Time sheet says 8."


def test_the_office_approves_for_the_company_by_action_with_a_reason(office, a_week, friday):
    waiting = DailyReport.objects.get(internship=a_week, day=D(2024, 10, 3))
    returned = DailyReport.objects.get(internship=a_week, day=D(2024, 10, 4))
    changelist = admin_url("dailyreport_changelist")
    action = {"action": "approve_on_behalf", "_selected_action": [waiting.pk, returned.pk]}
    without = office.post(changelist, {**action, "reason": ""}, follow=True)
    assert "2 reports could not be approved" in messages_of(without)[0]
    response = office.post(changelist, {**action, "reason": "The mentor is away for a week."}, follow=True)
    assert len(messages_of(response)) == 2
    assert messages_of(response)[0] == "1 report approved for the company."
    assert "1 report could not be approved" in messages_of(response)[1]
    waiting.refresh_from_db()
    assert (waiting.status, waiting.approved_on_behalf) == (R.APPROVED, True)


def test_the_report_list_and_page(office, a_week, friday):
    response = office.get(admin_url("dailyreport_changelist"))
    assert len(response.context["cl"].result_list) == 4
    assert admin_url("dailyreport_compliance") in response.content.decode()
    report = DailyReport.objects.get(internship=a_week, day=D(2024, 10, 3))
    page = office.get(admin_url("dailyreport_change", report.pk))
    assert page.status_code == 200
    assert admin_url("dailyreport_correct", report.pk) in page.content.decode()
    assert office.get(admin_url("dailyreport_add")).status_code == 403


def test_mid_term_interviews_with_open_concerns_first(office, in_person, online, staff_with_mfa, friday):
    quiet = MidTermInterview.objects.create(internship=online, held_on=D(2024, 10, 10), staff=staff_with_mfa)
    response = office.post(
        admin_url("midterminterview_add"),
        {"internship": in_person.pk, "held_on": "2024-10-09", "staff": staff_with_mfa.pk,
         "notes": "Homesick; sleeps badly.", "has_concern": "on", "follow_up_on": ""},
    )  # fmt: skip
    assert "Give the day to follow the concern up." in " ".join(messages_of(response))
    assert MidTermInterview.objects.count() == 1
    office.post(
        admin_url("midterminterview_add"),
        {"internship": in_person.pk, "held_on": "2024-10-09", "staff": staff_with_mfa.pk,
         "notes": "Homesick; sleeps badly.", "has_concern": "on", "follow_up_on": "2024-10-16"},
    )  # fmt: skip
    concern = MidTermInterview.objects.exclude(pk=quiet.pk).get()
    assert concern.concern_is_open
    assert AuditEntry.objects.filter(action="mid_term_interview.created").count() == 1
    listed = office.get(admin_url("midterminterview_changelist"))
    assert [i.pk for i in listed.context["cl"].result_list] == [concern.pk, quiet.pk]
    open_only = office.get(admin_url("midterminterview_changelist"), {"concern": "open"})
    assert [i.pk for i in open_only.context["cl"].result_list] == [concern.pk]
    compliance = office.get(admin_url("dailyreport_compliance"), {"cycle": in_person.placement.cycle_id})
    assert {row.internship.pk: row.open_concern for row in compliance.context["rows"]} == {
        in_person.pk: True, online.pk: False,
    }  # fmt: skip


def test_settings_and_closures_are_saved_through_the_services(office, cycle, friday):
    response = office.post(
        admin_url("dailyreportsettings_add"),
        {"cycle": cycle.pk, "late_limit_days": "5", "reminder_time": "17:30", "company_waiting_days": "3"},
    )
    assert response.status_code == 302
    assert DailyReportSettings.objects.get().late_limit_days == 5
    office.post(
        admin_url("closureperiod_add"),
        {"cycle": cycle.pk, "company": "", "starts_on": "2024-12-29", "ends_on": "2025-01-03",
         "name_en": "Year-end", "name_ja": "年末年始"},
    )  # fmt: skip
    assert ClosurePeriod.objects.get().company is None
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "daily_report.settings",
        "closure.created",
    }


@pytest.mark.parametrize("size", [1, 8])
def test_the_compliance_page_uses_a_fixed_number_of_queries(
    office, cycle, clock_at, staff_with_mfa, django_assert_num_queries, size
):
    for i in range(size):
        internship = under_way(
            intern_placed(
                course=["in_person", "online"][i % 2], starts_on=D(2024, 10, 1), ends_on=D(2024, 11, 29)
            )
        )
        for day in (1, 2, 3):
            approved(internship, D(2024, 10, day))
        submitted(internship, D(2024, 10, 4))
    MidTermInterview.objects.create(
        internship=internship, held_on=D(2024, 10, 9), staff=staff_with_mfa, has_concern=True,
        follow_up_on=D(2024, 10, 16),
    )  # fmt: skip
    clock_at(at(D(2024, 10, 11), 10))
    office.get(
        admin_url("dailyreport_compliance"), {"cycle": cycle.pk}
    )  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(17):
        response = office.get(admin_url("dailyreport_compliance"), {"cycle": cycle.pk})
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_the_admin_lists_use_a_fixed_number_of_queries(
    office, cycle, clock_at, staff_with_mfa, django_assert_num_queries, size
):
    for _ in range(size):
        internship = under_way(intern_placed(starts_on=D(2024, 10, 1), ends_on=D(2024, 11, 29)))
        approved(internship, D(2024, 10, 1))
        submitted(internship, D(2024, 10, 2))
        MidTermInterview.objects.create(
            internship=internship, held_on=D(2024, 10, 9), staff=staff_with_mfa, has_concern=True,
            follow_up_on=D(2024, 10, 16),
        )  # fmt: skip
    clock_at(at(D(2024, 10, 11), 10))
    office.get(admin_url("dailyreport_changelist"))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(13):
        response = office.get(admin_url("dailyreport_changelist"))
    assert len(response.context["cl"].result_list) == 2 * size
    with django_assert_num_queries(10):
        response = office.get(admin_url("midterminterview_changelist"))
    assert len(response.context["cl"].result_list) == size
