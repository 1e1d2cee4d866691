"""Fixtures shared by the agreement tests (no tests here): the default templates, a private storage of the
test's own, and placements of a Vietnamese intern at a Japanese host company with a manager."""

import datetime as dt
from contextlib import contextmanager

import pytest

from internships.models import AgreementKind
from internships.services import agreements as services
from matching.models import Placement

from ..factories import (
    ApplicationFactory,
    CompanyManagerFactory,
    HostCompanyFactory,
    PositionFactory,
    UserFactory,
    placement_for,
)

COMPANY_JA = "株式会社サンプル精工"
COMPANY_EN = "Sample Seiko Co., Ltd."


@pytest.fixture
def private_storage(settings, tmp_path):
    """The default storage in a folder of the test's own (files written there vanish with it)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def templates(db):
    return {t.kind: t for t in services.agreement_templates_load_defaults()}


@pytest.fixture
def host_company(db):
    return HostCompanyFactory(name_en=COMPANY_EN, name_ja=COMPANY_JA, corporate_number="8700110005901")


@pytest.fixture
def host_manager(host_company):
    user = UserFactory(
        email="sato@seiko.example", first_name="Kenji", last_name="Sato", preferred_language="ja"
    )
    CompanyManagerFactory(company=host_company, user=user)
    return user


@pytest.fixture
def intern_user(db):
    return UserFactory(email="an.nguyen@intern.example", preferred_language="en")


def place(*, company, fy2024, intern=None, course: str = "in_person", **application_fields) -> Placement:
    """A final placement of `intern` (a new applicant if None) at a position of `company`."""
    application = ApplicationFactory(
        cycle=fy2024, applicant=intern or UserFactory(), status="pool", **application_fields
    )
    position = PositionFactory(
        company=company,
        cycle=fy2024,
        status="approved",
        title="Overseas sales assistant",
        course=course,
        starts_on=dt.date(2024, 10, 1),
        ends_on=dt.date(2024, 11, 29),
        mentor_name="Suzuki Hanako",
        mentor_title="Export manager",
    )
    return placement_for(application=application, position=position, course=course)


@pytest.fixture
def placement(fy2024, host_company, host_manager, intern_user, templates, private_storage) -> Placement:
    return place(
        company=host_company,
        fy2024=fy2024,
        intern=intern_user,
        family_name="Nguyen",
        given_names="Van An",
        name_ja="グエン・ヴァン・アン",
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what the services queue on commit (renders, notices, mails), as the end of a request would."""

    @contextmanager
    def committed():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return committed


@pytest.fixture
def generate(commit):
    """Generates an agreement and runs its rendering (tasks run in-process in the tests)."""

    def generated(placement: Placement, kind: str, by=None):
        with commit():
            version = services.agreement_generate(placement=placement, kind=kind, by=by)
        version.refresh_from_db()
        return version

    return generated


@pytest.fixture
def ready(placement, generate) -> dict:
    """Both agreements of the placement, rendered and ready to sign."""
    return {kind: generate(placement, kind) for kind in AgreementKind.values}
