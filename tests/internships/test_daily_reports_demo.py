"""The demo (bin/run) gives aung an internship under way with a week of daily reports in every state, with
dates that make sense on whatever day it runs, and running it again changes nothing."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
import io

import pytest
from django.core.management import call_command

from internships.models import DailyReport, Internship, InternshipStatus
from internships.selectors import daily_reports as selectors
from jip import clock

from .test_daily_reports_fixtures import clock_at  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [dt.date(2026, 12, 9), dt.date(2027, 3, 1)])  # a Wednesday, a Monday
def test_the_demo_shows_a_week_of_reports_in_every_state(clock_at, today):
    clock_at(dt.datetime.combine(today, dt.time(11), tzinfo=clock.JST))
    call_command("seed_demo", stdout=io.StringIO())
    internship = Internship.objects.get(placement__application__applicant__email="aung@applicant.example")
    assert internship.status == InternshipStatus.IN_PROGRESS
    assert internship.starts_on < today < internship.ends_on
    calendar = selectors.report_calendar(internship=internship)
    assert {"approved", "returned", "submitted", "draft", "late", "missing"} <= set(calendar.counts)
    count = DailyReport.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert DailyReport.objects.count() == count
