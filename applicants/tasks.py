"""Background work for applicants: their e-mails and the deadline reminders (Celery beat)."""

from celery import shared_task

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


@shared_task(**MAIL_RETRY)
def application_mail_send(application_id: int, template: str, context: dict | None = None) -> dict:
    # What the mails show, not the ~100 columns of the application, its applicant and its cycle.
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
