"""The entry form in steps, its review and the submission."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jip import selectors as cycle_selectors
from jip.memo import url_once
from jip.permissions import require_permission

from .. import presentation, selectors, services
from ..models import Application


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
    first_open = next((s.slug for s in presentation.STEPS if s.slug not in application.steps_done), None)
    return (
        redirect("applicants:entry_step", step=first_open)
        if first_open
        else redirect("applicants:entry_review")
    )


@require_permission("applicants.apply")
def entry_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in presentation.STEP_BY_SLUG:
        raise Http404
    application, response = _current_draft(request)
    if response is not None:
        return response
    spec = presentation.STEP_BY_SLUG[step]
    form = spec.form(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.application_draft_save(application=application, data=data, step=step, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            index = presentation.STEPS.index(spec)
            if "back" in request.POST and index > 0:
                return redirect("applicants:entry_step", step=presentation.STEPS[index - 1].slug)
            if index + 1 < len(presentation.STEPS):
                return redirect("applicants:entry_step", step=presentation.STEPS[index + 1].slug)
            return redirect("applicants:entry_review")
    index = presentation.STEPS.index(spec)
    return render(
        request,
        "applicants/entry_step.html",
        {
            "application": application,
            "form": form,
            "step": spec,
            "number": index + 1,
            "total": len(presentation.STEPS) + 1,
            "percent": round(100 * index / (len(presentation.STEPS) + 1)),
            "previous": presentation.STEPS[index - 1] if index else None,
            "progress": presentation.progress_steps(application, step),
            "progress_key": presentation.progress_key(application, step),
        },
    )


@require_permission("applicants.apply")
def entry_review(request: HttpRequest) -> HttpResponse:
    application, response = _current_draft(request)
    if response is not None:
        return response
    outcomes = presentation.outcomes_for_display(application)
    sections, titles = [], presentation.step_titles()
    for step in presentation.STEPS:
        done = step.slug in application.steps_done
        sections.append(
            {
                "step": step,
                "title": titles[step.slug],
                "url": url_once("applicants:entry_step", step.slug),
                "answers": presentation.answer_rows(application, step) if done else [],
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
            and all(step.slug in application.steps_done for step in presentation.STEPS),
            "progress": presentation.progress_steps(application, "review"),
            "progress_key": presentation.progress_key(application, "review"),
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
