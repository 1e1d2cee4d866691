"""Mail to a person in their own language, rendered from plain data: a template's context holds values the
task read or was queued with (strings, numbers, dates, labels), never model instances."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy


def _by_language(en: str, ja: str) -> str:
    return ja if (translation.get_language() or "").startswith("ja") else en


_by_language_lazy = lazy(_by_language, str)


def by_language(*, en: str, ja: str) -> str:
    """A name kept in both languages (a cycle's, a company's), said in the language the mail is rendered in:
    one context serves recipients of either language, as `ProgramCycle.name` and `HostCompany.name` do."""
    return _by_language_lazy(en, ja)


def mail_send(*, to: str, language: str, template: str, context: dict | None = None) -> dict:
    """Renders `<template>_subject.txt` and `<template>_message.txt` in `language` and sends them to `to`."""
    context = context or {}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_message.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    sent = message.send()
    return {"sent": sent, "to": to, "subject": subject, "language": language}
