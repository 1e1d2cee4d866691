"""Fixtures for the applicants' tests: a complete, valid FY2024 entry built directly, and private media in tmp."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from applicants.models import Application, EducationStatus, EnglishEvidence
from applicants.services import ENTRY_STEP_SLUGS
from applicants.tasks import application_mail_send
from jip import clock
from jip.models import JLPTLevel

JST = clock.JST

# 2024-06-20 12:00 JST: inside the FY2024 window (1 April – 30 June 2024, end of day JST).
IN_WINDOW = dt.datetime(2024, 6, 20, 12, 0, tzinfo=JST)

# Answers that meet every FY2024 rule: Viet Nam, living in Viet Nam, 26 on 1 August 2024, JLPT N3,
# never took part, a student able to submit the documents, every declaration made.
VALID_ANSWERS: dict = {
    "family_name": "Nguyen",
    "given_names": "Van An",
    "birth_date": dt.date(1998, 3, 15),
    "nationality": "VN",
    "residence_country": "VN",
    "phone": "+84 90 123 4567",
    "city": "Hanoi",
    "education_status": EducationStatus.STUDENT,
    "institution": "Vietnam National University",
    "field_of_study": "Computer science",
    "degree": "bachelor",
    "graduation_date": dt.date(2025, 6, 30),
    "jlpt_level": JLPTLevel.N3,
    "english_evidence": "",
    "english_score": None,
    "cefr_level": "",
    "course_preference": "both",
    "motivation": "I want to work with a Japanese SME.",
    "skills": "Python, Django",
    "participated_before": False,
    "participated_fiscal_year": None,
    "agrees_with_purpose": True,
    "can_dedicate": True,
    "follows_timetable": True,
    "can_submit_documents": True,
    "information_is_true": True,
}

IELTS_7 = {"english_evidence": EnglishEvidence.IELTS, "english_score": Decimal("7.0")}


@pytest.fixture
def make_draft(fy2024, applicant):
    """Builds a saved draft for the FY2024 cycle with valid answers and every step done, overridden by keyword."""
    counter = iter(range(900001, 999999))

    def make(*, user=None, cycle=None, **overrides) -> Application:
        answers = {**VALID_ANSWERS, "steps_done": list(ENTRY_STEP_SLUGS), **overrides}
        return Application.objects.create(
            cycle=cycle or fy2024,
            applicant=user or applicant,
            number=f"JIP24-{next(counter):06d}",
            **answers,
        )

    return make


@pytest.fixture
def draft(make_draft) -> Application:
    return make_draft()


@pytest.fixture
def in_window(time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    return IN_WINDOW


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded files go to a fresh directory (setting STORAGES resets Django's cached storages)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def mails_sent(monkeypatch):
    """What each applicant e-mail task returned (recipient, subject, language): the task's body, wrapped."""
    results: list[dict] = []
    run = application_mail_send.run

    def recorded(*args, **kwargs):
        results.append(run(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(application_mail_send, "run", recorded)
    return results
