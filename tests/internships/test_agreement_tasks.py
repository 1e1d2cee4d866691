"""The render task on a storage that fails: Celery retries it (in-process as in a worker, JipTask's policy), and
once out of retries the version is marked failed for staff to see."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import logging

import pytest
from celery import current_app

from internships import pdf
from internships.models import AgreementKind, VersionStatus
from internships.services import agreements as services
from internships.tasks import RENDER_RETRIES

from .test_agreement_fixtures import (  # noqa: F401  (fixtures)
    commit,
    host_company,
    host_manager,
    intern_user,
    placement,
    private_storage,
    templates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage_down(monkeypatch):
    """The PDF cannot be written for the first `failures` attempts (an OSError, as from a full or gone disk)."""
    write = pdf.pdf_write
    state = {"failures": 0, "attempts": 0}

    def flaky(html):
        state["attempts"] += 1
        if state["attempts"] <= state["failures"]:
            raise OSError("storage unavailable")
        return write(html)

    monkeypatch.setattr(pdf, "pdf_write", flaky)
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)  # as in local: Celery logs it
    return state


def test_a_render_is_retried_after_a_transient_storage_error(placement, commit, storage_down):
    storage_down["failures"] = 2
    with commit():
        version = services.agreement_generate(placement=placement, kind=AgreementKind.INTERN, by=None)
    version.refresh_from_db()
    assert storage_down["attempts"] == 3
    assert (version.status, version.error) == (VersionStatus.READY, "")


def test_a_render_out_of_retries_marks_the_version_failed(placement, commit, storage_down, caplog):
    storage_down["failures"] = 100
    with caplog.at_level(logging.ERROR, logger="celery.app.trace"), commit():
        version = services.agreement_generate(placement=placement, kind=AgreementKind.COMPANY, by=None)
    version.refresh_from_db()
    assert storage_down["attempts"] == 1 + RENDER_RETRIES
    assert (version.status, version.error, version.file.name) == (
        VersionStatus.FAILED, "OSError: storage unavailable", "",
    )  # fmt: skip
    (record,) = caplog.records
    assert "internships.tasks.agreement_render" in record.getMessage()
    assert record.exc_info[0] is OSError
