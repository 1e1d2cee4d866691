"""Services of the entry and screening: one function per change, audited, the applicant told by e-mail."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import translation

from applicants import services
from applicants.eligibility import FAIL, PASS, WAIVED
from applicants.models import (
    Application,
    ApplicationStatus,
    Document,
    DocumentKind,
    DocumentStatus,
    EnglishEvidence,
)
from applicants.services import ENTRY_STEP_SLUGS
from jip import clock
from jip.models import AuditEntry, JLPTLevel
from tests.factories import UserFactory

from .conftest import IN_WINDOW

JST = clock.JST
S = ApplicationStatus

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def audits(action: str, target) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, target_type=target._meta.label_lower, target_id=str(target.pk)
        ).order_by("at", "pk")
    )


def set_status(application: Application, status: str) -> Application:
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


# --- Starting an application --------------------------------------------------------------------


def test_start_creates_one_numbered_draft(fy2024, applicant, in_window):
    application = services.application_start(applicant=applicant, cycle=fy2024)
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert re.fullmatch(r"JIP24-\d{6}", application.number)
    assert application.number == f"JIP24-{application.pk:06d}"
    assert (application.cycle, application.applicant) == (fy2024, applicant)
    [entry] = audits("application.started", application)
    assert entry.actor == applicant


def test_start_twice_returns_the_same_draft(fy2024, applicant, in_window):
    first = services.application_start(applicant=applicant, cycle=fy2024)
    second = services.application_start(applicant=applicant, cycle=fy2024)
    assert (second.pk, second.number) == (first.pk, first.number)
    assert Application.objects.filter(applicant=applicant).count() == 1
    assert len(audits("application.started", first)) == 1


def test_two_applicants_get_distinct_numbers(fy2024, applicant, in_window):
    mine = services.application_start(applicant=applicant, cycle=fy2024)
    theirs = services.application_start(applicant=UserFactory(), cycle=fy2024)
    assert mine.number != theirs.number
    assert Application.objects.filter(cycle=fy2024).count() == 2


@pytest.mark.parametrize(
    ("moment", "opens"),
    [
        (dt.datetime(2024, 3, 31, 23, 59, 59, tzinfo=JST), False),
        (dt.datetime(2024, 4, 1, 0, 0, tzinfo=JST), True),
        (dt.datetime(2024, 6, 30, 23, 59, 59, tzinfo=JST), True),
        (dt.datetime(2024, 7, 1, 0, 0, tzinfo=JST), False),
        (dt.datetime(2024, 6, 30, 15, 0, tzinfo=dt.UTC), False),  # already 1 July in Japan
    ],
)
def test_start_only_while_the_window_is_open(fy2024, applicant, time_machine, moment, opens):
    time_machine.move_to(moment, tick=False)
    if opens:
        assert services.application_start(applicant=applicant, cycle=fy2024).is_draft
        return
    with pytest.raises(ValidationError) as error:
        services.application_start(applicant=applicant, cycle=fy2024)
    assert error.value.code == "closed"
    assert error.value.messages == ["Applications for this cycle are not open."]
    assert not Application.objects.filter(applicant=applicant).exists()


def test_an_existing_draft_is_found_again_after_the_deadline(fy2024, applicant, time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    draft = services.application_start(applicant=applicant, cycle=fy2024)
    time_machine.move_to(dt.datetime(2024, 7, 2, tzinfo=JST), tick=False)
    assert services.application_start(applicant=applicant, cycle=fy2024).pk == draft.pk


# --- Saving the draft ---------------------------------------------------------------------------


def test_draft_save_keeps_the_answers_the_step_and_the_eligibility(make_draft, applicant, in_window):
    draft = make_draft(jlpt_level=None, english_evidence="", steps_done=[])
    saved = services.application_draft_save(
        application=draft,
        data={"jlpt_level": JLPTLevel.N4, "english_evidence": EnglishEvidence.NONE, "city": "Da Nang"},
        step="languages",
        by=applicant,
    )
    saved.refresh_from_db()
    assert (saved.jlpt_level, saved.english_evidence, saved.city) == (4, "none", "Da Nang")
    assert saved.steps_done == ["languages"]
    assert saved.is_eligible is False
    language = next(o for o in saved.eligibility if o["rule"] == "language")
    assert (language["outcome"], language["reason"]) == (
        FAIL,
        "JLPT N4 is below the required N3. No English.",
    )

    again = services.application_draft_save(
        application=saved, data={"jlpt_level": JLPTLevel.N2}, step="languages", by=applicant
    )
    again.refresh_from_db()
    assert again.steps_done == ["languages"]  # a step is recorded once
    assert again.is_eligible is True
    assert [o["outcome"] for o in again.eligibility] == [PASS] * 7


def test_draft_save_records_each_step_in_order(make_draft, applicant, in_window):
    draft = make_draft(steps_done=[])
    for step in ("personal", "education", "personal", "languages"):
        draft = services.application_draft_save(application=draft, data={}, step=step, by=applicant)
    draft.refresh_from_db()
    assert draft.steps_done == ["personal", "education", "languages"]


@pytest.mark.parametrize("status", [S.SUBMITTED, S.WITHDRAWN, S.REJECTED])
def test_draft_save_refused_once_no_longer_a_draft(draft, applicant, in_window, status):
    set_status(draft, status)
    with pytest.raises(ValidationError) as error:
        services.application_draft_save(application=draft, data={"city": "Hue"}, step="p", by=applicant)
    assert error.value.messages == ["This application has been submitted and can no longer be changed."]
    draft.refresh_from_db()
    assert draft.city == "Hanoi"


def test_draft_save_refused_after_the_deadline(make_draft, applicant, time_machine):
    draft = make_draft(steps_done=[])
    time_machine.move_to(dt.datetime(2024, 7, 1, 0, 0, tzinfo=JST), tick=False)
    with pytest.raises(ValidationError) as error:
        services.application_draft_save(application=draft, data={"city": "Hue"}, step="p", by=applicant)
    assert (error.value.code, error.value.messages) == ("closed", ["The application deadline has passed."])
    draft.refresh_from_db()
    assert (draft.city, draft.steps_done) == ("Hanoi", [])


# --- Submitting ---------------------------------------------------------------------------------


def test_submit_completes_the_application_once_with_one_mail(
    draft, applicant, in_window, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.application_submit(application=draft, by=applicant)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert draft.submitted_at == draft.status_changed_at == IN_WINDOW
    assert draft.is_eligible is True
    assert [o["outcome"] for o in draft.eligibility] == [PASS] * 7
    [entry] = audits("application.submitted", draft)
    assert entry.actor == applicant
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert message.subject == f"[JIP] Application complete ({draft.number})"
    assert f"Your application {draft.number} to the METI Japan Internship Program 2024 is complete" in (
        message.body
    )


def test_submitting_again_changes_nothing_and_sends_nothing(
    draft, applicant, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(IN_WINDOW, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=draft, by=applicant)
    time_machine.move_to(IN_WINDOW + dt.timedelta(hours=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.application_submit(application=draft, by=applicant)
    assert callbacks == []
    again.refresh_from_db()
    assert (again.status, again.submitted_at) == (S.SUBMITTED, IN_WINDOW)
    assert len(audits("application.submitted", draft)) == 1
    assert len(mail.outbox) == 1


def test_two_tabs_submitting_the_same_application_submit_it_once(
    draft, applicant, in_window, django_capture_on_commit_callbacks
):
    tab_one = Application.objects.get(pk=draft.pk)
    tab_two = Application.objects.get(pk=draft.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.application_submit(application=tab_one, by=applicant)
        second = services.application_submit(application=tab_two, by=applicant)
    assert first.status == second.status == S.SUBMITTED
    assert tab_two.status == S.DRAFT  # the caller's stale copy is not trusted, the row is
    assert len(audits("application.submitted", draft)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("answers", "rule", "outcome"),
    [
        ({"nationality": "CN"}, "nationality", FAIL),
        ({"residence_country": "JP"}, "residence", FAIL),
        ({"jlpt_level": JLPTLevel.N5}, "language", FAIL),
        ({"participated_before": True, "participated_fiscal_year": 2023}, "participation", FAIL),
        ({"can_submit_documents": False}, "education", "incomplete"),
        ({"follows_timetable": False}, "declarations", "incomplete"),
        ({"birth_date": None}, "age", "incomplete"),
        ({"jlpt_level": None}, "language", "incomplete"),
    ],
)
def test_submit_refused_while_a_rule_blocks(
    make_draft, applicant, in_window, django_capture_on_commit_callbacks, answers, rule, outcome
):
    draft = make_draft(**answers)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, by=applicant)
    assert error.value.code == "blocked"
    assert error.value.messages == ["Your application cannot be submitted yet: see the eligibility checks."]
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (S.DRAFT, None)
    # The outcomes are kept, so the applicant sees why.
    assert draft.is_eligible is False
    assert {o["rule"]: o["outcome"] for o in draft.eligibility}[rule] == outcome
    assert audits("application.submitted", draft) == []
    assert mail.outbox == []


@pytest.mark.parametrize("step", ENTRY_STEP_SLUGS)
def test_submit_refused_until_every_step_is_done(
    make_draft, applicant, in_window, django_capture_on_commit_callbacks, step
):
    draft = make_draft(steps_done=[s for s in ENTRY_STEP_SLUGS if s != step])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, by=applicant)
    assert (error.value.code, error.value.messages) == (
        "steps",
        ["Your application cannot be submitted yet: complete every step first."],
    )
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert mail.outbox == []


def test_submit_allowed_when_only_the_age_rule_fails(
    make_draft, applicant, in_window, django_capture_on_commit_callbacks
):
    draft = make_draft(birth_date=dt.date(1983, 8, 1))  # 41 on 1 August 2024
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=draft, by=applicant)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert draft.is_eligible is False
    assert {o["rule"]: o["outcome"] for o in draft.eligibility}["age"] == FAIL
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("moment", "submitted"),
    [
        (dt.datetime(2024, 6, 30, 23, 59, 59, tzinfo=JST), True),
        (dt.datetime(2024, 7, 1, 0, 0, 0, tzinfo=JST), False),
        (dt.datetime(2024, 7, 1, 0, 0, 1, tzinfo=JST), False),
        (dt.datetime(2024, 6, 30, 14, 59, 59, tzinfo=dt.UTC), True),
        (dt.datetime(2024, 6, 30, 15, 0, 0, tzinfo=dt.UTC), False),
    ],
)
def test_submit_until_the_end_of_the_deadline_day_in_japan(
    draft, applicant, time_machine, django_capture_on_commit_callbacks, moment, submitted
):
    time_machine.move_to(moment, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        if submitted:
            services.application_submit(application=draft, by=applicant)
        else:
            with pytest.raises(ValidationError) as error:
                services.application_submit(application=draft, by=applicant)
            assert error.value.messages == ["The application deadline has passed."]
    draft.refresh_from_db()
    assert draft.status == (S.SUBMITTED if submitted else S.DRAFT)
    assert draft.submitted_at == (moment if submitted else None)
    assert len(mail.outbox) == (1 if submitted else 0)


def test_submission_mail_in_japanese(make_draft, in_window, django_capture_on_commit_callbacks, mails_sent):
    user = UserFactory(preferred_language="ja")
    draft = make_draft(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=draft, by=user)
    [message] = mail.outbox
    assert [m["language"] for m in mails_sent] == ["ja"]
    assert message.body.rstrip().endswith("JIP事務局")
    assert (
        "経済産業省 ジャパン・インターンシップ・プログラム 2024" in message.body
    )  # the cycle's Japanese name


# --- Withdrawing --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.DOCUMENTS_REQUESTED, S.POOL])
def test_withdraw(draft, applicant, in_window, django_capture_on_commit_callbacks, status):
    set_status(draft, status)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=draft, by=applicant, reason="Found a job")
    draft.refresh_from_db()
    assert (draft.status, draft.status_changed_at) == (S.WITHDRAWN, IN_WINDOW)
    [entry] = audits("application.withdrawn", draft)
    assert entry.data == {"from": status, "reason": "Found a job"}
    [message] = mail.outbox
    assert message.subject == f"[JIP] Your application {draft.number} has been updated"
    assert "The status of your application is now: Withdrawn." in message.body
    assert "Your application has been withdrawn." in message.body


def test_withdrawing_twice_changes_nothing(draft, applicant, in_window, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=draft, by=applicant)
        services.application_withdraw(application=draft, by=applicant)
    assert len(audits("application.withdrawn", draft)) == 1
    assert len(mail.outbox) == 1


def test_a_rejected_application_cannot_be_withdrawn(draft, applicant, in_window):
    set_status(draft, S.REJECTED)
    with pytest.raises(ValidationError) as error:
        services.application_withdraw(application=draft, by=applicant)
    assert error.value.messages == ["This application can no longer be withdrawn."]
    draft.refresh_from_db()
    assert draft.status == S.REJECTED


# --- The office's screening ---------------------------------------------------------------------

# docs/program.md §5: where the office may move an application, written out independently of the code.
ALLOWED = {
    (S.SUBMITTED, S.DOCUMENT_REVIEW),
    (S.SUBMITTED, S.REJECTED),
    (S.DOCUMENT_REVIEW, S.DOCUMENTS_REQUESTED),
    (S.DOCUMENT_REVIEW, S.OFFICE_INTERVIEW),
    (S.DOCUMENT_REVIEW, S.REJECTED),
    (S.DOCUMENTS_REQUESTED, S.DOCUMENT_REVIEW),
    (S.DOCUMENTS_REQUESTED, S.OFFICE_INTERVIEW),
    (S.DOCUMENTS_REQUESTED, S.REJECTED),
    (S.OFFICE_INTERVIEW, S.POOL),
    (S.OFFICE_INTERVIEW, S.REJECTED),
    (S.POOL, S.REJECTED),
    (S.REJECTED, S.DOCUMENT_REVIEW),
}
REFUSED = sorted(
    (current, target)
    for current in S.values
    for target in S.values
    if target != S.WITHDRAWN and (current, target) not in ALLOWED
)


def test_the_transition_table_is_the_programs():
    assert {(a, b) for a, targets in services.STAFF_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_staff_moves_an_application(
    draft, staff, in_window, django_capture_on_commit_callbacks, current, target
):
    set_status(draft, current)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_status_set(application=draft, status=target, by=staff, reason="screened")
    draft.refresh_from_db()
    assert (draft.status, draft.status_changed_at) == (target, IN_WINDOW)
    [entry] = audits("application.status", draft)
    assert (entry.actor, entry.data) == (staff, {"from": current, "to": target, "reason": "screened"})
    [message] = mail.outbox
    assert message.to == [draft.applicant.email]
    assert message.subject == f"[JIP] Your application {draft.number} has been updated"
    assert f"The status of your application is now: {S(target).label}." in message.body


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_staff_cannot_make_other_moves(draft, staff, in_window, current, target):
    set_status(draft, current)
    with pytest.raises(ValidationError) as error:
        services.application_status_set(application=draft, status=target, by=staff)
    assert error.value.code == "transition"
    assert error.value.messages == [
        f"An application that is “{S(current).label}” cannot be moved to “{S(target).label}”."
    ]
    draft.refresh_from_db()
    assert draft.status == current
    assert audits("application.status", draft) == []


def test_staff_withdrawing_goes_through_the_withdrawal(draft, staff, in_window):
    set_status(draft, S.POOL)
    services.application_status_set(application=draft, status=S.WITHDRAWN, by=staff, reason="asked by mail")
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN
    [entry] = audits("application.withdrawn", draft)
    assert entry.data == {"from": S.POOL, "reason": "asked by mail"}


@pytest.mark.parametrize(
    ("answers", "kinds"),
    [
        (
            {"jlpt_level": JLPTLevel.N2},
            ["certificate", "cv", "language", "recommendation"],
        ),
        (
            {"jlpt_level": None, "english_evidence": EnglishEvidence.IELTS, "english_score": Decimal("6.5")},
            ["certificate", "cv", "language", "recommendation"],
        ),
        (
            {"jlpt_level": None, "english_evidence": EnglishEvidence.CEFR, "cefr_level": "B2"},
            ["certificate", "cv", "language", "recommendation"],
        ),
        (
            {"jlpt_level": None, "english_evidence": EnglishEvidence.NATIVE},
            ["certificate", "cv", "recommendation"],
        ),
        (
            {"jlpt_level": None, "english_evidence": EnglishEvidence.STUDIED_IN_ENGLISH},
            ["certificate", "cv", "recommendation"],
        ),
    ],
)
def test_requesting_documents_asks_for_the_required_kinds(
    make_draft, staff, in_window, django_capture_on_commit_callbacks, answers, kinds
):
    draft = set_status(make_draft(**answers), S.DOCUMENT_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_status_set(application=draft, status=S.DOCUMENTS_REQUESTED, by=staff)
    documents = Document.objects.filter(application=draft).order_by("kind")
    assert [d.kind for d in documents] == kinds
    assert {d.status for d in documents} == {DocumentStatus.REQUESTED}
    [entry] = audits("documents.requested", draft)
    assert sorted(entry.data["kinds"]) == kinds
    [message] = mail.outbox
    assert "Please log in and upload the documents the JIP office asks for." in message.body


def test_requesting_named_kinds_from_any_iterable(draft, staff, in_window):
    set_status(draft, S.DOCUMENT_REVIEW)
    wanted = (kind for kind in [DocumentKind.CV, DocumentKind.QUALIFICATION])
    services.application_status_set(application=draft, status=S.DOCUMENTS_REQUESTED, by=staff, kinds=wanted)
    assert sorted(Document.objects.filter(application=draft).values_list("kind", flat=True)) == [
        "cv",
        "qualification",
    ]
    [entry] = audits("documents.requested", draft)
    assert entry.data == {"kinds": ["cv", "qualification"]}


def test_requesting_again_keeps_accepted_documents_and_adds_none_twice(draft, staff, in_window):
    set_status(draft, S.DOCUMENT_REVIEW)
    services.application_status_set(application=draft, status=S.DOCUMENTS_REQUESTED, by=staff)
    Document.objects.filter(application=draft, kind="cv").update(status=DocumentStatus.ACCEPTED)
    services.application_status_set(application=draft, status=S.DOCUMENT_REVIEW, by=staff)
    services.application_status_set(application=draft, status=S.DOCUMENTS_REQUESTED, by=staff)
    statuses = dict(Document.objects.filter(application=draft).values_list("kind", "status"))
    assert statuses == {
        "cv": DocumentStatus.ACCEPTED,
        "certificate": DocumentStatus.REQUESTED,
        "recommendation": DocumentStatus.REQUESTED,
        "language": DocumentStatus.REQUESTED,
    }


def test_status_mail_in_the_applicants_language(
    make_draft, staff, in_window, django_capture_on_commit_callbacks, mails_sent
):
    user = UserFactory(preferred_language="ja")
    draft = set_status(make_draft(user=user), S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_status_set(application=draft, status=S.DOCUMENT_REVIEW, by=staff)
    [message] = mail.outbox
    assert [m["language"] for m in mails_sent] == ["ja"]
    draft.refresh_from_db()
    with translation.override("ja"):
        japanese_subject = render_to_string(
            "applicants/email/status_subject.txt", {"application": draft, "user": user}
        ).strip()
    assert message.subject == japanese_subject
    assert message.body.rstrip().endswith("JIP事務局")
    assert "JIP office" not in message.body


# --- Waiving the age rule -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_waiving_the_age_needs_a_reason(make_draft, staff, reason):
    draft = make_draft(birth_date=dt.date(1980, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.application_age_waive(application=draft, reason=reason, by=staff)
    assert error.value.message_dict == {"age_waiver_reason": ["Give the reason for waiving the age rule."]}
    draft.refresh_from_db()
    assert (draft.age_waived, draft.age_waiver_reason) == (False, "")


def test_waiving_the_age_makes_it_waived(make_draft, staff, in_window):
    draft = make_draft(birth_date=dt.date(1980, 1, 1))  # 44 on 1 August 2024
    services.application_age_waive(application=draft, reason="  Exceptional profile  ", by=staff)
    draft.refresh_from_db()
    assert (draft.age_waived, draft.age_waiver_reason) == (True, "Exceptional profile")
    age = next(o for o in draft.eligibility if o["rule"] == "age")
    assert (age["outcome"], age["reason"]) == (
        WAIVED,
        "You will be 44 on Aug. 1, 2024; the JIP office has accepted this.",
    )
    assert draft.is_eligible is True
    [entry] = audits("application.age_waived", draft)
    assert (entry.actor, entry.data) == (staff, {"reason": "Exceptional profile"})


# --- Documents ----------------------------------------------------------------------------------


@pytest.fixture
def document(draft, private_media) -> Document:
    set_status(draft, S.DOCUMENTS_REQUESTED)
    return Document.objects.create(application=draft, kind=DocumentKind.CV)


def upload(document: Document, content: bytes, name: str, by) -> Document:
    return services.document_upload(
        document=document, upload=SimpleUploadedFile(name, content, "application/octet-stream"), by=by
    )


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension"),
    [
        (PDF, "cv.pdf", "application/pdf", ".pdf"),
        (PNG, "scan.png", "image/png", ".png"),
        (JPEG, "photo.jpeg", "image/jpeg", ".jpg"),
        (PNG, "cv.pdf", "image/png", ".png"),  # judged by the content, not the name
        (PDF, "cv", "application/pdf", ".pdf"),
    ],
)
def test_upload_stores_the_file_under_a_random_name(
    document, applicant, in_window, content, name, content_type, extension
):
    stored = upload(document, content, name, applicant)
    stored.refresh_from_db()
    assert stored.status == DocumentStatus.UPLOADED
    assert (stored.content_type, stored.size, stored.original_name) == (content_type, len(content), name)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.uploaded_at == IN_WINDOW
    assert re.fullmatch(
        rf"applications/{document.application_id}/[0-9a-f]{{32}}\{extension}", stored.file.name
    )
    assert stored.file.storage.exists(stored.file.name)
    with stored.file.open("rb") as fh:
        assert fh.read() == content
    [entry] = audits("document.uploaded", stored)
    assert entry.data == {"sha256": stored.sha256}


def test_two_uploads_of_one_name_are_stored_apart(draft, private_media, applicant, in_window):
    set_status(draft, S.DOCUMENTS_REQUESTED)
    cv = Document.objects.create(application=draft, kind=DocumentKind.CV)
    letter = Document.objects.create(application=draft, kind=DocumentKind.RECOMMENDATION)
    first = upload(cv, PDF, "document.pdf", applicant)
    second = upload(letter, PDF, "document.pdf", applicant)
    assert first.file.name != second.file.name
    assert (private_media / first.file.name).exists() and (private_media / second.file.name).exists()


@pytest.mark.parametrize(
    ("name", "original"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\evil.pdf", "evil.pdf"),
        ("My CV (final).pdf", "My_CV_final.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("履歴書.pdf", "履歴書.pdf"),
    ],
)
def test_upload_keeps_a_safe_original_name(document, applicant, in_window, name, original):
    stored = upload(document, PDF, name, applicant)
    assert stored.original_name == original
    assert stored.file.name.startswith(f"applications/{document.application_id}/")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"Name: An\nSkills: Python\n",
            "cv.pdf",
            "Only PDF, JPEG or PNG files are accepted; this file is none of them.",
        ),
        (
            b"PK\x03\x04word document",
            "cv.docx",
            "Only PDF, JPEG or PNG files are accepted; this file is none of them.",
        ),
        (b"", "cv.pdf", "The file is empty."),
    ],
)
def test_upload_refuses_what_is_not_a_document(
    document, applicant, private_media, in_window, content, name, message
):
    with pytest.raises(ValidationError) as error:
        upload(document, content, name, applicant)
    assert error.value.messages == [message]
    document.refresh_from_db()
    assert (document.status, document.file.name, document.sha256) == (DocumentStatus.REQUESTED, "", "")
    assert not (private_media / "applications").exists()


def test_upload_refuses_a_file_over_the_limit(document, applicant, settings, in_window):
    settings.JIP_MAX_UPLOAD_BYTES = len(PDF)
    assert upload(document, PDF, "cv.pdf", applicant).size == len(PDF)  # at the limit
    with pytest.raises(ValidationError) as error:
        upload(document, PDF + b"x", "cv.pdf", applicant)
    assert error.value.code == "too_large"
    assert error.value.messages == [f"The file is {len(PDF) + 1}\xa0bytes; the limit is {len(PDF)}\xa0bytes."]


def test_reupload_after_rejection_replaces_the_file_on_commit(
    document, applicant, staff, in_window, django_capture_on_commit_callbacks
):
    first = upload(document, PDF, "cv.pdf", applicant)
    old_name = first.file.name
    services.document_review(document=first, accept=False, reason="Unreadable scan", by=staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = upload(document, PNG, "cv.png", applicant)
    storage = second.file.storage
    assert storage.exists(old_name)  # nothing is deleted before the new file is committed
    for callback in callbacks:
        callback()
    assert not storage.exists(old_name)
    assert storage.exists(second.file.name)
    second.refresh_from_db()
    assert (second.status, second.reason, second.content_type) == (DocumentStatus.UPLOADED, "", "image/png")
    assert second.file.name != old_name


def test_an_accepted_document_cannot_be_replaced(document, applicant, staff, in_window):
    accepted = services.document_review(
        document=upload(document, PDF, "cv.pdf", applicant), accept=True, by=staff
    )
    with pytest.raises(ValidationError) as error:
        upload(accepted, PNG, "other.png", applicant)
    assert error.value.messages == ["This document has been accepted already."]
    accepted.refresh_from_db()
    assert (accepted.status, accepted.content_type) == (DocumentStatus.ACCEPTED, "application/pdf")


def test_no_upload_to_a_withdrawn_application(document, applicant, in_window):
    set_status(document.application, S.WITHDRAWN)
    with pytest.raises(ValidationError) as error:
        upload(document, PDF, "cv.pdf", applicant)
    assert error.value.messages == ["This application has been withdrawn."]


def test_rejecting_needs_a_reason(document, applicant, staff, in_window):
    stored = upload(document, PDF, "cv.pdf", applicant)
    with pytest.raises(ValidationError) as error:
        services.document_review(document=stored, accept=False, reason="  ", by=staff)
    assert error.value.message_dict == {"reason": ["Say why the document must be sent again."]}
    stored.refresh_from_db()
    assert stored.status == DocumentStatus.UPLOADED


def test_review_accepts_or_rejects_with_an_audit(document, applicant, staff, in_window):
    stored = upload(document, PDF, "cv.pdf", applicant)
    rejected = services.document_review(document=stored, accept=False, reason=" Blurred ", by=staff)
    rejected.refresh_from_db()
    assert (rejected.status, rejected.reason, rejected.reviewed_at) == (
        DocumentStatus.REJECTED,
        "Blurred",
        IN_WINDOW,
    )
    [entry] = audits("document.rejected", rejected)
    assert (entry.actor, entry.data) == (staff, {"reason": "Blurred"})
    accepted = services.document_review(document=rejected, accept=True, by=staff)
    accepted.refresh_from_db()
    assert (accepted.status, accepted.reason) == (DocumentStatus.ACCEPTED, "")
    assert len(audits("document.accepted", accepted)) == 1


def test_nothing_to_review_before_an_upload(document, staff):
    with pytest.raises(ValidationError) as error:
        services.document_review(document=document, accept=True, by=staff)
    assert error.value.messages == ["Nothing has been uploaded for this document yet."]


def test_waiving_the_age_after_submission_changes_only_the_age_rule(make_draft, staff, in_window):
    application = make_draft(birth_date=dt.date(1980, 1, 1))
    services.application_submit(application=application, by=application.applicant)
    application.refresh_from_db()
    frozen = {o["rule"]: o for o in application.eligibility}
    application.cycle.excluded_countries = ["CN", "VN"]  # a later change of the cycle's data
    application.cycle.save()
    services.application_age_waive(application=application, reason="Exceptional profile", by=staff)
    application.refresh_from_db()
    now = {o["rule"]: o for o in application.eligibility}
    assert now["nationality"] == frozen["nationality"]
    assert now["age"]["outcome"] == WAIVED
    assert [o["rule"] for o in application.eligibility] == list(frozen)
    assert application.is_eligible is True


def test_a_document_sent_back_tells_the_applicant(document, staff, django_capture_on_commit_callbacks):
    services.document_upload(document=document, upload=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 x"), by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_review(document=document, accept=False, reason="The scan is unreadable.", by=staff)
    assert "Please send a document again" in mail.outbox[-1].subject
    assert "The scan is unreadable." in mail.outbox[-1].body
