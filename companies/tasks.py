"""Mail to host companies' managers, each in their own language."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from jip.tasks import MAIL_RETRY, mail_to_user

from .models import CompanyInvitation, HostCompany


@shared_task(**MAIL_RETRY)
def company_mail_send(company_id: int, template: str, context: dict | None = None) -> list[dict]:
    company = HostCompany.objects.get(pk=company_id)
    context = {"company": company, **(context or {})}
    if "position_id" in context:
        context["position"] = company.positions.get(pk=context["position_id"])
    managers = company.managers.select_related("user").order_by("pk")
    return [mail_to_user(user=m.user, template=template, context=context) for m in managers]


@shared_task(**MAIL_RETRY)
def invitation_mail_send(invitation_id: int, token: str, language: str) -> dict:
    """The invitation goes to an address that may have no account yet, in the inviter's language."""
    invitation = CompanyInvitation.objects.select_related("company", "invited_by").get(pk=invitation_id)
    context = {"invitation": invitation, "company": invitation.company, "token": token,
               "site": settings.JIP_SITE_URL.rstrip("/")}  # fmt: skip
    with translation.override(language):
        subject = " ".join(render_to_string("companies/email/invitation_subject.txt", context).split())
        body = render_to_string("companies/email/invitation_message.txt", context)
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return {"sent": sent, "to": invitation.email, "subject": subject}
