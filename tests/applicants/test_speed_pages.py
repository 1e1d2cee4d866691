"""The faster submission flow shows and does what it did: the answers, badges and progress as before, and the
submission's queries a fixed number whatever the size of the cycle."""

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django_countries.fields import Country

from applicants import eligibility, presentation, services
from applicants.models import Application, ApplicationStatus
from jip import selectors as cycle_selectors_module
from jip import services as cycle_services

from ..factories import ApplicationFactory, UserFactory
from ..services import require

pytestmark = pytest.mark.django_db


def answers_as_before(application: Application, step) -> list[tuple[str, str]]:
    """The answers as the review page showed them before: get_FOO_display, then `default:"—"|linebreaksbr`."""
    rows = []
    for name, field in step.form.base_fields.items():
        value = getattr(application, name)
        if hasattr(application, f"get_{name}_display") and value not in (None, ""):
            shown = getattr(application, f"get_{name}_display")()
        elif isinstance(value, Country):
            shown = value.name if value else ""
        elif isinstance(value, bool):
            shown = translation.gettext("Yes") if value else translation.gettext("No")
        elif isinstance(value, dt.date):
            shown = date_format(value, "DATE_FORMAT")
        else:
            shown = "" if value is None else str(value)
        rows.append((str(field.label), linebreaksbr(shown or "—", autoescape=True)))
    return rows


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(
    "answers",
    [
        {},  # the factory's complete, eligible answers
        {
            "nationality": "",
            "residence_country": "JP",
            "birth_date": None,
            "jlpt_level": None,
            "english_evidence": "toefl_ibt",
            "english_score": Decimal("95.0"),
            "degree": "",
            "participated_before": None,
            "participated_fiscal_year": None,
            "motivation": "Line one <b>bold</b> & more\r\nline two\rline three\nline four",
            "skills": "",
            "can_dedicate": False,
        },
        {
            "participated_before": True,
            "participated_fiscal_year": 2019,
            "cefr_level": "B2",
            "name_ja": "グエン",
        },
    ],
)
def test_answers_read_as_before(fy2024, language, answers):
    application = ApplicationFactory(status=ApplicationStatus.DRAFT, **answers)
    application.refresh_from_db()
    with translation.override(language):
        for step in presentation.STEPS:
            assert presentation.answer_rows(application, step) == answers_as_before(application, step), (
                step.slug
            )


def badge_html(outcome: str, waivable: bool) -> str:
    application = Application(
        status=ApplicationStatus.SUBMITTED,
        eligibility=[{"rule": "age", "outcome": outcome, "reason": "Why.", "waivable": waivable}],
    )
    return render_to_string(
        "applicants/includes/outcomes.html", {"outcomes": presentation.outcomes_for_display(application)}
    )


@pytest.mark.parametrize(
    ("outcome", "waivable", "badge"),
    [
        (eligibility.PASS, False, '<span class="badge text-bg-success">Met</span>'),
        (eligibility.WAIVED, True, '<span class="badge text-bg-info">Accepted by the office</span>'),
        (eligibility.INCOMPLETE, True, '<span class="badge text-bg-secondary">To complete</span>'),
        (eligibility.FAIL, False, '<span class="badge text-bg-danger">Not met</span>'),
        (eligibility.FAIL, True, '<span class="badge text-bg-warning">Office decides</span>'),
    ],
)
def test_each_outcome_wears_its_badge(outcome, waivable, badge):
    html = badge_html(outcome, waivable)
    assert badge in html
    assert html.count('class="badge') == 1
    assert '<strong>Age</strong><br><span class="small">Why.</span>' in html


def test_badges_and_titles_follow_the_language():
    with translation.override("ja"):
        expected_title = translation.gettext("Age")
        expected_badge = translation.gettext("Office decides")
        html = badge_html(eligibility.FAIL, True)
    assert f"<strong>{expected_title}</strong>" in html
    assert f">{expected_badge}</span>" in html
    assert "Office decides" in badge_html(eligibility.FAIL, True)  # and back in English


def test_progress_marks_done_steps_and_the_current_one(fy2024):
    application = ApplicationFactory(status=ApplicationStatus.DRAFT, steps_done=["personal", "languages"])
    items = presentation.progress_steps(application, "languages")
    assert [(i["slug"], i["state"], i["mark"]) for i in items] == [
        ("personal", "step-done", "✓"),
        ("education", "", "2"),
        ("languages", "step-current", "3"),
        ("course", "", "4"),
        ("motivation", "", "5"),
        ("declarations", "", "6"),
        ("review", "", "7"),
    ]
    assert items[0]["url"] == reverse("applicants:entry_step", args=["personal"])
    assert items[-1]["url"] == reverse("applicants:entry_review")
    html = render_to_string(
        "applicants/includes/progress.html", {"progress": items, "number": 3, "total": 7, "percent": 29}
    )
    assert '<li class="step step-current" aria-current="step">' in html
    assert '<span class="step-mark">✓</span> Personal details</a>' in html
    assert '<span class="step-mark">7</span> Review and submit</a>' in html


def test_the_submission_finds_the_application_of_its_cycle_only(fy2024, in_window):
    applicant = UserFactory()
    steps = [s.slug for s in presentation.STEPS]
    older = ApplicationFactory(applicant=applicant, status=ApplicationStatus.DRAFT, steps_done=steps)
    newer_cycle = cycle_services.cycle_copy(source=fy2024, fiscal_year=2025, publish=True)
    submit = services.application_submit_for
    assert submit(applicant=applicant, cycle=newer_cycle, by=applicant) == (None, False)
    older.refresh_from_db()
    assert older.status == ApplicationStatus.DRAFT  # the older cycle's draft is left alone
    found, submitted = submit(applicant=applicant, cycle=fy2024, by=applicant)
    assert (found.pk, found.status, submitted) == (older.pk, ApplicationStatus.SUBMITTED, True)
    again, submitted = submit(applicant=applicant, cycle=fy2024, by=applicant)
    assert (again.pk, submitted) == (older.pk, False)  # a second click submits nothing more
    assert submit(applicant=UserFactory(), cycle=fy2024, by=applicant) == (None, False)


def test_the_submit_page_submits_in_the_current_cycle_only(client, fy2024, in_window):
    applicant = UserFactory()
    steps = [s.slug for s in presentation.STEPS]
    older = ApplicationFactory(applicant=applicant, status=ApplicationStatus.DRAFT, steps_done=steps)
    cycle_services.cycle_copy(source=fy2024, fiscal_year=2025, publish=True)
    client.force_login(applicant)
    assert client.post(reverse("applicants:entry_submit")).status_code == 404  # none in FY2025
    older.refresh_from_db()
    assert older.status == ApplicationStatus.DRAFT


@pytest.mark.parametrize("others", [0, 30])
@pytest.mark.parametrize("cycle_kept", [False, True])
def test_a_submission_reads_and_writes_a_fixed_number_of_rows(
    client,
    fy2024,
    in_window,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    others,
    cycle_kept,
):
    """Session, user, the current cycle (none once the cache keeps it, as on a busy site); the service's
    savepoint, lock (finding the application with its cycle), update, history row, audit entry and release;
    the mail task reads nothing (the facts come with it). The same however many applications there are."""
    ApplicationFactory.create_batch(others)
    application = ApplicationFactory(
        status=ApplicationStatus.DRAFT, steps_done=[s.slug for s in presentation.STEPS]
    )
    client.force_login(application.applicant)
    if cycle_kept:
        cycle_selectors_module.cycle_current()
    with django_assert_num_queries(8 if cycle_kept else 9), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applicants:entry_submit"))
    assert response["Location"] == reverse("applicants:application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_status_page_of_an_earlier_cycle_names_that_cycle(client, fy2024, django_assert_num_queries):
    """The current cycle is read once for the header and the page; an earlier cycle's page reads its own."""
    application = ApplicationFactory()
    cycle_services.cycle_copy(source=fy2024, fiscal_year=2025, publish=True)
    client.force_login(application.applicant)
    url = reverse("applicants:application_detail", args=[application.pk])
    client.get(url)  # keeps the current cycle (FY2025): the page reads FY2024 itself
    with django_assert_num_queries(5):
        page = client.get(url).content.decode()
    assert f'<dd class="col-sm-8">{fy2024.name_en}</dd>' in page


@pytest.mark.parametrize("service", ["application_submit", "application_submit_for"])
def test_a_submission_locks_the_application_row_only(fy2024, in_window, service):
    """Locking the joined cycle row too would queue every submission of the cycle behind the others."""
    require(connection.vendor == "postgresql", "row locks are PostgreSQL's (SQLite ignores FOR UPDATE)")
    application = ApplicationFactory(
        status=ApplicationStatus.DRAFT, steps_done=[s.slug for s in presentation.STEPS]
    )
    with CaptureQueriesContext(connection) as queries:
        if service == "application_submit":
            services.application_submit(application=application, by=application.applicant)
        else:
            services.application_submit_for(
                applicant=application.applicant, cycle=application.cycle, by=application.applicant
            )
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert len(locks) == 1
    assert locks[0].endswith('FOR UPDATE OF "applicants_application"')


def test_the_office_lists_index_has_the_lists_order(db):
    """The admin orders by `submitted_at DESC NULLS LAST, id DESC`: an index in another NULLS order could not
    serve it, and every page of the list would sort the whole table."""
    require(connection.vendor == "postgresql", "NULLS LAST indexes are PostgreSQL's (SQLite has none)")
    # The suite builds its tables from the models (--no-migrations): the migration that makes the index is
    # run here, in the test's transaction.
    migration = import_module("applicants.migrations.0003_application_newest_first_nulls_last")
    with connection.schema_editor() as editor:
        migration._remake(migration.NULLS_LAST)(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'application_newest_first'")
        (definition,) = cursor.fetchone()
    assert definition.endswith("(submitted_at DESC NULLS LAST, id DESC)")
    from applicants.admin.applications import ApplicationAdmin

    (first, second) = ApplicationAdmin.ordering
    assert (first.expression.name, first.descending, first.nulls_last) == ("submitted_at", True, True)
    assert second == "-pk"


def test_rows_escape_what_is_not_already_safe():
    from django.utils.safestring import mark_safe

    from applicants.templatetags.applicant_rows import answer_rows, outcome_rows

    html = answer_rows([("<Label>", mark_safe("line<br>two")), ("Plain", "x & <y>")])
    assert html == (
        '<dt class="col-sm-5">&lt;Label&gt;</dt>\n<dd class="col-sm-7 text-break">line<br>two</dd>\n'
        '<dt class="col-sm-5">Plain</dt>\n<dd class="col-sm-7 text-break">x &amp; &lt;y&gt;</dd>'
    )
    html = outcome_rows(
        [
            {
                "badge": "text-bg-danger",
                "badge_label": "Not met",
                "title": "<T>",
                "reason": "<script>1</script>",
            }
        ]
    )
    assert '<strong>&lt;T&gt;</strong><br><span class="small">&lt;script&gt;1&lt;/script&gt;</span>' in html
    assert "<script>" not in html


def test_review_page_shows_each_answer_once_escaped(client, make_draft, in_window):
    application = make_draft(motivation="I <3 Japan & its <b>crafts</b>\nSecond line")
    client.force_login(application.applicant)
    html = client.get(reverse("applicants:entry_review")).content.decode()
    assert "I &lt;3 Japan &amp; its &lt;b&gt;crafts&lt;/b&gt;<br>Second line" in html
    assert html.count('<dt class="col-sm-5">') == sum(len(s.form.base_fields) for s in presentation.STEPS)
    assert html.count(">Edit</a>") == len(presentation.STEPS)


def test_saving_a_step_changes_the_progress_fragments_key(client, applicant, fy2024, in_window):
    """The steps' progress is a cached fragment: what an applicant has done is in its key, so a step saved
    shows as done at once, in each language, rather than the fragment kept before."""
    from .test_views import STEP_POSTS

    client.force_login(applicant)
    url = reverse("applicants:entry_step", args=["education"])
    for language in ("en", "ja"):
        client.cookies["django_language"] = language
        with translation.override(language):
            personal = translation.gettext("Personal details")
        assert f'<span class="step-mark">1</span> {personal}</a>' in client.get(url).content.decode()
    client.post(reverse("applicants:entry_step", args=["personal"]), STEP_POSTS["personal"])
    for language in ("en", "ja"):
        client.cookies["django_language"] = language
        with translation.override(language):
            personal = translation.gettext("Personal details")
        assert f'<span class="step-mark">✓</span> {personal}</a>' in client.get(url).content.decode()


@pytest.mark.parametrize("pk", [2**31, 2**63, 10**30])
def test_an_id_no_column_can_hold_answers_404(client, fy2024, pk):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    assert client.get(reverse("applicants:application_detail", args=[pk])).status_code == 404
    assert client.get(reverse("applicants:application_withdraw", args=[pk])).status_code == 404
