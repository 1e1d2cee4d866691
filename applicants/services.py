"""Every change to an application or its documents happens here: one function per change, in a
transaction, with an audit entry, and the applicant's e-mail queued on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jip import clock
from jip.audit import audit_record
from jip.models import ProgramCycle, User
from jip.tasks import task_enqueue

from . import eligibility, files, selectors
from .mail import mail_facts
from .models import (
    Application,
    ApplicationStatus,
    Document,
    DocumentKind,
    DocumentStatus,
    ReminderSent,
)

S = ApplicationStatus

# Where the office may move an application from each status (docs/program.md §5).
STAFF_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.DOCUMENT_REVIEW, S.REJECTED},
    S.DOCUMENT_REVIEW: {S.DOCUMENTS_REQUESTED, S.OFFICE_INTERVIEW, S.REJECTED},
    S.DOCUMENTS_REQUESTED: {S.DOCUMENT_REVIEW, S.OFFICE_INTERVIEW, S.REJECTED},
    S.OFFICE_INTERVIEW: {S.POOL, S.REJECTED},
    S.POOL: {S.REJECTED},
    S.REJECTED: {S.DOCUMENT_REVIEW},
}
WITHDRAWABLE = {S.DRAFT, S.SUBMITTED, S.DOCUMENT_REVIEW, S.DOCUMENTS_REQUESTED, S.OFFICE_INTERVIEW, S.POOL}
REMINDER_DAYS = (7, 3, 1)
# The answers an applicant gives; nothing else of an application changes through a draft save.
DRAFT_FIELDS = frozenset(
    {
        "family_name", "given_names", "name_ja", "birth_date", "nationality", "residence_country", "phone",
        "city", "education_status", "institution", "field_of_study", "degree", "graduation_date",
        "jlpt_level", "english_evidence", "english_score", "cefr_level", "course_preference", "motivation",
        "skills",
        "participated_before", "participated_fiscal_year", "agrees_with_purpose", "can_dedicate",
        "follows_timetable", "can_submit_documents", "information_is_true",
    }
)  # fmt: skip
APPLICATION_MAIL = "applicants.tasks.application_mail_send"
ENTRY_STEP_SLUGS = ("personal", "education", "languages", "course", "motivation", "declarations")


def _locked(application: Application, related: tuple[str, ...] = ("cycle", "applicant")) -> Application:
    # Locks the application's row only: the joined cycle and user rows stay free, or every submission
    # of a cycle would queue behind the others on the cycle's row until each commits.
    return Application.objects.select_for_update(of=("self",)).select_related(*related).get(pk=application.pk)


def _window_open(cycle: ProgramCycle) -> bool:
    now = clock.now()
    return cycle.opens_at <= now < cycle.deadline_at


def _queue_mail(application: Application, template: str) -> None:
    """The applicant's mail, queued on commit with the facts it shows (read with the locked row)."""
    task_enqueue(APPLICATION_MAIL, application.pk, template, None, mail_facts(application))


@transaction.atomic
def application_start(*, applicant: User, cycle: ProgramCycle) -> Application:
    """The applicant's draft for the cycle: created once, found again afterwards (any device); only while the
    window is open (docs/program.md §3)."""
    existing = Application.objects.filter(cycle=cycle, applicant=applicant).first()
    if existing is not None:
        return existing
    if not _window_open(cycle):
        raise ValidationError(_("Applications for this cycle are not open."), code="closed")
    try:
        with transaction.atomic():
            application = Application.objects.create(cycle=cycle, applicant=applicant)
    except IntegrityError:  # a second tab created it a moment ago
        return Application.objects.get(cycle=cycle, applicant=applicant)
    application.number = f"JIP{cycle.fiscal_year % 100:02d}-{application.pk:06d}"
    application.save(update_fields=["number"])
    audit_record(actor=applicant, action="application.started", target=application)
    return application


def _store_eligibility(application: Application, facts: eligibility.CycleFacts | None = None) -> list:
    outcomes = eligibility.evaluate(application, facts)
    application.eligibility = eligibility.as_json(outcomes)
    application.is_eligible = eligibility.is_eligible(outcomes)
    return outcomes


@transaction.atomic
def application_draft_save(*, application: Application, data: dict, step: str, by: User) -> Application:
    """Saves one step of the entry form; the draft keeps everything, and eligibility is re-evaluated; only
    until the deadline (docs/program.md §3, §4)."""
    application = _locked(application)
    if not application.is_draft:
        raise ValidationError(_("This application has been submitted and can no longer be changed."))
    if not _window_open(application.cycle):
        raise ValidationError(_("The application deadline has passed."), code="closed")
    unknown = set(data) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"Not answers of the entry form: {sorted(unknown)}")
    for field, value in data.items():
        setattr(application, field, value)
    if step not in application.steps_done:
        application.steps_done = [*application.steps_done, step]
    _store_eligibility(application)
    application.save()
    return application


def application_submit(*, application: Application, by: User) -> Application:
    """Submits a draft once; a second click, tab or replayed request finds it submitted and changes nothing.

    FY2024 call: no submission after the deadline (end of the deadline day, JST); docs/program.md §3.
    """
    application, _submitted_now = _submit(lambda: _locked(application), by=by)
    return application


def application_submit_for(
    *, applicant: User, cycle: ProgramCycle, by: User
) -> tuple[Application | None, bool]:
    """`application_submit` for the applicant's application in `cycle`, found and locked in one query (the
    POST of the review page, with the current cycle). Returns it (None if there is none) and whether this
    call submitted it: False for a second click, tab or replayed request, and for one no longer a draft.

    The cycle's row is read again with the lock: the deadline and the rules are the cycle's own at this
    moment, whatever copy of it the caller holds."""

    def find() -> Application | None:
        # Its row only is locked: the cycle's row stays free, or every submission of a cycle would queue
        # behind the others; the cycle comes with it, read fresh.
        application = selectors.one_or_none(
            Application.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .filter(applicant_id=applicant.pk, cycle_id=cycle.pk)
        )
        if application is not None:
            application.applicant = applicant  # in hand (for the mail), rather than joined again
        return application

    return _submit(find, by=by)


# What `_submit`'s finder gives: an Application (found by its id, or it raises), or one that may be missing.
_Found = TypeVar("_Found", Application, Application | None)


def _submit(find: Callable[[], _Found], *, by: User) -> tuple[_Found, bool]:
    with transaction.atomic():
        application = find()  # locked: a concurrent submission of the same draft waits here
        if application is None or application.status != S.DRAFT:
            return application, False
        if not application.cycle.is_published:  # the cycle's own row, read with the lock
            raise ValidationError(_("Applications for this cycle are not open."), code="closed")
        if not _window_open(application.cycle):
            raise ValidationError(_("The application deadline has passed."), code="closed")
        outcomes = _store_eligibility(application)
        missing = [step for step in ENTRY_STEP_SLUGS if step not in application.steps_done]
        if missing:
            raise ValidationError(
                _("Your application cannot be submitted yet: complete every step first."), code="steps"
            )
        blocked = not eligibility.can_submit(outcomes)
        if blocked:
            # Kept, so the applicant sees why: raising inside the block would roll this back.
            application.save(update_fields=["eligibility", "is_eligible"])
        else:
            now = clock.now()
            application.status = S.SUBMITTED
            application.submitted_at = application.status_changed_at = now
            application.save(
                update_fields=[
                    "status", "submitted_at", "status_changed_at", "eligibility", "is_eligible", "updated_at",
                ]
            )  # fmt: skip
            audit_record(actor=by, action="application.submitted", target=application)
            _queue_mail(application, "applicants/email/submitted")
    if blocked:
        raise ValidationError(
            _("Your application cannot be submitted yet: see the eligibility checks."), code="blocked"
        )
    return application, True


@transaction.atomic
def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    """The applicant (or the office for them) withdraws an application not yet closed (docs/program.md §3)."""
    application = _locked(application)
    if application.status == S.WITHDRAWN:
        return application
    if application.status not in WITHDRAWABLE:
        raise ValidationError(_("This application can no longer be withdrawn."))
    previous = application.status
    application.status = S.WITHDRAWN
    application.status_changed_at = clock.now()
    application.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit_record(
        actor=by,
        action="application.withdrawn",
        target=application,
        data={"from": previous, "reason": reason},
    )
    _queue_mail(application, "applicants/email/status")
    return application


def required_document_kinds(application: Application) -> list[str]:
    """What the office asks for after the first screening: the CV, the certificate of enrollment or
    graduation, the recommendation letter, and a language certificate where one was claimed (FY2024 call;
    docs/program.md §5)."""
    kinds: list[str] = [DocumentKind.CV, DocumentKind.ENROLLMENT_OR_GRADUATION, DocumentKind.RECOMMENDATION]
    if application.jlpt_level is not None or application.english_evidence in (
        "ielts",
        "toefl_ibt",
        "toeic",
        "cefr",
    ):
        kinds.append(DocumentKind.LANGUAGE_CERTIFICATE)
    return kinds


@transaction.atomic
def application_status_set(
    *, application: Application, status: str, by: User, reason: str = "", kinds: Iterable[str] | None = None
) -> Application:
    """The office moves an application through screening; the applicant is told by e-mail.

    Moving to "documents requested" asks for the documents the applicant must upload. The moves allowed are
    `STAFF_TRANSITIONS` (docs/program.md §5).
    """
    application = _locked(application)
    if status == S.WITHDRAWN:
        return application_withdraw(application=application, by=by, reason=reason)
    if status not in S.values:
        raise ValidationError(_("Unknown status."), code="status")
    allowed = STAFF_TRANSITIONS.get(application.status, set())
    if status not in allowed:
        raise ValidationError(
            _("An application that is “%(current)s” cannot be moved to “%(target)s”.")
            % {"current": application.get_status_display(), "target": S(status).label},
            code="transition",
        )
    previous = application.status
    application.status = status
    application.status_changed_at = clock.now()
    application.save(update_fields=["status", "status_changed_at", "updated_at"])
    if status == S.DOCUMENTS_REQUESTED:
        kinds = list(kinds) if kinds is not None else []
        documents_request(application=application, kinds=kinds or required_document_kinds(application), by=by)
    audit_record(
        actor=by,
        action="application.status",
        target=application,
        data={"from": previous, "to": status, "reason": reason},
    )
    _queue_mail(application, "applicants/email/status")
    return application


@transaction.atomic
def application_age_waive(*, application: Application, reason: str, by: User) -> Application:
    """FY2024 call: ages 18–40 "in principle"; the office may accept someone outside it, with a reason
    (docs/program.md §4)."""
    if not reason.strip():
        raise ValidationError({"age_waiver_reason": _("Give the reason for waiving the age rule.")})
    application = _locked(application)
    application.age_waived = True
    application.age_waiver_reason = reason.strip()
    if application.is_draft:
        _store_eligibility(application)
    else:
        # Outcomes were frozen at submission: only the age rule's changes, in the applicant's language.
        with translation.override(application.applicant.preferred_language):
            age = eligibility.evaluate_rule("age", application)
        stored = [o for o in application.eligibility if o["rule"] != "age"]
        position = next((i for i, o in enumerate(application.eligibility) if o["rule"] == "age"), len(stored))
        stored.insert(position, eligibility.as_json([age])[0])
        application.eligibility = stored
        application.is_eligible = eligibility.is_eligible([eligibility.RuleOutcome(**o) for o in stored])
    application.save()
    audit_record(
        actor=by,
        action="application.age_waived",
        target=application,
        data={"reason": application.age_waiver_reason},
    )
    return application


@transaction.atomic
def documents_request(*, application: Application, kinds: Iterable[str], by: User) -> list[Document]:
    """Asks the applicant for documents; one already accepted is not asked for again (docs/program.md §5)."""
    kinds = list(kinds)  # iterated twice: for the rows and for the audit entry
    documents = []
    for kind in kinds:
        document, created = Document.objects.get_or_create(application=application, kind=kind)
        if not created and document.status == DocumentStatus.ACCEPTED:
            documents.append(document)
            continue
        if not created:
            document.status = DocumentStatus.REQUESTED if not document.file else document.status
            document.save(update_fields=["status"])
        documents.append(document)
    audit_record(actor=by, action="documents.requested", target=application, data={"kinds": list(kinds)})
    return documents


@transaction.atomic
def document_upload(*, document: Document, upload: UploadedFile, by: User) -> Document:
    """Stores the file the office asked for, judged by its content; an accepted document stays as it is
    (docs/program.md §5)."""
    document = Document.objects.select_for_update().select_related("application").get(pk=document.pk)
    if document.status == DocumentStatus.ACCEPTED:
        raise ValidationError(_("This document has been accepted already."))
    if document.application.status == S.WITHDRAWN:
        raise ValidationError(_("This application has been withdrawn."))
    content_type, extension, digest, size = files.check_upload(upload)
    original = files.clean_name(upload.name or "document")
    old = document.file.name if document.file else None
    document.file.save(f"upload{extension}", upload, save=False)
    document.original_name = original
    document.content_type = content_type
    document.size = size
    document.sha256 = digest
    document.status = DocumentStatus.UPLOADED
    document.reason = ""
    document.uploaded_at = clock.now()
    document.save()
    audit_record(actor=by, action="document.uploaded", target=document, data={"sha256": digest})
    if old:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return document


@transaction.atomic
def document_review(*, document: Document, accept: bool, reason: str = "", by: User) -> Document:
    """The office accepts a document, or sends it back with a reason the applicant is mailed
    (docs/program.md §5)."""
    document = Document.objects.select_for_update().select_related("application").get(pk=document.pk)
    if document.application.status == S.WITHDRAWN:
        raise ValidationError(_("This application has been withdrawn."))
    if document.status not in (DocumentStatus.UPLOADED, DocumentStatus.ACCEPTED, DocumentStatus.REJECTED):
        raise ValidationError(_("Nothing has been uploaded for this document yet."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the document must be sent again.")})
    document.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
    document.reason = "" if accept else reason.strip()
    document.reviewed_at = clock.now()
    document.save(update_fields=["status", "reason", "reviewed_at"])
    audit_record(
        actor=by,
        action="document.accepted" if accept else "document.rejected",
        target=document,
        data={"reason": document.reason},
    )
    if not accept:
        task_enqueue(
            APPLICATION_MAIL,
            document.application_id,
            "applicants/email/document_rejected",
            {"document_id": document.pk},
        )
    return document


def draft_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Reminds applicants with an unsubmitted draft 7, 3 and 1 days before the deadline, once each
    (docs/program.md §3).

    The reminder row is written first under a unique constraint, so a rerun or an overlapping run of
    the job finds it and sends nothing twice.
    """
    now = now or clock.now()
    today = now.astimezone(clock.JST).date()
    sent = 0
    for cycle in ProgramCycle.objects.filter(application_deadline__gte=today):
        days = (cycle.application_deadline - today).days
        if days not in REMINDER_DAYS:
            continue
        drafts = Application.objects.filter(cycle=cycle, status=S.DRAFT).exclude(reminders__days_before=days)
        for application_id in drafts.values_list("pk", flat=True).iterator():
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(application_id=application_id, days_before=days)
                    task_enqueue(
                        APPLICATION_MAIL, application_id, "applicants/email/reminder", {"days": days}
                    )
            except IntegrityError:
                continue
            sent += 1
    return sent
