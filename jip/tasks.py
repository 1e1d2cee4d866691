"""Background work of the core: e-mail to a user in their own language."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .models import User


def mail_to_user(*, user: User, template: str, context: dict | None = None) -> dict:
    """Renders `<template>_subject.txt` and `<template>_message.txt` in the user's language and sends them."""
    context = {"user": user, **(context or {})}
    with translation.override(user.preferred_language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_message.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    sent = message.send()
    return {"sent": sent, "to": user.email, "subject": subject, "language": user.preferred_language}


MAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task(**MAIL_RETRY)
def user_mail_send(user_id: int, template: str, context: dict | None = None) -> dict:
    return mail_to_user(user=User.objects.get(pk=user_id), template=template, context=context)
