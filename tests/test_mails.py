"""Every mail the project sends, word for word, in English and in Japanese: subject and body compared with the
texts under tests/mails/ (what the mails said when their context was still model instances), so a change of
what a mail is built from cannot change what it says."""

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.db.models import Model, QuerySet

from applicants.models import ApplicationStatus, DocumentKind, DocumentStatus
from applicants.tasks import application_mail_send
from companies.models import CompanyInvitation
from companies.tasks import company_mail_send, invitation_mail_send
from internships.tasks import agreement_mail_send
from jip import clock
from jip import mail as jip_mail
from jip.tasks import user_mail_send
from matching.models import Interview, InterviewSlot, Referral
from matching.tasks import matching_mail_send

from .factories import (
    ApplicationFactory,
    CompanyManagerFactory,
    DocumentFactory,
    HostCompanyFactory,
    MatchFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parent / "mails"
LANGUAGES = ["en", "ja"]


def _model_instances(value, where: str):
    if isinstance(value, Model | QuerySet):
        yield f"{where}: {type(value).__name__}"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _model_instances(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _model_instances(item, f"{where}[{index}]")


@pytest.fixture(autouse=True)
def plain_contexts(monkeypatch):
    """Every template of a mail is rendered from plain data: no model instance anywhere in its context."""
    render = jip_mail.render_to_string
    rendered = []

    def checked(template, context):
        assert list(_model_instances(context, "context")) == [], template
        rendered.append(template)
        return render(template, context)

    monkeypatch.setattr(jip_mail, "render_to_string", checked)
    yield
    assert rendered  # the check saw the mail


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture
def people(fy2024, language):
    """One applicant, one company with its manager and position, all speaking `language`; fixed names."""
    applicant = UserFactory(email="an.nguyen@applicant.example", preferred_language=language)
    application = ApplicationFactory(
        applicant=applicant, number="JIP24-000777", given_names="Van An", family_name="Nguyen", status="pool"
    )
    company = HostCompanyFactory(
        name_en="Sample Seiko Co., Ltd.", name_ja="株式会社サンプル精工", review_reason="Not an SME."
    )
    manager = UserFactory(email="manager@sample-seiko.example", preferred_language=language)
    CompanyManagerFactory(company=company, user=manager)
    position = PositionFactory(
        company=company,
        cycle=fy2024,
        title="Export sales assistant",
        status="approved",
        review_reason="Vague.",
    )
    return {"application": application, "company": company, "position": position, "manager": manager}


def sent() -> list[tuple[list[str], str, str]]:
    return [(m.to, m.subject, m.body) for m in mail.outbox]


def expect(name: str, language: str, to: str) -> list[tuple[list[str], str, str]]:
    text = (TEXTS / f"{name}.{language}.txt").read_text(encoding="utf-8")
    subject, body = text.split("\n\n", 1)
    return [([to], subject.removeprefix("Subject: "), body)]


@pytest.mark.parametrize(
    ("name", "status", "context"),
    [
        ("applicants/submitted", ApplicationStatus.SUBMITTED, None),
        ("applicants/status", ApplicationStatus.DOCUMENTS_REQUESTED, None),
        ("applicants/status", ApplicationStatus.POOL, None),
        ("applicants/reminder", ApplicationStatus.DRAFT, {"days": 3}),
        ("applicants/reminder", ApplicationStatus.DRAFT, {"days": 1}),
    ],
)
def test_the_applicants_mails(people, language, name, status, context):
    application = people["application"]
    application.status = status
    application.save(update_fields=["status"])
    mail.outbox.clear()
    application_mail_send(application.pk, name.replace("/", "/email/"), context)
    days = f"-{context['days']}" if context else ""
    assert sent() == expect(f"{name}-{status}{days}", language, "an.nguyen@applicant.example")


def test_the_document_mail(people, language):
    application = people["application"]
    document = DocumentFactory(
        application=application, kind=DocumentKind.CV, status=DocumentStatus.REJECTED, reason="Blurred."
    )
    mail.outbox.clear()
    application_mail_send(application.pk, "applicants/email/document_rejected", {"document_id": document.pk})
    assert sent() == expect("applicants/document_rejected", language, "an.nguyen@applicant.example")


@pytest.mark.parametrize(
    ("kind", "name", "to"),
    [
        ("referral", "referred_applicant", "an.nguyen@applicant.example"),
        ("referral_company", "referred_company", "manager@sample-seiko.example"),
        ("referral_company", "declined_company", "manager@sample-seiko.example"),
        ("interview", "interview_proposed", "an.nguyen@applicant.example"),
        ("interview_company", "interview_scheduled", "manager@sample-seiko.example"),
        ("match", "match_applicant", "an.nguyen@applicant.example"),
        ("match_company", "match_company", "manager@sample-seiko.example"),
        ("match", "match_declined", "an.nguyen@applicant.example"),
        ("match_company", "placement_final", "manager@sample-seiko.example"),
    ],
)
def test_the_matching_mails(people, language, kind, name, to):
    application, position = people["application"], people["position"]
    referral = Referral.objects.create(application=application, position=position)
    interview = Interview.objects.create(referral=referral, mode="online")
    interview.chosen_slot = InterviewSlot.objects.create(
        interview=interview, starts_at=dt.datetime(2024, 9, 2, 10, 30, tzinfo=clock.JST)
    )
    interview.save(update_fields=["chosen_slot"])
    match = MatchFactory(application=application, position=position, referral=referral)
    object_id = {"referral": referral.pk, "interview": interview.pk, "match": match.pk}[kind.split("_")[0]]
    mail.outbox.clear()
    matching_mail_send(kind, object_id, f"matching/email/{name}")
    assert sent() == expect(f"matching/{name}", language, to)


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_the_company_review_mails(people, language, status):
    company = people["company"]
    company.status = status
    company.save(update_fields=["status"])
    mail.outbox.clear()
    company_mail_send(company.pk, "companies/email/company_reviewed")
    assert sent() == expect(f"companies/company_reviewed-{status}", language, "manager@sample-seiko.example")


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_the_position_review_mails(people, language, status):
    company, position = people["company"], people["position"]
    position.status = status
    position.save(update_fields=["status"])
    mail.outbox.clear()
    company_mail_send(company.pk, "companies/email/position_reviewed", {"position_id": position.pk})
    assert sent() == expect(f"companies/position_reviewed-{status}", language, "manager@sample-seiko.example")


def test_the_invitation_mail(people, language):
    invitation = CompanyInvitation.objects.create(
        company=people["company"],
        email="new.manager@sample-seiko.example",
        token_hash="0" * 64,
        invited_by=people["manager"],
        expires_at=dt.datetime(2024, 7, 8, 18, 0, tzinfo=clock.JST),
    )
    mail.outbox.clear()
    invitation_mail_send(invitation.pk, "the-token", language)
    assert sent() == expect("companies/invitation", language, "new.manager@sample-seiko.example")


@pytest.mark.parametrize(
    ("name", "context"),
    [
        ("agreement_ready", {"kind": "intern", "again": False}),
        ("agreement_ready", {"kind": "company", "again": True}),
        ("agreement_concluded", {"kind": "company"}),
    ],
)
def test_the_agreement_mails(people, language, name, context):
    context = {"agreement_id": 4242, "number": 2, "reference": "JIP2024-C-00007", **context}
    mail.outbox.clear()
    agreement_mail_send(people["manager"].pk, f"internships/email/{name}", context)
    again = "-again" if context.get("again") else ""
    assert sent() == expect(
        f"internships/{name}-{context['kind']}{again}", language, "manager@sample-seiko.example"
    )


def test_the_welcome_mail(people, language):
    mail.outbox.clear()
    user_mail_send(people["manager"].pk, "jip/email/welcome")
    assert sent() == expect("jip/welcome", language, "manager@sample-seiko.example")
