"""The applicant's pages through the test client: entry steps, submission, status, documents, isolation."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants import services
from applicants.models import Application, ApplicationStatus, Document, DocumentStatus

from ..factories import UserFactory
from .conftest import IN_WINDOW, JST

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STEP_POSTS = {
    "personal": {
        "family_name": "Nguyen", "given_names": "Van An", "name_ja": "", "birth_date": "1998-03-15",
        "nationality": "VN", "residence_country": "VN", "phone": "+84 90 123 4567", "city": "Hanoi",
    },
    "education": {
        "education_status": "student", "institution": "VNU", "field_of_study": "Computer science",
        "degree": "bachelor", "graduation_date": "2025-06-30",
    },
    "languages": {"jlpt_level": "3", "english_evidence": "none", "english_score": "", "cefr_level": ""},
    "course": {"course_preference": "both"},
    "motivation": {"motivation": "I want to learn how Japanese SMEs work and help one grow abroad. " * 2,
                   "skills": "Python"},
    "declarations": {
        "participated_before": "False", "participated_fiscal_year": "", "agrees_with_purpose": "on",
        "can_dedicate": "on", "follows_timetable": "on", "can_submit_documents": "on",
        "information_is_true": "on",
    },
}  # fmt: skip


@pytest.fixture
def logged_in(client, applicant, fy2024, in_window):
    client.force_login(applicant)
    return client


def fill_all_steps(client):
    for step, data in STEP_POSTS.items():
        response = client.post(reverse("applicants:entry_step", args=[step]), data)
        assert response.status_code == 302, (
            step,
            response.context["form"].errors if response.context else "",
        )


def test_the_whole_entry_and_submission(logged_in, applicant, django_capture_on_commit_callbacks):
    response = logged_in.get(reverse("applicants:entry_start"))
    assert response["Location"] == reverse("applicants:entry_step", args=["personal"])
    fill_all_steps(logged_in)
    review = logged_in.get(reverse("applicants:entry_review"))
    assert "Submit my application" in review.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(reverse("applicants:entry_submit"), follow=True)
    application = Application.objects.get(applicant=applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("applicants:application_detail", args=[application.pk])
    assert "Application complete" in response.content.decode()
    assert [m.subject for m in mail.outbox] == [f"[JIP] Application complete ({application.number})"]

    # A second click, a second tab, a replayed request: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = logged_in.post(reverse("applicants:entry_submit"))
    assert again.status_code == 302
    assert Application.objects.filter(applicant=applicant).count() == 1
    assert len(mail.outbox) == 1
    # Answers can no longer be changed.
    response = logged_in.post(
        reverse("applicants:entry_step", args=["course"]), {"course_preference": "online"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.course_preference == "both"


def test_a_draft_is_resumed_from_another_device(client, applicant, fy2024, in_window):
    client.force_login(applicant)
    client.post(reverse("applicants:entry_step", args=["personal"]), STEP_POSTS["personal"])
    other = client.__class__()
    other.force_login(applicant)
    response = other.get(reverse("applicants:entry_start"))
    assert response["Location"] == reverse("applicants:entry_step", args=["education"])
    page = other.get(reverse("applicants:entry_step", args=["personal"]))
    assert 'value="Nguyen"' in page.content.decode()


@pytest.mark.parametrize(
    ("step", "changes", "field", "message"),
    [
        ("personal", {"family_name": "グエン"}, "family_name", "Use Latin letters only, as in your passport."),
        ("personal", {"birth_date": "2030-01-01"}, "birth_date", "The date of birth cannot be in the future."),
        ("personal", {"birth_date": "not a date"}, "birth_date", "Enter a valid date."),
        ("personal", {"phone": "call me"}, "phone", "Give a phone number with digits only"),
        ("personal", {"nationality": "ZZ"}, "nationality", "Select a valid choice."),
        ("personal", {"given_names": ""}, "given_names", "This field is required."),
        ("education", {"education_status": "graduate", "graduation_date": "2030-01-01"}, "graduation_date",
         "A graduate's graduation date cannot be in the future."),
        ("languages", {"english_evidence": "ielts", "english_score": "9.5"}, "english_score",
         "IELTS scores run from 0 to 9, in steps of 0.5."),
        ("languages", {"english_evidence": "ielts", "english_score": "6.3"}, "english_score",
         "IELTS scores run from 0 to 9, in steps of 0.5."),
        ("languages", {"english_evidence": "toeic", "english_score": ""}, "english_score", "Give your score."),
        ("languages", {"english_evidence": "cefr"}, "cefr_level", "Give your CEFR level."),
        ("languages", {"english_score": "abc", "english_evidence": "toefl_ibt"}, "english_score",
         "Enter a number."),
        ("course", {"course_preference": "moon"}, "course_preference", "Select a valid choice."),
        ("motivation", {"motivation": "Because."}, "motivation", "at least 50 characters"),
        ("declarations", {"participated_before": "True", "participated_fiscal_year": ""},
         "participated_fiscal_year", "Give the fiscal year you took part in."),
        ("declarations", {"participated_before": "True", "participated_fiscal_year": "1800"},
         "participated_fiscal_year", "Ensure this value is greater than or equal to 2000."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_beside_the_field(logged_in, step, changes, field, message):
    response = logged_in.post(reverse("applicants:entry_step", args=[step]), {**STEP_POSTS[step], **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert any(message in e for e in errors[field]), errors[field]
    assert "invalid-feedback" in response.content.decode()


def test_no_input_breaks_a_step(logged_in):
    for step in STEP_POSTS:
        response = logged_in.post(reverse("applicants:entry_step", args=[step]), {"junk": "x" * 10_000})
        assert response.status_code == 200
    assert logged_in.get(reverse("applicants:entry_step", args=["nope"])).status_code == 404


def test_submission_is_refused_until_every_step_is_done(logged_in, applicant):
    logged_in.post(reverse("applicants:entry_step", args=["personal"]), STEP_POSTS["personal"])
    review = logged_in.get(reverse("applicants:entry_review")).content.decode()
    assert "Submit my application" not in review
    response = logged_in.post(reverse("applicants:entry_submit"), follow=True)
    assert "complete every step first" in response.content.decode()
    assert Application.objects.get(applicant=applicant).status == ApplicationStatus.DRAFT


def test_a_rule_that_cannot_be_waived_stops_submission(logged_in, applicant):
    fill_all_steps(logged_in)
    logged_in.post(
        reverse("applicants:entry_step", args=["personal"]),
        {**STEP_POSTS["personal"], "residence_country": "JP"},
    )
    review = logged_in.get(reverse("applicants:entry_review")).content.decode()
    assert "People living in Japan cannot apply." in review
    assert "Submit my application" not in review
    logged_in.post(reverse("applicants:entry_submit"))
    assert Application.objects.get(applicant=applicant).status == ApplicationStatus.DRAFT


def test_after_the_deadline_the_entry_is_closed(client, applicant, fy2024, time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    client.force_login(applicant)
    fill_all_steps(client)
    time_machine.move_to(dt.datetime(2024, 7, 1, 0, 0, 0, tzinfo=JST), tick=False)
    page = client.get(reverse("applicants:entry_start"))
    assert "The application deadline has passed." in page.content.decode()
    response = client.post(reverse("applicants:entry_submit"), follow=True)
    assert "The application deadline has passed." in response.content.decode()
    assert Application.objects.get(applicant=applicant).status == ApplicationStatus.DRAFT


def test_withdrawal(logged_in, applicant, make_draft):
    application = make_draft(status=ApplicationStatus.SUBMITTED)
    url = reverse("applicants:application_withdraw", args=[application.pk])
    assert "cannot be submitted again" in logged_in.get(url).content.decode()
    logged_in.post(url, {"reason": "I found a job."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


@pytest.fixture
def requested(make_draft):
    application = make_draft(status=ApplicationStatus.SUBMITTED)
    services.documents_request(application=application, kinds=["cv", "certificate"], by=None)
    return application


def test_upload_a_requested_document(logged_in, requested, private_media):
    document = requested.documents.get(kind="cv")
    url = reverse("applicants:document_upload", args=[requested.pk, document.pk])
    response = logged_in.post(url, {"file": SimpleUploadedFile("my cv.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED
    assert document.original_name == "my_cv.pdf"
    served = logged_in.get(reverse("applicants:document_file", args=[document.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    served.close()
    assert served["Content-Type"] == "application/pdf"


def test_a_bad_file_is_refused_and_the_rest_kept(logged_in, requested, private_media):
    cv, certificate = requested.documents.get(kind="cv"), requested.documents.get(kind="certificate")
    services.document_upload(
        document=certificate, upload=SimpleUploadedFile("c.pdf", PDF), by=requested.applicant
    )
    url = reverse("applicants:document_upload", args=[requested.pk, cv.pk])
    response = logged_in.post(
        url, {"file": SimpleUploadedFile("cv.pdf", b"MZ\x90 not a pdf", "application/pdf")}
    )
    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG files are accepted" in response.content.decode()
    cv.refresh_from_db()
    certificate.refresh_from_db()
    assert cv.status == DocumentStatus.REQUESTED
    assert certificate.status == DocumentStatus.UPLOADED
    response = logged_in.post(url, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.fixture
def other_application(fy2024, make_draft, private_media):
    other = UserFactory()
    application = make_draft(user=other, status=ApplicationStatus.SUBMITTED)
    services.documents_request(application=application, kinds=["cv"], by=None)
    document = application.documents.get()
    services.document_upload(document=document, upload=SimpleUploadedFile("cv.pdf", PDF), by=other)
    return application


def test_an_applicant_cannot_reach_another_applicants_data(logged_in, other_application):
    document = other_application.documents.get()
    for url, method in [
        (reverse("applicants:application_detail", args=[other_application.pk]), "get"),
        (reverse("applicants:application_withdraw", args=[other_application.pk]), "get"),
        (reverse("applicants:application_withdraw", args=[other_application.pk]), "post"),
        (reverse("applicants:document_upload", args=[other_application.pk, document.pk]), "post"),
        (reverse("applicants:document_file", args=[document.pk]), "get"),
    ]:
        assert getattr(logged_in, method)(url).status_code == 404, url
    other_application.refresh_from_db()
    assert other_application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("pk", [0, 2**31, 2**63, 10**30])
def test_an_id_no_application_has_is_404(logged_in, draft, pk):
    for name in ("applicants:application_detail", "applicants:application_withdraw"):
        assert logged_in.get(reverse(name, args=[pk])).status_code == 404


def test_staff_open_files_and_strangers_must_log_in(client, staff, other_application):
    url = reverse("applicants:document_file", args=[other_application.documents.get().pk])
    assert client.get(url).status_code == 302
    client.force_login(staff)
    response = client.get(url)
    response.close()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_files_are_not_under_a_public_url(client, staff, other_application):
    name = other_application.documents.get().file.name
    client.force_login(staff)
    for url in (f"/{name}", f"/media/{name}", f"/static/{name}"):
        assert client.get(url).status_code == 404, url


def test_status_page_query_count_is_fixed(logged_in, make_draft, django_assert_num_queries):
    application = make_draft(status=ApplicationStatus.SUBMITTED)
    url = reverse("applicants:application_detail", args=[application.pk])
    services.documents_request(application=application, kinds=["cv"], by=None)
    logged_in.get(url)  # keeps the current cycle: session, user, application, documents from here on
    with django_assert_num_queries(4):
        logged_in.get(url)
    services.documents_request(
        application=application, kinds=["certificate", "recommendation", "language", "qualification"], by=None
    )
    with django_assert_num_queries(4):
        assert logged_in.get(url).content.decode().count("<strong>") >= 5


@pytest.mark.parametrize(
    ("name", "args", "queries"),
    [("applicants:entry_review", [], 3), ("applicants:entry_step", ["languages"], 3)],
)
def test_entry_pages_query_counts_are_fixed(
    logged_in, applicant, django_assert_num_queries, name, args, queries
):
    """Session, user, application: the current cycle and its country list (the eligibility facts) come from
    the cache, whatever the list's length."""
    logged_in.post(reverse("applicants:entry_step", args=["personal"]), STEP_POSTS["personal"])
    with django_assert_num_queries(queries):
        logged_in.get(reverse(name, args=args))
    fill_all_steps(logged_in)
    with django_assert_num_queries(queries):
        logged_in.get(reverse(name, args=args))


def test_documents_listing_matches_the_database(requested):
    assert set(Document.objects.filter(application=requested).values_list("kind", flat=True)) == {
        "cv",
        "certificate",
    }


def test_every_entry_step_field_is_an_answer_the_service_accepts():
    from applicants.forms import ENTRY_STEPS

    fields = {name for step in ENTRY_STEPS for name in step.form.Meta.fields}
    assert fields == services.DRAFT_FIELDS
    assert tuple(step.slug for step in ENTRY_STEPS) == services.ENTRY_STEP_SLUGS


def test_a_draft_save_cannot_touch_the_status(draft, in_window):
    with pytest.raises(ValueError, match="status"):
        services.application_draft_save(application=draft, data={"status": "pool"}, step="personal", by=None)
