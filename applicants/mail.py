"""What the applicant's mails show, as plain data: the facts taken from the row when a mail is queued (or
read by the task), and the context the templates read. Both the services and the task use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from operator import attrgetter
from typing import Any

from jip.mail import by_language

from .models import Application, ApplicationStatus, Document, DocumentKind

# What the application's mails show, as the ORM names it (`.values()`), read with the row or at queue time.
MAIL_FIELDS = (
    "number",
    "given_names",
    "status",
    "applicant__email",
    "applicant__preferred_language",
    "cycle__name_en",
    "cycle__name_ja",
    "cycle__application_deadline",
)


def _facts(values: Mapping[str, Any]) -> dict:
    return {
        "number": values["number"],
        "given_names": values["given_names"],
        "status": values["status"],
        "applicant": {
            "email": values["applicant__email"],
            "preferred_language": values["applicant__preferred_language"],
        },
        "cycle": {
            "name_en": values["cycle__name_en"],
            "name_ja": values["cycle__name_ja"],
            "application_deadline": values["cycle__application_deadline"].isoformat(),
        },
    }


def mail_facts(application: Application) -> dict:
    """What the application's mails show (MAIL_FIELDS), as JSON, taken from the row when the mail is queued:
    the task then reads nothing, and the mail tells what was true at the change it reports."""
    return _facts({name: attrgetter(name.replace("__", "."))(application) for name in MAIL_FIELDS})


def mail_facts_read(application_id: int) -> dict:
    """The same facts read in one query, for a mail queued with the id only (reminders, documents)."""
    return _facts(Application.objects.values(*MAIL_FIELDS).get(pk=application_id))


def mail_context(facts: dict) -> dict:
    """What the templates read, as plain values: the facts, the status's label and the cycle's name in the
    language the mail is rendered in, the deadline as a date."""
    cycle = facts["cycle"]
    return {
        "application": {
            "number": facts["number"],
            "given_names": facts["given_names"],
            "status": facts["status"],
            "status_label": ApplicationStatus(facts["status"]).label,
            "applicant": {"email": facts["applicant"]["email"]},
            "cycle": {
                "name": by_language(en=cycle["name_en"], ja=cycle["name_ja"]),
                "application_deadline": dt.date.fromisoformat(cycle["application_deadline"]),
            },
        }
    }


def mail_document(application_id: int, document_id: int) -> dict:
    """The kind (its label) and the reason of one of the application's documents, for the mail about it."""
    document = Document.objects.values("kind", "reason").get(pk=document_id, application_id=application_id)
    return {"kind_label": DocumentKind(document["kind"]).label, "reason": document["reason"]}
