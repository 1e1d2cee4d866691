"""Fixtures shared by the tests of the internship's preparation (no tests here): the FY2024 cycle with dated
terms and milestones, an in-person and an online intern with their checklists, and their host companies."""

import datetime as dt

import pytest

from internships.models import EventKind, Internship, ProgramEvent
from internships.services.preparation import internship_checklist_create
from jip.clock import JST
from jip.models import CourseTerm, Milestone, ProgramCycle

from ..factories import CompanyManagerFactory, UserFactory, placement_for

# Before the internships start: the checklist is being prepared, pre-training is past.
PREPARATION_DAY = dt.datetime(2024, 9, 20, 10, 0, tzinfo=JST)

TERMS = {
    ("in_person", 1): (dt.date(2024, 10, 1), dt.date(2024, 11, 29)),
    ("in_person", 2): (dt.date(2025, 1, 14), dt.date(2025, 2, 28)),
    ("online", 1): (dt.date(2024, 11, 5), dt.date(2024, 12, 20)),
}
MILESTONES = {
    "pre_training": (dt.date(2024, 9, 10), None),
    "follow_up_training": (dt.date(2025, 3, 5), None),
    "wrap_up_presentation": (dt.date(2025, 3, 12), dt.date(2025, 3, 13)),
}


@pytest.fixture
def preparation_day(time_machine):
    time_machine.move_to(PREPARATION_DAY, tick=False)
    return PREPARATION_DAY


@pytest.fixture
def cycle(fy2024) -> ProgramCycle:
    """FY2024 with the dates the sources leave empty filled in, as the office would."""
    for (kind, number), (starts, ends) in TERMS.items():
        CourseTerm.objects.filter(course__cycle=fy2024, course__kind=kind, number=number).update(
            starts_on=starts, ends_on=ends
        )
    for kind, (starts, ends) in MILESTONES.items():
        Milestone.objects.filter(cycle=fy2024, kind=kind).update(starts_on=starts, ends_on=ends)
    return fy2024


def intern_placed(
    *, course: str = "in_person", starts_on=None, ends_on=None, company=None, residence: str = "VN", **fields
) -> Internship:
    """A final placement on `course` with its internship and checklist."""
    match_fields = {
        "course": course,
        "application__residence_country": residence,
        "position__course": course,
        "position__starts_on": starts_on,
        "position__ends_on": ends_on,
        **fields,
    }
    if company is not None:
        match_fields["position__company"] = company
    placement = placement_for(**match_fields)
    internship = placement.internship
    internship_checklist_create(internship=internship, by=None)
    return Internship.objects.get(pk=internship.pk)


@pytest.fixture
def in_person(cycle) -> Internship:
    return intern_placed(
        course="in_person", starts_on=dt.date(2024, 10, 1), ends_on=dt.date(2024, 11, 29),
        application__family_name="Nguyen", application__given_names="Linh",
    )  # fmt: skip


@pytest.fixture
def online(cycle) -> Internship:
    return intern_placed(
        course="online", starts_on=dt.date(2024, 11, 5), ends_on=dt.date(2024, 12, 20), residence="KE",
        application__family_name="Njoroge", application__given_names="Amina",
    )  # fmt: skip


def intern_user(internship: Internship):
    return internship.placement.application.applicant


def manager_of(internship: Internship):
    """A manager of the internship's host company."""
    company = internship.placement.position.company
    membership = company.managers.select_related("user").first()
    if membership is None:
        membership = CompanyManagerFactory(company=company, user=UserFactory())
    return membership.user


def event(cycle, kind=EventKind.PRE_TRAINING, *, course="", term=None, day=dt.date(2024, 9, 10), **fields):
    starts_at = dt.datetime.combine(day, dt.time(10), tzinfo=JST)
    return ProgramEvent.objects.create(
        cycle=cycle, kind=kind, course=course, term=term, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2), **fields,
    )  # fmt: skip


def term(cycle, course: str, number: int) -> CourseTerm:
    return CourseTerm.objects.get(course__cycle=cycle, course__kind=course, number=number)
