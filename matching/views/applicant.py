"""The applicant's side of matching: referrals, interview invitations, ranking, and answering a match.

Every object is looked up within the applicant's own rows, so another applicant's id finds nothing (404).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from jip.clock import JST
from jip.permissions import require_permission
from jip.timezones import time_zone_of_country

from .. import selectors, services
from ..forms.applicant import DeclineForm, RankingForm
from ..models import InterviewStatus, MatchDecision, ReferralStatus

PERM = "matching.view_my_referrals"


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _ranking_form(referrals, data=None) -> RankingForm:
    open_referrals = [r for r in referrals if r.status == ReferralStatus.REFERRED]
    return RankingForm(data, referrals=open_referrals, prefix="ranking")


@require_permission(PERM)
def referrals(request: HttpRequest) -> HttpResponse:
    """My referrals: the positions the office referred me to, their interviews, my ranking, my matches."""
    rows = list(selectors.referrals_of(applicant=request.user))
    return _render_page(request, rows, _ranking_form(rows))


def _render_page(request, rows, ranking_form, status=200) -> HttpResponse:
    application = rows[0].application if rows else None
    zone = time_zone_of_country(application.residence_country.code if application else None) or JST
    matches = list(selectors.published_matches_of(applicant=request.user))
    return render(
        request,
        "matching/applicant/referrals.html",
        {
            "referrals": rows,
            "ranking_form": ranking_form,
            "ranking_rows": [(r, ranking_form[f"rank_{r.pk}"]) for r in ranking_form.referrals],
            "zone": zone,
            "zone_is_jst": zone.key == JST.key,
            "matches": matches,
        },
        status=status,
    )


@require_permission(PERM)
@require_POST
def ranking_save(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.referrals_of(applicant=request.user))
    form = _ranking_form(rows, request.POST)
    if not form.is_valid():
        return _render_page(request, rows, form, status=400)
    applications = {r.application for r in form.referrals}
    try:
        for application in applications:
            order = [
                pk for pk in form.order() if any(r.pk == pk and r.application == application for r in rows)
            ]
            services.applicant_ranking_set(application=application, order=order, by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_page(request, rows, form, status=400)
    messages.success(request, _("Your ranking is saved."))
    return redirect(reverse("matching:referrals") + "#ranking")


@require_permission(PERM)
@require_POST
def interview_choose(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_of(applicant=request.user, pk=pk)
    slot = next((s for s in interview.slots.all() if str(s.pk) == request.POST.get("slot", "")), None)
    if slot is None:
        messages.error(request, _("Choose one of the proposed times."))
        return redirect(reverse("matching:referrals") + f"#referral-{interview.referral_id}")
    try:
        services.interview_slot_choose(interview=interview, slot=slot, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Your interview time is confirmed. The company has been told."))
    return redirect(reverse("matching:referrals") + f"#referral-{interview.referral_id}")


@require_permission(PERM)
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_of(applicant=request.user, pk=pk)
    if referral.status != ReferralStatus.REFERRED:
        raise Http404
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_decline(referral=referral, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("You have declined this referral."))
            return redirect("matching:referrals")
    return render(request, "matching/applicant/referral_decline.html", {"referral": referral, "form": form})


@require_permission(PERM)
def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheduled interview as an iCalendar file, to add it to the applicant's own calendar."""
    interview = selectors.interview_of(applicant=request.user, pk=pk)
    if interview.status != InterviewStatus.SCHEDULED or interview.chosen_slot is None:
        raise Http404
    slot = interview.chosen_slot
    position = interview.referral.position
    calendar = Calendar()
    calendar.add("prodid", "-//JIP Admin//Interviews//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"interview-{interview.pk}-{slot.pk}@jip-admin")
    event.add("dtstamp", interview.updated_at)
    event.add("dtstart", slot.starts_at.astimezone(dt.UTC))
    event.add("dtend", (slot.starts_at + dt.timedelta(minutes=slot.duration_minutes)).astimezone(dt.UTC))
    event.add(
        "summary",
        _("Interview: %(position)s (%(company)s)")
        % {"position": position.title, "company": position.company.name},
    )
    event.add("location", interview.place)
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jip-interview-{interview.pk}.ics"'
    return response


@require_permission(PERM)
@require_POST
def match_answer(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.published_matches_of(applicant=request.user).filter(pk=pk).first()
    if match is None:
        raise Http404
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return redirect(reverse("matching:referrals") + "#matches")
    try:
        services.match_respond(match=match, party="applicant", accept=answer == "accept", by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        match.refresh_from_db()
        if match.applicant_decision == MatchDecision.ACCEPTED:
            messages.success(request, _("You have accepted the match."))
        else:
            messages.success(request, _("You have declined the match."))
    return redirect(reverse("matching:referrals") + "#matches")
