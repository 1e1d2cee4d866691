"""The JIP office's workplace for applications and documents, through the admin as staff use it."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from applicants import eligibility
from applicants.models import Application, DocumentKind, DocumentStatus
from applicants.models import ApplicationStatus as S
from jip import services as jip_services
from jip.clock import JST
from jip.models import AuditEntry

from ..factories import ApplicationFactory, DocumentFactory

pytestmark = pytest.mark.django_db

# After the FY2024 deadline (30 June 2024, JST): the office screens what was submitted.
SCREENING_DAY = dt.datetime(2024, 7, 10, 10, 0, tzinfo=JST)


@pytest.fixture
def office(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    return client


@pytest.fixture
def screening_day(time_machine):
    time_machine.move_to(SCREENING_DAY, tick=False)
    return SCREENING_DAY


def changelist_url() -> str:
    return reverse("admin:applicants_application_changelist")


def change_url(application: Application) -> str:
    return reverse("admin:applicants_application_change", args=[application.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response) -> set[int]:
    return {a.pk for a in response.context["cl"].result_list}


def act(client, action: str, rows, url: str | None = None, **extra):
    """Runs an admin action on the selected rows and follows to the list, where its messages show."""
    data = {"action": action, "_selected_action": [row.pk for row in rows], **extra}
    return client.post(url or changelist_url(), data, follow=True)


def change_form_post(client, url: str, **changes):
    """The change page as the browser submits it: its editable fields and inline management forms."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for i, inline_form in enumerate(formset.forms):
            data[f"{formset.prefix}-{i}-id"] = inline_form.instance.pk
            data[f"{formset.prefix}-{i}-application"] = inline_form.instance.application_id
    data.update(changes)
    return client.post(url, data)


# --- Finding applications -------------------------------------------------------------------------


def test_changelist_counts_applications_per_status(office, fy2024):
    ApplicationFactory.create_batch(2, cycle=fy2024)
    ApplicationFactory(cycle=fy2024, status=S.DOCUMENT_REVIEW)
    draft = ApplicationFactory(cycle=fy2024, status=S.DRAFT, submitted_at=None)

    response = office.get(changelist_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Applications by status" in html
    assert '<td data-status="submitted">2</td>' in html
    assert '<td data-status="document_review">1</td>' in html
    assert '<td data-status="draft">1</td>' in html
    assert '<td data-status="pool">0</td>' in html
    assert draft.number in html
    assert f'<a href="{reverse("admin:applicants_application_export")}?" class="export_link">' in html

    # The counts keep every status while the list shows one, so the office sees the whole pipeline.
    response = office.get(changelist_url(), {"status__exact": S.SUBMITTED})
    assert len(listed(response)) == 2
    html = response.content.decode()
    assert '<td data-status="submitted">2</td>' in html
    assert '<td data-status="document_review">1</td>' in html


def test_status_counts_follow_the_other_filters(office, fy2024):
    fy2025 = jip_services.cycle_copy(source=fy2024, fiscal_year=2025)
    ApplicationFactory(cycle=fy2024)
    ApplicationFactory.create_batch(3, cycle=fy2025, number=None)

    response = office.get(changelist_url(), {"cycle__id__exact": fy2024.pk})

    assert '<td data-status="submitted">1</td>' in response.content.decode()


def test_search_by_number_e_mail_and_name(office, fy2024):
    by_number = ApplicationFactory(cycle=fy2024, number="JIP24-000777")
    by_email = ApplicationFactory(cycle=fy2024, applicant__email="tran.minh@example.org")
    by_name = ApplicationFactory(cycle=fy2024, family_name="Bhattarai", given_names="Sita")

    assert listed(office.get(changelist_url(), {"q": "JIP24-000777"})) == {by_number.pk}
    assert listed(office.get(changelist_url(), {"q": "tran.minh@example"})) == {by_email.pk}
    assert listed(office.get(changelist_url(), {"q": "bhattarai sita"})) == {by_name.pk}


def test_filters(office, fy2024):
    fy2025 = jip_services.cycle_copy(source=fy2024, fiscal_year=2025)
    vietnam = ApplicationFactory(cycle=fy2024)
    philippines = ApplicationFactory(
        cycle=fy2024,
        nationality="PH",
        residence_country="JP",
        course_preference="online",
        jlpt_level=None,
        english_evidence="toeic",
        english_score=Decimal("800"),
    )
    next_year = ApplicationFactory(cycle=fy2025, number="JIP25-000001")
    assert philippines.is_eligible is False  # lives in Japan

    def filtered(**params):
        return listed(office.get(changelist_url(), params))

    assert filtered(cycle__id__exact=fy2025.pk) == {next_year.pk}
    assert filtered(nationality="PH") == {philippines.pk}
    assert filtered(residence_country="VN") == {vietnam.pk, next_year.pk}
    assert filtered(course_preference__exact="online") == {philippines.pk}
    assert filtered(jlpt_level__exact=2) == {vietnam.pk, next_year.pk}
    assert filtered(english_evidence__exact="toeic") == {philippines.pk}
    assert filtered(is_eligible__exact=0) == {philippines.pk}
    assert filtered(status__exact=S.SUBMITTED, cycle__id__exact=fy2024.pk) == {vietnam.pk, philippines.pk}


def test_applicants_get_no_application_pages(client, applicant, fy2024):
    ApplicationFactory(cycle=fy2024, applicant=applicant)
    client.force_login(applicant)
    for url in (
        changelist_url(),
        reverse("admin:applicants_application_export"),
        reverse("admin:applicants_document_changelist"),
    ):
        assert client.get(url, follow=True).status_code == 403, url


# --- Moving applications through screening ---------------------------------------------------------

ACTIONS = [
    # action, from, to, a status the move is refused from, the audit action
    ("move_to_document_review", S.SUBMITTED, S.DOCUMENT_REVIEW, S.DRAFT, "application.status"),
    ("request_documents", S.DOCUMENT_REVIEW, S.DOCUMENTS_REQUESTED, S.DRAFT, "application.status"),
    ("move_to_office_interview", S.DOCUMENT_REVIEW, S.OFFICE_INTERVIEW, S.SUBMITTED, "application.status"),
    ("move_to_pool", S.OFFICE_INTERVIEW, S.POOL, S.DRAFT, "application.status"),
    ("reject", S.SUBMITTED, S.REJECTED, S.DRAFT, "application.status"),
    ("mark_withdrawn", S.SUBMITTED, S.WITHDRAWN, S.REJECTED, "application.withdrawn"),
]


@pytest.mark.parametrize(("action", "source", "target", "refused_from", "audit_action"), ACTIONS)
def test_bulk_action_moves_rows_and_reports_refusals(
    office,
    staff_with_mfa,
    fy2024,
    screening_day,
    django_capture_on_commit_callbacks,
    action,
    source,
    target,
    refused_from,
    audit_action,
):
    movable = ApplicationFactory.create_batch(2, cycle=fy2024, status=source)
    stuck = ApplicationFactory(cycle=fy2024, status=refused_from)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, action, [*movable, stuck])

    assert response.redirect_chain == [(changelist_url(), 302)]
    for application in movable:
        application.refresh_from_db()
        assert application.status == target
        assert application.status_changed_at == SCREENING_DAY
    stuck.refresh_from_db()
    assert stuck.status == refused_from

    refusal = (
        "This application can no longer be withdrawn."
        if target == S.WITHDRAWN
        else f"An application that is “{S(refused_from).label}” cannot be moved to “{S(target).label}”."
    )
    assert messages_of(response) == [
        f"2 applications moved to “{S(target).label}”.",
        f"1 application could not be moved: {stuck.number}: {refusal}",
    ]
    entries = AuditEntry.objects.filter(action=audit_action, target_type="applicants.application")
    assert sorted(entries.values_list("target_id", flat=True)) == sorted(str(a.pk) for a in movable)
    assert {entry.actor for entry in entries} == {staff_with_mfa}
    # One e-mail to each applicant whose application moved, naming it.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.applicant.email for a in movable)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert all(a.number in subjects[a.applicant.email] for a in movable)


def test_a_note_for_the_record_goes_into_the_audit_entry(office, fy2024, screening_day):
    application = ApplicationFactory(cycle=fy2024)

    act(office, "reject", [application], reason="Motivation does not fit the program.")

    entry = AuditEntry.objects.get(action="application.status", target_id=str(application.pk))
    assert entry.data == {
        "from": "submitted",
        "to": "rejected",
        "reason": "Motivation does not fit the program.",
    }


def test_request_documents_creates_the_required_documents(office, fy2024, screening_day):
    with_certificate = ApplicationFactory(cycle=fy2024, status=S.DOCUMENT_REVIEW)
    native_speaker = ApplicationFactory(
        cycle=fy2024, status=S.DOCUMENT_REVIEW, jlpt_level=None, english_evidence="native", english_score=None
    )

    act(office, "request_documents", [with_certificate, native_speaker])

    expected = {DocumentKind.CV, DocumentKind.ENROLLMENT_OR_GRADUATION, DocumentKind.RECOMMENDATION}
    assert set(with_certificate.documents.values_list("kind", flat=True)) == {
        *expected,
        DocumentKind.LANGUAGE_CERTIFICATE,
    }
    assert set(native_speaker.documents.values_list("kind", flat=True)) == expected
    assert set(with_certificate.documents.values_list("status", flat=True)) == {DocumentStatus.REQUESTED}
    # The documents appear on the application's page, waiting for the applicant.
    html = office.get(change_url(with_certificate)).content.decode()
    assert "Recommendation letter" in html
    assert "no file yet" in html


# --- One application on its page ----------------------------------------------------------------


def test_change_page_shows_the_answers_and_the_eligibility_reasons(office, fy2024):
    application = ApplicationFactory(cycle=fy2024, family_name="Nguyen", birth_date=dt.date(1980, 1, 15))
    document = DocumentFactory(
        application=application, file="applications/1/abc.pdf", original_name="my-cv.pdf"
    )

    response = office.get(change_url(application))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Personal details",
        "Education",
        "Languages",
        "Declarations",
        "Nguyen",
        "Vietnam National University, Hanoi",
        "44 on Aug. 1, 2024",
    ):
        assert text in html, text
    # Each rule's outcome as a row of a table: its title, the outcome in words and the kept reason.
    outcomes = {o["rule"]: o for o in application.eligibility}
    assert outcomes["age"]["outcome"] == "fail"
    for rule, label in [("nationality", "Met"), ("age", "Not met"), ("declarations", "Met")]:
        row = (
            f'<tr><th scope="row">{eligibility.title(rule)}</th><td class="outcome-{outcomes[rule]["outcome"]}">'
            f"{label}</td><td>{escape(outcomes[rule]['reason'])}</td></tr>"
        )
        assert row in html, row
    try:
        file_url = reverse("applicants:document_file", args=[document.pk])
    except NoReverseMatch:
        assert "my-cv.pdf" in html
    else:
        assert f'href="{file_url}"' in html
    # Answers and status are shown, never offered for editing.
    form = response.context["adminform"].form
    assert set(form.fields) == {"waive_age_rule", "age_waiver_reason"}


def test_the_page_changes_neither_answers_nor_status(office, fy2024):
    application = ApplicationFactory(cycle=fy2024, family_name="Nguyen")

    response = change_form_post(office, change_url(application), status=S.POOL, family_name="Changed")

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.family_name) == (S.SUBMITTED, "Nguyen")
    assert not AuditEntry.objects.filter(target_type="applicants.application").exists()


def test_history_page_opens(office, fy2024):
    application = ApplicationFactory(cycle=fy2024)

    response = office.get(reverse("admin:applicants_application_history", args=[application.pk]))

    assert response.status_code == 200
    assert application.number in response.content.decode()


def test_there_is_no_add_or_delete(office, fy2024):
    application = ApplicationFactory(cycle=fy2024)
    assert office.get(reverse("admin:applicants_application_add")).status_code == 403
    assert (
        office.get(reverse("admin:applicants_application_delete", args=[application.pk])).status_code == 403
    )


# --- The age waiver --------------------------------------------------------------------------------


def test_age_waiver_with_a_reason(office, staff_with_mfa, fy2024, screening_day):
    application = ApplicationFactory(cycle=fy2024, birth_date=dt.date(1980, 1, 15))
    assert application.is_eligible is False

    response = change_form_post(
        office,
        change_url(application),
        waive_age_rule="on",
        age_waiver_reason="Career changer the ministry invited.",
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.age_waived is True
    assert application.age_waiver_reason == "Career changer the ministry invited."
    assert application.is_eligible is True
    age = next(o for o in application.eligibility if o["rule"] == "age")
    assert age["outcome"] == "waived"
    entry = AuditEntry.objects.get(action="application.age_waived", target_id=str(application.pk))
    assert entry.actor == staff_with_mfa
    assert entry.data == {"reason": "Career changer the ministry invited."}
    assert application.history.first().history_user == staff_with_mfa
    assert "Waived by the JIP office" in office.get(change_url(application)).content.decode()


def test_age_waiver_without_a_reason_is_refused(office, fy2024):
    application = ApplicationFactory(cycle=fy2024, birth_date=dt.date(1980, 1, 15))

    response = change_form_post(office, change_url(application), waive_age_rule="on", age_waiver_reason="  ")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "age_waiver_reason": ["Give the reason for waiving the age rule."]
    }
    application.refresh_from_db()
    assert application.age_waived is False
    assert not AuditEntry.objects.filter(action="application.age_waived").exists()


# --- Documents ----------------------------------------------------------------------------------


def document_url(document) -> str:
    return reverse("admin:applicants_document_change", args=[document.pk])


def test_document_rejected_without_a_reason_shows_the_error_beside_the_field(office, fy2024):
    document = DocumentFactory(application__cycle=fy2024)

    response = office.post(document_url(document), {"decision": "reject", "reason": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "reason": ["Say why the document must be sent again."]
    }
    html = response.content.decode()
    # The message sits in the reason's row and is tied to its textarea.
    assert (
        '<ul class="errorlist" id="id_reason_error"><li>Say why the document must be sent again.</li></ul>'
        in html
    )
    assert 'aria-describedby="id_reason_helptext id_reason_error" id="id_reason"' in html
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED


def test_document_rejected_with_a_reason(office, staff_with_mfa, fy2024, screening_day):
    document = DocumentFactory(application__cycle=fy2024)

    response = office.post(
        document_url(document), {"decision": "reject", "reason": "The scan is unreadable."}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED
    assert document.reason == "The scan is unreadable."
    assert document.reviewed_at == SCREENING_DAY
    entry = AuditEntry.objects.get(action="document.rejected", target_id=str(document.pk))
    assert (entry.actor, entry.data) == (staff_with_mfa, {"reason": "The scan is unreadable."})


def test_document_accepted_on_its_page(office, fy2024, screening_day):
    document = DocumentFactory(application__cycle=fy2024, status=DocumentStatus.REJECTED, reason="Blurred.")

    response = office.post(document_url(document), {"decision": "accept", "reason": "Blurred."})

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.reason) == (DocumentStatus.ACCEPTED, "")


def test_nothing_to_decide_before_the_upload(office, fy2024):
    document = DocumentFactory(application__cycle=fy2024, status=DocumentStatus.REQUESTED, original_name="")

    page = office.get(document_url(document))
    assert page.context["adminform"].form.fields["decision"].disabled
    office.post(document_url(document), {"decision": "accept", "reason": ""})

    document.refresh_from_db()
    assert document.status == DocumentStatus.REQUESTED
    assert not AuditEntry.objects.filter(action="document.accepted").exists()


def test_document_actions_accept_and_send_back(office, fy2024, screening_day):
    application = ApplicationFactory(cycle=fy2024, status=S.DOCUMENTS_REQUESTED)
    cv = DocumentFactory(application=application, kind=DocumentKind.CV)
    letter = DocumentFactory(application=application, kind=DocumentKind.RECOMMENDATION)
    waiting = DocumentFactory(
        application=application, kind=DocumentKind.ENROLLMENT_OR_GRADUATION, status=DocumentStatus.REQUESTED
    )
    url = reverse("admin:applicants_document_changelist")

    response = act(office, "accept", [cv, waiting], url)
    assert messages_of(response) == [
        "1 document accepted.",
        f"1 document could not be reviewed: {application.number} Certificate of enrollment or graduation: "
        "Nothing has been uploaded for this document yet.",
    ]

    response = act(office, "reject", [letter], url, reason="")
    assert messages_of(response) == [
        f"1 document could not be reviewed: {application.number} Recommendation letter: "
        "Say why the document must be sent again."
    ]
    response = act(office, "reject", [letter], url, reason="Signature missing.")
    assert messages_of(response) == ["1 document sent back to the applicant."]

    cv.refresh_from_db()
    letter.refresh_from_db()
    waiting.refresh_from_db()
    assert cv.status == DocumentStatus.ACCEPTED
    assert (letter.status, letter.reason) == (DocumentStatus.REJECTED, "Signature missing.")
    assert waiting.status == DocumentStatus.REQUESTED


# --- Export -------------------------------------------------------------------------------------


def export(client, file_format: str, **filters):
    url = reverse("admin:applicants_application_export")
    form = client.get(url, filters).context["form"]
    formats = {label: value for value, label in form.fields["format"].choices}
    data = {"format": formats[file_format], "resource": "0"}
    # Every column ticked, as the form offers them.
    data |= {name: "on" for name, f in form.fields.items() if getattr(f, "is_selectable_field", False)}
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return client.post(f"{url}?{query}" if query else url, data)


def test_csv_export_of_the_filtered_list(office, fy2024):
    submitted = ApplicationFactory(cycle=fy2024, family_name='=HYPERLINK("http://evil.example")')
    draft = ApplicationFactory(cycle=fy2024, status=S.DRAFT, submitted_at=None)

    response = export(office, "csv", status__exact=S.SUBMITTED)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    header = text.splitlines()[0]
    assert header.startswith("application number,fiscal year,status,family name,given names,e-mail")
    assert submitted.number in text
    assert submitted.applicant.email in text
    assert "Vietnam" in text
    assert draft.number not in text
    # An applicant's text never reaches a spreadsheet as a formula.
    assert "'=HYPERLINK" in text


def test_xlsx_export(office, fy2024):
    application = ApplicationFactory(cycle=fy2024)

    response = export(office, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("application number", "fiscal year", "status")
    assert rows[1][:3] == (application.number, 2024, "Submitted")


# --- A constant number of queries, whatever the size of the list -----------------------------------


@pytest.mark.parametrize("size", [2, 30])
def test_application_changelist_queries_do_not_grow(office, fy2024, django_assert_num_queries, size):
    for i in range(size):
        ApplicationFactory(
            cycle=fy2024,
            status=[S.SUBMITTED, S.DOCUMENT_REVIEW, S.POOL][i % 3],
            nationality=["VN", "PH", "NP"][i % 3],
        )

    with django_assert_num_queries(13):
        response = office.get(changelist_url())

    assert len(response.context["cl"].result_list) == size


@pytest.mark.parametrize("size", [2, 30])
def test_document_changelist_queries_do_not_grow(office, fy2024, django_assert_num_queries, size):
    for application in ApplicationFactory.create_batch(size, cycle=fy2024):
        DocumentFactory(application=application)

    with django_assert_num_queries(10):
        response = office.get(reverse("admin:applicants_document_changelist"))

    assert len(response.context["cl"].result_list) == size
