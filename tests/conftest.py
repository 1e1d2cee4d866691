import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import caches

from jip import memo, services
from jip.models import ProgramCycle

from .factories import CompanyManagerFactory, UserFactory

PASSWORD = "a-Long-Password-4-tests"


def caches_clear() -> None:
    """Empties every cache and what the process keeps (jip.memo), as a freshly started site has them."""
    for alias in settings.CACHES:
        caches[alias].clear()
    memo.kept_clear()


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The suite runs with the caching of production on: the current cycle and the country lists in the
    # default cache, fragments of pages in "template_fragments", words and addresses per process. Each test
    # starts with all of them empty (a rolled-back test leaves rows the caches may still hold, and allauth's
    # rate limits count in the cache), so the first read of each shows in a test's queries, the later ones not.
    caches_clear()
    yield
    caches_clear()


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
