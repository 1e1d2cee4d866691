"""Fixtures shared by the tests of the daily reports (no tests here): an in-person intern in Japan and an
online intern in Lima, both under way in October–November 2024, their host companies and a clock to move.

October–November 2024 in Japan: Monday 14 October is Sports Day; Sunday 3 November is Culture Day, so Monday
4 November is its substitute holiday; Saturday 23 November is Labour Thanksgiving Day (no substitute).
"""

import datetime as dt

import pytest

from internships.models import DailyReport, Internship, InternshipStatus
from internships.services import daily_reports as services
from jip.clock import JST

from .test_preparation_fixtures import cycle, intern_placed, intern_user, manager_of  # noqa: F401

D = dt.date
IN_PERSON_TERM = (D(2024, 10, 1), D(2024, 11, 29))
ONLINE_TERM = (D(2024, 11, 5), D(2024, 12, 20))
LIMA = "PE"

REPORT = {
    "hours": "7.5",
    "mode": "in_person",
    "activities": "Measured the machining line with the production team.",
    "learned": "How the team records rework and why.",
    "questions": "",
    "next_plan": "Draw the Pareto chart of the causes of rework.",
}


def at(day: dt.date, hour: int = 18, minute: int = 0, zone=JST) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def under_way(internship: Internship) -> Internship:
    Internship.objects.filter(pk=internship.pk).update(status=InternshipStatus.IN_PROGRESS)
    internship.refresh_from_db()
    return internship


@pytest.fixture
def clock_at(time_machine):
    """Moves the clock: `clock_at(at(day, hour))`."""

    def move(moment: dt.datetime) -> dt.datetime:
        time_machine.move_to(moment, tick=False)
        return moment

    return move


@pytest.fixture
def in_person(cycle):  # noqa: F811
    return under_way(
        intern_placed(
            course="in_person", starts_on=IN_PERSON_TERM[0], ends_on=IN_PERSON_TERM[1],
            application__family_name="Nguyen", application__given_names="Linh",
        )
    )  # fmt: skip


@pytest.fixture
def online(cycle):  # noqa: F811
    return under_way(
        intern_placed(
            course="online", starts_on=ONLINE_TERM[0], ends_on=ONLINE_TERM[1], residence=LIMA,
            application__family_name="Quispe", application__given_names="Rosa",
        )
    )  # fmt: skip


def submitted(
    internship: Internship, day: dt.date, *, now: dt.datetime | None = None, **fields
) -> DailyReport:
    """The intern's report of `day`, submitted at `now` (the evening of the day in Japan by default)."""
    return services.daily_report_submit(
        internship=internship, day=day, data={**REPORT, **fields}, by=intern_user(internship),
        now=now or at(day, 18),
    )  # fmt: skip


def approved(internship: Internship, day: dt.date, **fields) -> DailyReport:
    report = submitted(internship, day, **fields)
    company = internship.placement.position.company
    services.daily_reports_approve(
        report_ids=[report.pk], company=company, by=manager_of(internship), now=at(day, 19)
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def mails_sent(monkeypatch):
    """What each daily-report mail task returned (recipient, subject, language)."""
    from internships.tasks import daily_report_mail_send

    results: list[dict] = []
    run = daily_report_mail_send.run

    def recorded(*args, **kwargs):
        results.append(run(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(daily_report_mail_send, "run", recorded)
    return results
