"""The applicant's mails read only what they show: one query (two with a document), every field in it; queued
with their facts (by the services), none."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from applicants.mail import mail_facts
from applicants.models import Application, DocumentKind, DocumentStatus
from applicants.tasks import application_mail_send
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("template", "context", "shows"),
    [
        ("applicants/email/submitted", None, ["JIP24-900001", "Dear Van An", "{cycle}"]),
        ("applicants/email/status", None, ["JIP24-900001", "Dear Van An", "Draft"]),
        ("applicants/email/reminder", {"days": 3}, ["3 days left", "June 30, 2024"]),
    ],
)
def test_each_mail_is_one_query_and_shows_its_facts(
    draft, template, context, shows, django_assert_num_queries
):
    mail.outbox.clear()
    with django_assert_num_queries(1):
        application_mail_send(draft.pk, template, context)
    (message,) = mail.outbox
    assert message.to == [draft.applicant.email]
    text = message.subject + message.body
    for fact in shows:
        assert fact.format(cycle=draft.cycle.name_en) in text


def test_the_document_mail_reads_the_document_too(draft, django_assert_num_queries):
    document = DocumentFactory(
        application=draft, kind=DocumentKind.CV, status=DocumentStatus.REJECTED, reason="The scan is blurred."
    )
    mail.outbox.clear()
    with django_assert_num_queries(2):
        application_mail_send(draft.pk, "applicants/email/document_rejected", {"document_id": document.pk})
    (message,) = mail.outbox
    assert "The scan is blurred." in message.body
    assert "CV" in message.subject + message.body


def test_a_japanese_applicant_gets_the_mail_in_japanese(make_draft, django_assert_num_queries):
    draft = make_draft()
    draft.applicant.preferred_language = "ja"
    draft.applicant.save()
    mail.outbox.clear()
    with django_assert_num_queries(1):
        application_mail_send(draft.pk, "applicants/email/submitted")
    (message,) = mail.outbox
    assert message.subject.startswith("【JIP】")
    assert draft.cycle.name_ja in message.body


@pytest.mark.parametrize("template", ["applicants/email/submitted", "applicants/email/status"])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_mail_queued_with_its_facts_reads_nothing_and_says_the_same(
    make_draft, template, language, django_assert_num_queries
):
    draft = make_draft()
    draft.applicant.preferred_language = language
    draft.applicant.save()
    application = Application.objects.select_related("applicant", "cycle").get(pk=draft.pk)
    facts = json.loads(json.dumps(mail_facts(application)))  # as a worker would receive them
    mail.outbox.clear()
    application_mail_send(draft.pk, template)
    with django_assert_num_queries(0):
        application_mail_send(draft.pk, template, facts=facts)
    read, queued = mail.outbox
    assert (queued.subject, queued.body, queued.to) == (read.subject, read.body, read.to)


def test_the_submission_queues_its_mail_with_the_facts_at_submission(
    client, draft, in_window, django_capture_on_commit_callbacks, mails_sent
):
    client.force_login(draft.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applicants:entry_submit"))
    (sent,) = mails_sent
    assert sent["to"] == draft.applicant.email
    assert sent["subject"] == f"[JIP] Application complete ({draft.number})"
