"""The applicant's pages: the entry form in steps, review and submission, status, documents.

Every view states its permission; every object is looked up within the applicant's own rows, so another
applicant's id finds nothing (404).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries.fields import Country

from jip import selectors as cycle_selectors
from jip.permissions import require_permission

from . import eligibility, forms, selectors, services
from .models import Application, Document, DocumentStatus

STEPS = forms.ENTRY_STEPS
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _progress(application: Application, current: str) -> list[dict]:
    return [
        {
            "slug": s.slug,
            "title": s.title,
            "done": s.slug in application.steps_done,
            "current": s.slug == current,
        }
        for s in STEPS
    ] + [{"slug": "review", "title": _("Review and submit"), "done": False, "current": current == "review"}]


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
        },
    )


def _answers(application: Application, step: forms.Step) -> list[tuple[str, str]]:
    """Each answer of a step as the applicant would read it: labels, choices and dates in their language."""
    rows = []
    for name, field in step.form.base_fields.items():
        value = getattr(application, name)
        if hasattr(application, f"get_{name}_display") and value not in (None, ""):
            shown = getattr(application, f"get_{name}_display")()
        elif isinstance(value, Country):
            shown = value.name if value else ""
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif isinstance(value, dt.date):
            shown = date_format(value, "DATE_FORMAT")
        else:
            shown = "" if value is None else str(value)
        rows.append((field.label, shown))
    return rows


def _outcomes_for_display(application: Application) -> list[dict]:
    """The stored outcomes, re-evaluated for a draft so the reasons come in the reader's language."""
    outcomes = (
        eligibility.evaluate(application)
        if application.is_draft
        else [eligibility.RuleOutcome(**o) for o in application.eligibility]
    )
    return [
        {
            "title": eligibility.title(o.rule),
            "outcome": o.outcome,
            "reason": o.reason,
            "blocks": o.blocks_submission,
        }
        for o in outcomes
    ]


@require_permission("applicants.apply")
def entry_review(request: HttpRequest) -> HttpResponse:
    application, response = _current_draft(request)
    if response is not None:
        return response
    outcomes = _outcomes_for_display(application)
    sections = [
        {"step": s, "answers": _answers(application, s), "done": s.slug in application.steps_done}
        for s in STEPS
    ]
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
            "deadline": cycle_selectors.cycle_deadline_status(cycle=application.cycle),
            "cycle": application.cycle,
        },
    )


@require_permission("applicants.apply")
@require_POST
def entry_submit(request: HttpRequest) -> HttpResponse:
    cycle = cycle_selectors.cycle_current_for(request)
    application = selectors.application_for(applicant=request.user, cycle=cycle) if cycle else None
    if application is None:
        raise Http404
    if not application.is_draft:  # a second click or tab: already done, nothing more to do
        return redirect("applicants:application_detail", pk=application.pk)
    try:
        services.application_submit(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applicants:entry_review")
    messages.success(
        request, _("Application complete: we have received your application and sent you an e-mail.")
    )
    return redirect("applicants:application_detail", pk=application.pk)


def _detail_context(application: Application, **extra) -> dict:
    documents = list(application.documents.all())
    for document in documents:
        document.can_upload = application.status != "withdrawn" and document.status in (
            DocumentStatus.REQUESTED,
            DocumentStatus.REJECTED,
        )
    return {
        "application": application,
        "outcomes": _outcomes_for_display(application),
        "documents": documents,
        "upload_form": forms.DocumentUploadForm(),
        "can_withdraw": application.status in services.WITHDRAWABLE,
        **extra,
    }


@require_permission("applicants.apply")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(applicant=request.user, pk=pk)
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
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=document.original_name or None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
