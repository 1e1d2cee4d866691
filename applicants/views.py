"""The applicant's pages: the entry form in steps, review and submission, status, documents.

Every view states its permission; every object is looked up within the applicant's own rows, so another
applicant's id finds nothing (404).
"""

from __future__ import annotations

import datetime as dt
import html
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.hashable import make_hashable
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries.fields import CountryField

from jip import selectors as cycle_selectors
from jip.files import private_file_response
from jip.memo import kept, url_once
from jip.permissions import require_permission

from . import eligibility, forms, selectors, services
from .models import Application, Document, DocumentStatus

STEPS = forms.ENTRY_STEPS
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _step_titles() -> dict[str, str]:
    """Each step's title (and the review's) in the active language."""
    return _step_titles_in(get_language())


@kept(maxsize=8)
def _step_titles_in(language: str | None) -> dict[str, str]:
    """Translated once per process and language (jip.memo); `language` is the active one, the key."""
    return {step.slug: str(step.title) for step in STEPS} | {"review": _("Review and submit")}


def _progress(application: Application, current: str) -> list[dict]:
    """The steps for the progress bar: address, state, and mark (✓ for a step done, else its number)."""
    done, titles = application.steps_done, _step_titles()
    items = [
        (s.slug, titles[s.slug], s.slug in done, url_once("applicants:entry_step", s.slug)) for s in STEPS
    ]
    items.append(("review", titles["review"], False, url_once("applicants:entry_review")))
    return [
        {
            "slug": slug,
            "title": title,
            "done": done,
            "current": slug == current,
            "url": url,
            "state": "step-current" if slug == current else "step-done" if done else "",
            "mark": "✓" if done and slug != current else str(number),  # a string: no number formatting
        }
        for number, (slug, title, done, url) in enumerate(items, start=1)
    ]


def _progress_key(application: Application, current: str) -> tuple[str, ...]:
    """What the progress steps look like depends on this only (and the language): the templates' `{% cache %}`
    keeps their HTML per key."""
    return (current, *(s.slug for s in STEPS if s.slug in application.steps_done))


def _current_draft(request: HttpRequest) -> tuple[Application | None, HttpResponse | None]:
    """The applicant's application for the current cycle, or the page that says why there is none."""
    cycle = cycle_selectors.cycle_current_for(request)
    if cycle is None:
        return None, render(request, "applicants/closed.html", {"cycle": None}, status=404)
    application = selectors.application_for(applicant=request.user, cycle=cycle)
    if application is not None and not application.is_draft:
        return None, redirect("applicants:application_detail", pk=application.pk)
    status = cycle_selectors.cycle_deadline_status(cycle=cycle)
    if status.state != "open":
        return None, render(request, "applicants/closed.html", {"cycle": cycle, "deadline": status})
    if application is None:
        try:
            application = services.application_start(applicant=request.user, cycle=cycle)
        except ValidationError:
            return None, render(request, "applicants/closed.html", {"cycle": cycle, "deadline": status})
    return application, None


@require_permission("applicants.apply")
def entry_start(request: HttpRequest) -> HttpResponse:
    application, response = _current_draft(request)
    if response is not None:
        return response
    first_open = next((s.slug for s in STEPS if s.slug not in application.steps_done), None)
    return (
        redirect("applicants:entry_step", step=first_open)
        if first_open
        else redirect("applicants:entry_review")
    )


@require_permission("applicants.apply")
def entry_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_BY_SLUG:
        raise Http404
    application, response = _current_draft(request)
    if response is not None:
        return response
    spec = STEP_BY_SLUG[step]
    form = spec.form(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.application_draft_save(application=application, data=data, step=step, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            index = STEPS.index(spec)
            if "back" in request.POST and index > 0:
                return redirect("applicants:entry_step", step=STEPS[index - 1].slug)
            if index + 1 < len(STEPS):
                return redirect("applicants:entry_step", step=STEPS[index + 1].slug)
            return redirect("applicants:entry_review")
    index = STEPS.index(spec)
    return render(
        request,
        "applicants/entry_step.html",
        {
            "application": application,
            "form": form,
            "step": spec,
            "number": index + 1,
            "total": len(STEPS) + 1,
            "percent": round(100 * index / (len(STEPS) + 1)),
            "previous": STEPS[index - 1] if index else None,
            "progress": _progress(application, step),
            "progress_key": _progress_key(application, step),
        },
    )


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@kept(maxsize=len(STEPS))
def _answer_fields(slug: str) -> list[tuple[str, str, dict | None]]:
    """(name, kind, choices) of each answer of a step, read from the models once per process (jip.memo).

    kind is "choices" (shown by its label, as get_FOO_display shows it), "country" or "plain".
    """
    fields: list[tuple[str, str, dict | None]] = []
    for name in STEP_BY_SLUG[slug].form.base_fields:
        field = Application._meta.get_field(name)
        if isinstance(field, CountryField):
            fields.append((name, "country", None))
        elif field.choices is not None:
            choices = {make_hashable(value): label for value, label in field.flatchoices}
            fields.append((name, "choices", choices))
        else:
            fields.append((name, "plain", None))
    return fields


def _answer_words(step: forms.Step) -> tuple[list[str], list[dict | None], str, str]:
    """The step's labels, its choices' labels, "Yes" and "No" in the active language."""
    return _answer_words_in(get_language(), step.slug)


@kept(maxsize=8 * len(STEPS))
def _answer_words_in(language: str | None, slug: str) -> tuple[list[str], list[dict | None], str, str]:
    """Translated once per process, language and step (jip.memo); `language` is the active one, the key."""
    labels = [str(field.label) for field in STEP_BY_SLUG[slug].form.base_fields.values()]
    choices = [
        {value: force_str(label, strings_only=True) for value, label in field_choices.items()}
        if field_choices is not None
        else None
        for _name, _kind, field_choices in _answer_fields(slug)
    ]
    return labels, choices, _("Yes"), _("No")


def _html_lines(text: str) -> SafeString:
    """Text as the template filter `linebreaksbr` shows it: HTML-escaped, each line break a <br>."""
    escaped = html.escape(text)
    # SafeString rather than mark_safe(): the same, without its lazy-string wrapper; escaped just before.
    return SafeString(_LINE_BREAK.sub("<br>", escaped) if "\n" in text or "\r" in text else escaped)


def _answers(application: Application, step: forms.Step) -> list[tuple[str, SafeString]]:
    """Each answer of a step as the applicant would read it: labels, choices and dates in their language.

    The values come ready for the page: "—" when empty, HTML-escaped, line breaks as <br>.
    """
    labels, choices, yes, no = _answer_words(step)
    fields, rows = _answer_fields(step.slug), []
    for (name, kind, _choices), label, shown_as in zip(fields, labels, choices, strict=True):
        value = getattr(application, name)
        if kind == "country":
            shown = value.name if value else ""  # the name get_FOO_display gives, without the list
        elif kind == "choices" and value not in (None, ""):
            key = make_hashable(value)
            shown = shown_as[key] if key in shown_as else force_str(value, strings_only=True)
        elif isinstance(value, bool):
            shown = yes if value else no
        elif isinstance(value, dt.date):
            shown = date_format(value, "DATE_FORMAT")
        else:
            shown = "" if value is None else str(value)
        rows.append((label, _html_lines(str(shown or "—"))))
    return rows


def _outcomes_for_display(application: Application) -> list[dict]:
    """The stored outcomes, re-evaluated for a draft so the reasons come in the reader's language."""
    outcomes = (
        eligibility.evaluate(application)
        if application.is_draft
        else [eligibility.RuleOutcome(**o) for o in application.eligibility]
    )
    titles, badges = _outcome_words()
    shown = []
    for o in outcomes:
        badge, badge_label = badges[_badge(o)]
        shown.append(
            {
                "title": titles[o.rule],
                "outcome": o.outcome,
                "reason": o.reason,
                "blocks": o.blocks_submission,
                "badge": badge,
                "badge_label": badge_label,
            }
        )
    return shown


def _outcome_words() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Rule titles and badges (colour class, word) in the active language."""
    return _outcome_words_in(get_language())


@kept(maxsize=8)
def _outcome_words_in(language: str | None) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Translated once per process and language (jip.memo); `language` is the active one, the key."""
    titles = {rule: eligibility.title(rule) for rule in eligibility.RULE_TITLES}
    badges = {
        "met": ("text-bg-success", _("Met")),
        "waived": ("text-bg-info", _("Accepted by the office")),
        "incomplete": ("text-bg-secondary", _("To complete")),
        "not_met": ("text-bg-danger", _("Not met")),
        "office": ("text-bg-warning", _("Office decides")),
    }
    return titles, badges


def _badge(outcome: eligibility.RuleOutcome) -> str:
    """Which badge an outcome wears."""
    if outcome.outcome == eligibility.PASS:
        return "met"
    if outcome.outcome == eligibility.WAIVED:
        return "waived"
    if outcome.outcome == eligibility.INCOMPLETE:
        return "incomplete"
    return "not_met" if outcome.blocks_submission else "office"


@require_permission("applicants.apply")
def entry_review(request: HttpRequest) -> HttpResponse:
    application, response = _current_draft(request)
    if response is not None:
        return response
    outcomes = _outcomes_for_display(application)
    sections, titles = [], _step_titles()
    for step in STEPS:
        done = step.slug in application.steps_done
        sections.append(
            {
                "step": step,
                "title": titles[step.slug],
                "url": url_once("applicants:entry_step", step.slug),
                "answers": _answers(application, step) if done else [],  # a step not done shows none
                "done": done,
            }
        )
    return render(
        request,
        "applicants/entry_review.html",
        {
            "application": application,
            "outcomes": outcomes,
            "sections": sections,
            "can_submit": not any(o["blocks"] for o in outcomes)
            and all(step.slug in application.steps_done for step in STEPS),
            "progress": _progress(application, "review"),
            "progress_key": _progress_key(application, "review"),
            "deadline": cycle_selectors.cycle_deadline_status(cycle=application.cycle),
            "cycle": application.cycle,
        },
    )


@require_permission("applicants.apply")
@require_POST
def entry_submit(request: HttpRequest) -> HttpResponse:
    cycle = cycle_selectors.cycle_current_for(request)
    if cycle is None:
        raise Http404
    # The application of the current cycle is found and locked in one query by the service.
    try:
        application, submitted = services.application_submit_for(
            applicant=request.user, cycle=cycle, by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applicants:entry_review")
    if application is None:
        raise Http404
    if submitted:
        messages.success(
            request, _("Application complete: we have received your application and sent you an e-mail.")
        )
    # Already submitted (a second click or tab): nothing more to do than show it.
    return redirect("applicants:application_detail", pk=application.pk)


def _detail_context(application: Application, **extra) -> dict:
    documents = selectors.application_documents(application=application)
    for document in documents:
        document.can_upload = application.status != "withdrawn" and document.status in (
            DocumentStatus.REQUESTED,
            DocumentStatus.REJECTED,
        )
    return {
        "application": application,
        "outcomes": _outcomes_for_display(application),
        "documents": documents,
        # Built only when a document waits for a file: most status pages show no upload field.
        "upload_form": forms.DocumentUploadForm() if any(d.can_upload for d in documents) else None,
        "can_withdraw": application.status in services.WITHDRAWABLE,
        **extra,
    }


@require_permission("applicants.apply")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    current_cycle = cycle_selectors.cycle_current_for(request)  # read once: the header shows it too
    application = selectors.application_detail(applicant=request.user, pk=pk, current_cycle=current_cycle)
    if application is None:
        raise Http404
    return render(request, "applicants/application_detail.html", _detail_context(application))


@require_permission("applicants.apply")
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(applicant=request.user, pk=pk)
    if application is None:
        raise Http404
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("applicants:application_detail", pk=application.pk)
    return render(request, "applicants/application_withdraw.html", {"application": application, "form": form})


@require_permission("applicants.apply")
@require_POST
def document_upload(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = selectors.application_detail(applicant=request.user, pk=pk)
    if application is None:
        raise Http404
    document = get_object_or_404(Document, pk=document_pk, application=application)
    form = forms.DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(document=document, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
    if form.errors:
        # Back to the page with the message beside this document's field; nothing else was changed.
        context = _detail_context(application, failed_document=document.pk, failed_form=form)
        return render(request, "applicants/application_detail.html", context, status=400)
    messages.success(
        request, _("Thank you: %(document)s received.") % {"document": document.get_kind_display()}
    )
    return redirect(reverse("applicants:application_detail", args=[application.pk]) + "#documents")


@require_permission("applicants.apply")
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """Uploaded files are served only here, after the permission check, never from a public path."""
    document = Document.objects.select_related("application").filter(pk=pk).first()
    if (
        document is None
        or not document.file
        or not request.user.has_perm("applicants.view_document_file", document)
    ):
        raise Http404  # another person's file is indistinguishable from a missing one
    return private_file_response(
        document.file,
        content_type=document.content_type,
        filename=document.original_name,
        download=request.GET.get("download") == "1",
    )
