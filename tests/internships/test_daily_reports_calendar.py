"""The calendar at its edges: substitute holidays, a term that starts or ends on a holiday, closure days across
New Year, a host company's own closure, extra days, and an intern far from Japan writing on Friday evening."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from internships import calendar as cal
from internships.calendar import Closure, DayKind, WorkCalendar
from internships.models import ClosurePeriod, DailyReportStatus
from internships.selectors import daily_reports as selectors
from jip.clock import JST

from .test_daily_reports_fixtures import (  # noqa: F401  (fixtures among them)
    at,
    clock_at,
    cycle,
    in_person,
    online,
    submitted,
)

D = dt.date
NEW_YEAR = Closure(D(2024, 12, 29), D(2025, 1, 3), "Year-end and New Year holidays", "年末年始休業")


def test_weekdays_less_holidays_with_their_substitutes():
    days = WorkCalendar().activity_days(D(2024, 11, 1), D(2024, 11, 8))
    # Sunday 3 November is Culture Day: Monday 4 November is its substitute holiday.
    assert days == [D(2024, 11, 1), D(2024, 11, 5), D(2024, 11, 6), D(2024, 11, 7), D(2024, 11, 8)]
    info = WorkCalendar().info(D(2024, 11, 4))
    assert (info.kind, info.name) == (DayKind.HOLIDAY, "Culture Day (substitute holiday)")
    # A holiday on a Saturday has no substitute: the Monday after is a working day.
    assert WorkCalendar().info(D(2024, 11, 23)).kind == DayKind.HOLIDAY
    assert WorkCalendar().is_activity_day(D(2024, 11, 25))


def test_the_national_holiday_between_two_holidays():
    # 2026: Respect for the Aged Day (21 Sept) and the Autumnal Equinox (23 Sept) make 22 Sept a holiday.
    assert WorkCalendar().activity_days(D(2026, 9, 21), D(2026, 9, 25)) == [D(2026, 9, 24), D(2026, 9, 25)]
    assert WorkCalendar().info(D(2026, 9, 22)).name == "Citizens' Holiday"


def test_holiday_names_in_japanese():
    with translation.override("ja"):
        assert WorkCalendar().info(D(2024, 11, 4)).name == "文化の日 振替休日"
        assert WorkCalendar().info(D(2024, 10, 14)).name == "スポーツの日"
        assert WorkCalendar(closures=[NEW_YEAR]).info(D(2024, 12, 30)).name == "年末年始休業"


def test_closure_days_across_new_year():
    calendar = WorkCalendar(closures=[NEW_YEAR])
    days = calendar.activity_days(D(2024, 12, 23), D(2025, 1, 10))
    assert days == [
        D(2024, 12, 23), D(2024, 12, 24), D(2024, 12, 25), D(2024, 12, 26), D(2024, 12, 27),
        D(2025, 1, 6), D(2025, 1, 7), D(2025, 1, 8), D(2025, 1, 9), D(2025, 1, 10),
    ]  # fmt: skip
    # New Year's Day is named as the holiday it is; the other closed days by the closure's name.
    assert calendar.info(D(2025, 1, 1)).name == "New Year's Day"
    assert calendar.info(D(2024, 12, 30)).kind == DayKind.CLOSURE
    assert calendar.info(D(2024, 12, 30)).name == "Year-end and New Year holidays"
    # Waiting through the closure counts no working day.
    assert calendar.working_days_between(D(2024, 12, 27), D(2025, 1, 3)) == 0
    assert calendar.working_days_between(D(2024, 12, 27), D(2025, 1, 7)) == 2


def test_an_extra_day_makes_a_saturday_an_activity_day():
    calendar = WorkCalendar(extra_days={D(2024, 11, 9): "Trade fair in Nagoya"})
    assert calendar.activity_days(D(2024, 11, 8), D(2024, 11, 10)) == [D(2024, 11, 8), D(2024, 11, 9)]
    assert calendar.info(D(2024, 11, 9)).kind == DayKind.EXTRA


def test_a_term_that_starts_and_ends_on_a_holiday(in_person):
    # From Sports Day (Monday 14 October) to the substitute holiday of Culture Day (Monday 4 November).
    in_person.starts_on, in_person.ends_on = D(2024, 10, 14), D(2024, 11, 4)
    in_person.save()
    days = selectors.expected_days(internship=in_person)
    assert days[0] == D(2024, 10, 15)
    assert days[-1] == D(2024, 11, 1)
    assert len(days) == 14


def test_the_office_and_the_company_close_days_of_the_term(in_person, online):
    cycle = in_person.placement.cycle
    ClosurePeriod.objects.create(
        cycle=cycle, starts_on=D(2024, 12, 29), ends_on=D(2025, 1, 3), name_en=NEW_YEAR.name_en,
        name_ja=NEW_YEAR.name_ja,
    )  # fmt: skip
    ClosurePeriod.objects.create(
        cycle=cycle, company=in_person.placement.position.company, starts_on=D(2024, 11, 18),
        ends_on=D(2024, 11, 19), name_en="Stocktaking", name_ja="棚卸し",
    )  # fmt: skip
    # The in-person intern's company closes two days; the online intern's company does not.
    assert D(2024, 11, 18) not in selectors.expected_days(internship=in_person)
    assert D(2024, 11, 18) in selectors.expected_days(internship=online)
    online.ends_on = D(2025, 1, 10)
    online.save()
    expected = selectors.expected_days(internship=online)
    assert [d for d in expected if D(2024, 12, 27) <= d <= D(2025, 1, 7)] == [
        D(2024, 12, 27), D(2025, 1, 6), D(2025, 1, 7),
    ]  # fmt: skip


def test_the_whole_in_person_term_counts_its_activity_days(in_person):
    # 1 October – 29 November 2024: 44 weekdays, less Sports Day and Culture Day's substitute.
    assert len(selectors.expected_days(internship=in_person)) == 42


def test_the_intern_in_lima_writing_on_friday_evening_writes_friday(online, clock_at):
    # Friday 8 November, 20:00 in Lima is already Saturday 10:00 in Tokyo.
    friday_evening = at(D(2024, 11, 8), 20, zone=ZoneInfo("America/Lima"))
    assert friday_evening.astimezone(JST).date() == D(2024, 11, 9)
    clock_at(friday_evening)
    assert selectors.intern_zone(online).key == "America/Lima"
    assert selectors.intern_today(online) == D(2024, 11, 8)
    report = submitted(online, D(2024, 11, 8), now=friday_evening)
    assert (report.status, report.is_late) == (DailyReportStatus.SUBMITTED, False)
    calendar = selectors.report_calendar(internship=online)
    assert calendar.today == D(2024, 11, 8)
    assert calendar.day(D(2024, 11, 8)).state == "submitted"
    # The same moment, for the in-person intern in Japan, is Saturday.
    assert cal.local_date(friday_evening, JST) == D(2024, 11, 9)


def test_an_in_person_intern_lives_on_japan_time(in_person):
    # Their country of residence is Viet Nam, but they are in Japan during the internship.
    assert in_person.placement.application.residence_country == "VN"
    assert selectors.intern_zone(in_person) == JST


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (at(D(2024, 10, 7), 9), "open"),  # the day itself
        (at(D(2024, 10, 10), 9), "late"),  # three days later: still writable
        (at(D(2024, 10, 11), 9), "missing"),  # four days later: only the office can reopen it
    ],
)
def test_a_day_turns_late_then_missing(in_person, clock_at, moment, state):
    clock_at(moment)
    assert selectors.report_calendar(internship=in_person).day(D(2024, 10, 7)).state == state
