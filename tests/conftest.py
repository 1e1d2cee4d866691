import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from jip import selectors as jip_selectors
from jip import services
from jip.models import ProgramCycle
from jip.templatetags import jip_memo

from .factories import CompanyManagerFactory, UserFactory

PASSWORD = "a-Long-Password-4-tests"


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    # allauth's rate limits count in the cache; each test starts with none spent. The process's copy of the
    # current cycle is not kept at all (tests/jip/test_cycle_memo.py tests it): a rolled-back test leaves no
    # signal behind, and the pages' query counts stay those of a process that has not read it yet.
    cache.clear()
    monkeypatch.setattr(jip_selectors, "CURRENT_CYCLE_SECONDS", 0)
    jip_selectors.cycle_current_forget()
    jip_memo._MEMO.clear()  # {% memo %}'s fragments: each test renders its own
    yield
    cache.clear()
    jip_selectors.cycle_current_forget()


@pytest.fixture
def fy2024(db) -> ProgramCycle:
    return services.cycle_load_file(name="fy2024")


@pytest.fixture
def applicant(db):
    return UserFactory()


@pytest.fixture
def company_manager(db):
    return CompanyManagerFactory().user


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    user.groups.add(services.staff_group_sync())
    return user


def enroll_totp(user) -> str:
    """Gives `user` a TOTP authenticator and returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def staff_with_mfa(staff):
    enroll_totp(staff)
    assert Authenticator.objects.filter(user=staff).exists()
    return staff
