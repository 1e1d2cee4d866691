"""Fixtures for the host-company tests: two approved companies with a manager each, and an open cycle."""

import datetime as dt

import pytest

from jip import clock, services

from ..factories import CompanyManagerFactory, HostCompanyFactory, UserFactory


@pytest.fixture
def open_cycle(fy2024):
    """A published cycle whose window is open today (positions are described for it)."""
    today = clock.today_jst()
    cycle = services.cycle_copy(source=fy2024, fiscal_year=2090, publish=True)
    cycle.application_opens_on = today - dt.timedelta(days=10)
    cycle.application_deadline = today + dt.timedelta(days=20)
    cycle.save()
    return cycle


@pytest.fixture
def company(db):
    return HostCompanyFactory(name_en="Sample Seiko Co., Ltd.", name_ja="株式会社サンプル精工")


@pytest.fixture
def manager(company):
    return CompanyManagerFactory(company=company, user=UserFactory(email="manager@seiko.example")).user


@pytest.fixture
def other_company(db):
    return HostCompanyFactory(
        name_en="Other Trading K.K.", name_ja="アザー商事株式会社", industry="wholesale"
    )


@pytest.fixture
def other_manager(other_company):
    return CompanyManagerFactory(company=other_company, user=UserFactory(email="manager@other.example")).user
