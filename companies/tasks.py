"""Mail to host companies' managers, each in their own language, and invitations to new managers."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from jip.mail import by_language, mail_send

from .models import CompanyInvitation, HostCompany, Position
from .selectors import company_mail_recipients


@shared_task
def company_mail_send(company_id: int, template: str, context: dict | None = None) -> list[dict]:
    """A mail about the company (its review; with `position_id`, a position's) to each of its managers."""
    company = HostCompany.objects.values("name_en", "name_ja", "status", "review_reason").get(pk=company_id)
    context = {
        **(context or {}),
        "company": {
            "name": by_language(en=company["name_en"], ja=company["name_ja"]),
            "status": company["status"],
            "review_reason": company["review_reason"],
        },
    }
    if "position_id" in context:
        context["position"] = Position.objects.values("title", "status", "review_reason").get(
            pk=context["position_id"], company_id=company_id
        )
    return [
        mail_send(to=m["email"], language=m["language"], template=template, context=context)
        for m in company_mail_recipients(company_id=company_id)
    ]


@shared_task
def invitation_mail_send(invitation_id: int, token: str, language: str) -> dict:
    """The invitation goes to an address that may have no account yet, in the inviter's language."""
    invitation = CompanyInvitation.objects.values(
        "email", "expires_at", "invited_by__email", "company__name_en", "company__name_ja"
    ).get(pk=invitation_id)
    context = {
        "invitation": {
            "invited_by": {"email": invitation["invited_by__email"] or ""},  # the inviter may be gone
            "expires_at": invitation["expires_at"],
        },
        "company": {
            "name": by_language(en=invitation["company__name_en"], ja=invitation["company__name_ja"])
        },
        "token": token,
        "site": settings.JIP_SITE_URL.rstrip("/"),
    }
    return mail_send(
        to=invitation["email"], language=language, template="companies/email/invitation", context=context
    )
