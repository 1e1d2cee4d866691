"""Fixtures for matching: an open cycle, an approved company with its manager and an approved position, an
application in the pool, and its referral made by the JIP office through `referral_create`; another company
with its own manager, position and referral of the same applicant, for the isolation tests."""

from __future__ import annotations

import datetime as dt

import pytest

from applicants.models import ApplicationStatus
from jip import clock
from jip import services as jip_services
from matching import services

from ..factories import (
    ApplicationFactory,
    CompanyManagerFactory,
    HostCompanyFactory,
    PositionFactory,
    UserFactory,
)


@pytest.fixture
def cycle(fy2024):
    """A published cycle whose application window is open today (FY2024's rules, moved to 2090)."""
    today = clock.today_jst()
    cycle = jip_services.cycle_copy(source=fy2024, fiscal_year=2090, publish=True)
    cycle.application_opens_on = today - dt.timedelta(days=10)
    cycle.application_deadline = today + dt.timedelta(days=20)
    cycle.save()
    return cycle


@pytest.fixture
def company(db):
    return HostCompanyFactory(
        name_en="Sample Seiko Co., Ltd.", name_ja="株式会社サンプル精工", status="approved"
    )


@pytest.fixture
def manager(company):
    return CompanyManagerFactory(company=company, user=UserFactory(email="manager@seiko.example")).user


@pytest.fixture
def position(company, cycle):
    """An approved in-person position asking for JLPT N3 and CEFR B1, with one condition of its own."""
    return PositionFactory(
        company=company, cycle=cycle, status="approved", title="Overseas sales assistant",
        skills="Python, spreadsheets", japanese_level=3, english_level="B1",
        conditions="Able to join meetings at 10:00 JST.",
    )  # fmt: skip


@pytest.fixture
def make_pool_application(cycle):
    """Builds an application in the pool of `cycle`, overridden by keyword."""

    def make(**fields):
        return ApplicationFactory(cycle=cycle, status=ApplicationStatus.POOL, **fields)

    return make


@pytest.fixture
def pool_application(make_pool_application):
    return make_pool_application(
        applicant=UserFactory(email="an.nguyen@applicant.example"),
        family_name="Nguyen", given_names="Van An", name_ja="グエン・ヴァン・アン",
        phone="+84 90 123 4567", city="Hanoi", nationality="VN", residence_country="TH",
        motivation="I want to help a small manufacturer sell in Viet Nam.",
        skills="Python, market research, spreadsheets.",
    )  # fmt: skip


@pytest.fixture
def refer(staff):
    """Refers an application to a position as the JIP office does (through the service)."""

    def make(application, position, note=""):
        return services.referral_create(application=application, position=position, by=staff, note=note)

    return make


@pytest.fixture
def referral(refer, pool_application, position):
    return refer(pool_application, position, note="Strong in Python; ask about the start date.")


@pytest.fixture
def other_company(db):
    return HostCompanyFactory(
        name_en="Other Trading K.K.", name_ja="アザー商事株式会社", industry="wholesale", status="approved"
    )


@pytest.fixture
def other_company_manager(other_company):
    return CompanyManagerFactory(company=other_company, user=UserFactory(email="manager@other.example")).user


@pytest.fixture
def other_position(other_company, cycle):
    return PositionFactory(company=other_company, cycle=cycle, status="approved", title="Export clerk")


@pytest.fixture
def other_referral(refer, pool_application, other_position):
    """The same applicant, referred to the other company's position."""
    return refer(pool_application, other_position)
