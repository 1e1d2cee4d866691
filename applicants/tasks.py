"""Background work for applicants: their e-mails and the deadline reminders (Celery beat)."""

import datetime as dt

from celery import shared_task

from jip.models import ProgramCycle, User
from jip.tasks import MAIL_RETRY, mail_to_user

from .models import Application

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


def mail_facts(application: Application) -> dict:
    """What the application's mails show (MAIL_FIELDS), as JSON, taken when the mail is queued: the task then
    reads nothing, and the mail tells what was true at the change it reports."""
    applicant, cycle = application.applicant, application.cycle
    return {
        "number": application.number,
        "given_names": application.given_names,
        "status": application.status,
        "applicant": {"email": applicant.email, "preferred_language": applicant.preferred_language},
        "cycle": {
            "name_en": cycle.name_en,
            "name_ja": cycle.name_ja,
            "application_deadline": cycle.application_deadline.isoformat(),
        },
    }


def _deferred(model, values: dict):
    """An instance with these fields (by attname) and the others deferred, as `.only()` reads it: from_db
    computes no defaults."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]  # from_db's order
    return model.from_db(None, names, [values[name] for name in names])


def _from_facts(application_id: int, facts: dict) -> Application:
    """The application, its applicant and its cycle as `.only(*MAIL_FIELDS)` reads them, from the facts the
    mail was queued with (the applicant's and the cycle's ids are not among them)."""
    cycle = facts["cycle"]
    application = _deferred(
        Application,
        {
            "id": application_id,
            "number": facts["number"],
            "given_names": facts["given_names"],
            "status": facts["status"],
        },
    )
    application.applicant = _deferred(User, {"id": None, **facts["applicant"]})
    application.cycle = _deferred(
        ProgramCycle,
        {
            "id": None,
            "name_en": cycle["name_en"],
            "name_ja": cycle["name_ja"],
            "application_deadline": dt.date.fromisoformat(cycle["application_deadline"]),
        },
    )
    return application


@shared_task(**MAIL_RETRY)
def application_mail_send(
    application_id: int, template: str, context: dict | None = None, facts: dict | None = None
) -> dict:
    if facts is not None:  # queued with the facts it shows (mail_facts)
        application = _from_facts(application_id, facts)
    else:  # what the mails show, not the ~100 columns of the application, its applicant and its cycle
        application = (
            Application.objects.select_related("applicant", "cycle").only(*MAIL_FIELDS).get(pk=application_id)
        )
    context = {"application": application, **(context or {})}
    if "document_id" in context:
        context["document"] = application.documents.get(pk=context["document_id"])
    return mail_to_user(user=application.applicant, template=template, context=context)


@shared_task
def draft_reminders_send() -> int:
    from .services import draft_reminders_send as send

    return send()
