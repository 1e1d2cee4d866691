"""Background work for applicants: their e-mails and the deadline reminders (Celery beat)."""

from __future__ import annotations

from celery import shared_task

from jip.mail import mail_send

from . import services
from .mail import mail_context, mail_document, mail_facts_read


@shared_task
def application_mail_send(
    application_id: int, template: str, context: dict | None = None, facts: dict | None = None
) -> dict:
    """The applicant's mail about their application: with the facts it was queued with (mail_facts), or read
    now (one query); `context["document_id"]` adds that document's kind and reason."""
    facts = facts if facts is not None else mail_facts_read(application_id)
    values = {**mail_context(facts), **(context or {})}
    if "document_id" in values:
        values["document"] = mail_document(application_id, values["document_id"])
    applicant = facts["applicant"]
    return mail_send(
        to=applicant["email"], language=applicant["preferred_language"], template=template, context=values
    )


@shared_task
def draft_reminders_send() -> int:
    return services.draft_reminders_send()
