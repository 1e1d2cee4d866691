"""Background work of the core: e-mail to a user in their own language."""

import logging
import smtplib

from celery import Task, current_app, shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .models import User

logger = logging.getLogger(__name__)


def task_queue(task: Task, *args, **kwargs) -> None:
    """Queues `task` for a worker; without a broker (tasks in-process, the embedded default) runs it here.

    In-process it is called as a function: Celery's eager `apply()` costs about as much again in tracing
    (scripts/profile_applications.py) and would retry a failing mail server inside the request. A failure is
    logged, and raised where CELERY_TASK_EAGER_PROPAGATES says so (the tests)."""
    conf = current_app.conf
    if not conf.task_always_eager:
        task.delay(*args, **kwargs)
        return
    try:
        task(*args, **kwargs)
    except Exception:
        if conf.task_eager_propagates:
            raise
        logger.exception("Task %s failed in-process", task.name)


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
