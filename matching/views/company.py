"""The company portal's side of matching (#5): the candidates the JIP office referred, their scores and
interviews, the ranking of each position's candidates, and the answers to published matches.

Every view needs `matching.view_candidates` (a company manager); each object is looked up through a
selector scoped to the companies the user manages, so another company's id, or a referral the office
withdrew, finds nothing (404). A company sees only what it may of an application: never the date of birth,
the applicant's e-mail, phone or city.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import selectors as company_selectors
from companies.models import HostCompany, Position, PositionStatus
from jip.files import private_file_response
from jip.permissions import require_permission

from .. import selectors, services
from ..forms.company import (
    CandidateFilterForm,
    CandidateScoreForm,
    InterviewOutcomeForm,
    InterviewProposalForm,
    MatchAnswerForm,
    RankingForm,
)
from ..models import (
    Interview,
    InterviewOutcome,
    InterviewStatus,
    Match,
    MatchDecision,
    Referral,
    ReferralStatus,
)
from ..presentation import COMPANY_FIT_TITLES, fit_rows

NOT_HOSTING = (InterviewOutcome.WOULD_NOT_HOST, InterviewOutcome.NO_SHOW)

company_view = require_permission("matching.view_candidates")


def _company(request: HttpRequest) -> HostCompany:
    """The company whose portal this is (a user manages one), for the portal's header."""
    company = company_selectors.company_for_manager(user=request.user)
    if company is None:  # the permission says the user manages one; a membership removed meanwhile
        raise PermissionDenied
    return company


def _add_service_error(form: Form, error: ValidationError) -> None:
    """A service's refusal beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass
class CandidateRow:
    """A referral as the company's lists show it."""

    referral: Referral
    interview: Interview | None
    average: float | None
    scored: int

    @property
    def application(self):
        return self.referral.application

    @property
    def is_open(self) -> bool:
        return self.referral.status == ReferralStatus.REFERRED

    @property
    def not_hosting(self) -> bool:
        return self.interview is not None and self.interview.outcome in NOT_HOSTING


def _row(referral: Referral) -> CandidateRow:
    scores = [s.score for s in referral.scores.all()]
    return CandidateRow(
        referral=referral,
        interview=getattr(referral, "interview", None),
        average=round(sum(scores) / len(scores), 1) if scores else None,
        scored=len(scores),
    )


# --- The candidates ------------------------------------------------------------------------------------


@company_view
def candidate_list(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    positions = list(company_selectors.company_positions(company=company))
    filters = CandidateFilterForm(request.GET or None, positions=positions)
    values = filters.values()
    rows = [
        _row(referral)
        for referral in selectors.candidates_for_company(
            user=request.user,
            position_id=values["position"],
            status=values["status"],
            jlpt=values["jlpt"],
            sort=values["sort"],
        )
    ]
    return render(
        request,
        "matching/company/candidate_list.html",
        {
            "company": company,
            "filters": filters,
            "is_filtered": any(values[k] for k in ("position", "status", "jlpt")),
            "rows": rows,
            "several_positions": len(positions) > 1,
            "rankable": [p for p in positions if p.status == PositionStatus.APPROVED],
            "active": "candidates",
        },
    )


def _candidate_page(
    request: HttpRequest,
    referral: Referral,
    *,
    score_form: CandidateScoreForm | None = None,
    interview_form: InterviewProposalForm | None = None,
    outcome_form: InterviewOutcomeForm | None = None,
) -> HttpResponse:
    row = _row(referral)
    interview = row.interview
    application, position = referral.application, referral.position
    fit = fit_rows(application, position, titles=COMPANY_FIT_TITLES)
    can_schedule = interview is None or interview.status in (
        InterviewStatus.PROPOSED, InterviewStatus.DECLINED, InterviewStatus.CANCELLED,
    )  # fmt: skip
    can_record = interview is not None and interview.status in (
        InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED,
    )  # fmt: skip
    score_form = score_form or CandidateScoreForm(initial=CandidateScoreForm.initial_for(referral))
    interview_form = interview_form or InterviewProposalForm(
        initial=InterviewProposalForm.initial_for(interview)
    )
    outcome_form = outcome_form or InterviewOutcomeForm(initial=InterviewOutcomeForm.initial_for(interview))
    can_schedule, can_record = row.is_open and can_schedule, row.is_open and can_record
    has_errors = any(f.is_bound and f.errors for f in (score_form, interview_form, outcome_form))
    # A refusal for a form the page no longer shows (the referral closed meanwhile) is said above it all.
    hidden_errors = [
        str(error)
        for form, shown in (
            (score_form, row.is_open),
            (interview_form, can_schedule),
            (outcome_form, can_record),
        )
        if form.is_bound and not shown
        for errors in form.errors.values()
        for error in errors
    ]
    return render(
        request,
        "matching/company/candidate_detail.html",
        {
            "company": position.company,
            "referral": referral,
            "application": application,
            "position": position,
            "row": row,
            "interview": interview,
            "slots": list(interview.slots.all()) if interview is not None else [],
            "fit": fit,
            "cv": selectors.candidate_cv(referral=referral),
            "score_form": score_form,
            "interview_form": interview_form,
            "outcome_form": outcome_form,
            "can_schedule": can_schedule,
            "can_record": can_record,
            "hidden_errors": hidden_errors,
            "active": "candidates",
        },
        status=400 if has_errors else 200,
    )


@company_view
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, _candidate(request, pk))


def _candidate(request: HttpRequest, pk: int) -> Referral:
    referral = selectors.candidate_for_company(user=request.user, pk=pk)
    if not request.user.has_perm("matching.view_candidate", referral):
        raise Http404  # the selector scoped it already; this is the named rule, said once more
    return referral


def _back_to(referral: Referral, anchor: str) -> HttpResponse:
    return redirect(reverse("matching:company_candidate", args=[referral.pk]) + anchor)


@company_view
def candidate_cv(request: HttpRequest, pk: int) -> FileResponse:
    """The CV of a candidate referred to the company, while the referral is open; no other document (#5)."""
    cv = selectors.candidate_cv(referral=_candidate(request, pk))
    if cv is None:
        raise Http404
    return private_file_response(
        cv.file,
        content_type=cv.content_type,
        filename=cv.original_name,
        download=request.GET.get("download") == "1",
    )


@company_view
@require_POST
def candidate_score(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _candidate(request, pk)
    form = CandidateScoreForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_score(
                referral=referral, scores=form.scores(), note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The scores are saved."))
            return _back_to(referral, "#scores")
    return _candidate_page(request, referral, score_form=form)


@company_view
@require_POST
def interview_propose(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _candidate(request, pk)
    form = InterviewProposalForm(request.POST)
    if form.is_valid():
        try:
            services.interview_propose(
                referral=referral,
                mode=form.cleaned_data["mode"],
                place=form.cleaned_data["place"],
                slots=form.cleaned_data["slots"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                by=request.user,
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request, _("The slots are sent. The applicant will choose one; you will receive an e-mail.")
            )
            return _back_to(referral, "#interview")
    return _candidate_page(request, referral, interview_form=form)


@company_view
@require_POST
def interview_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _candidate(request, pk)
    form = InterviewOutcomeForm(request.POST)
    interview = getattr(referral, "interview", None)
    if form.is_valid():
        if interview is None:
            form.add_error(None, _("Propose interview slots first."))
        else:
            try:
                services.interview_outcome_record(
                    interview=interview,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("The outcome of the interview is saved."))
                return _back_to(referral, "#interview")
    return _candidate_page(request, referral, outcome_form=form)


# --- Ranking -------------------------------------------------------------------------------------------


def _position_or_404(company: HostCompany, pk: int) -> Position:
    position = company_selectors.company_position_of(company=company, pk=pk)
    if position is None:
        raise Http404
    return position


@company_view
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request)
    position = _position_or_404(company, pk)
    referrals = list(
        selectors.candidates_for_company(
            user=request.user, position_id=position.pk, status=ReferralStatus.REFERRED, sort="rank"
        )
    )
    form = RankingForm(request.POST if request.method == "POST" else None, referrals=referrals)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_ranking_set(position=position, order=form.order(), by=request.user)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Your ranking for “%(title)s” is saved.") % {"title": position.title})
            return redirect("matching:company_ranking", pk=position.pk)
    rows = [(_row(referral), field) for referral, field in form.rows()]
    return render(
        request,
        "matching/company/ranking.html",
        {"company": company, "position": position, "form": form, "rows": rows, "active": "candidates"},
        status=400 if form.errors else 200,
    )


# --- Matches -------------------------------------------------------------------------------------------


def _matches(request: HttpRequest):
    return selectors.published_matches_for_company(user=request.user).select_related("referral")


def _match_state(match: Match) -> dict:
    placement = getattr(match, "placement", None)
    referral = match.referral
    return {
        "match": match,
        "placement": placement,
        "can_answer": match.company_decision == MatchDecision.PENDING
        and match.applicant_decision != MatchDecision.DECLINED,
        "candidate_pk": referral.pk
        if referral is not None and referral.status != ReferralStatus.WITHDRAWN
        else None,
    }


@company_view
def match_list(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    return render(
        request,
        "matching/company/match_list.html",
        {"company": company, "matches": [_match_state(m) for m in _matches(request)], "active": "matches"},
    )


@company_view
def match_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (GET, from the buttons of the list) and the answer itself (POST)."""
    company = _company(request)
    match = _matches(request).filter(pk=pk).first()
    if match is None or not request.user.has_perm("matching.answer_match_as_company", match):
        raise Http404
    form = MatchAnswerForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to decline the match."))
        return redirect("matching:company_matches")
    if request.method == "POST":
        try:
            services.match_respond(match=match, party="company", accept=form.accepts(), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if form.accepts():
                messages.success(request, _("You accepted the match. The JIP office will be in touch."))
            else:
                messages.success(request, _("You declined the match. The JIP office is told."))
        return redirect("matching:company_matches")
    state = _match_state(match)
    if not state["can_answer"]:
        messages.info(request, _("This match cannot be answered any more."))
        return redirect("matching:company_matches")
    return render(
        request,
        "matching/company/match_answer.html",
        {"company": company, "match": match, "form": form, "accepts": form.accepts(), "active": "matches"},
    )
