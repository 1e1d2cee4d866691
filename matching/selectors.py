"""Reads for matching, each scoped to who is asking: a company's candidates, an applicant's referrals,
the office's rounds."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from applicants.models import Document, DocumentKind
from companies.rules import company_ids_managed_by

from .models import Interview, Match, MatchingRound, Referral, ReferralStatus, RoundStatus

CANDIDATE_SORTS = {
    "rank": ("company_rank", "-referred_at"),
    "newest": ("-referred_at", "-id"),
    "name": ("application__family_name", "application__given_names", "id"),
    "jlpt": ("application__jlpt_level", "id"),
}


def candidates_for_company(
    *, user, position_id: int | None = None, status: str = "", jlpt: int | None = None, sort: str = "rank"
) -> QuerySet[Referral]:
    """The candidates referred to the positions of the companies this user manages (withdrawn ones hidden)."""
    queryset = (
        Referral.objects.filter(position__company_id__in=company_ids_managed_by(user))
        .exclude(status=ReferralStatus.WITHDRAWN)
        .select_related("application", "position", "interview__chosen_slot")
        .prefetch_related("scores")
    )
    if position_id:
        queryset = queryset.filter(position_id=position_id)
    if status == "interview":
        queryset = queryset.filter(interview__isnull=False)
    elif status == "no_interview":
        queryset = queryset.filter(interview__isnull=True, status=ReferralStatus.REFERRED)
    elif status in ReferralStatus.values:
        queryset = queryset.filter(status=status)
    if jlpt:
        queryset = queryset.filter(application__jlpt_level__lte=jlpt, application__jlpt_level__isnull=False)
    order = CANDIDATE_SORTS.get(sort, CANDIDATE_SORTS["rank"])
    if order[0] == "company_rank":
        return queryset.order_by(F("company_rank").asc(nulls_last=True), "-referred_at", "-id")
    return queryset.order_by(*order)


def candidate_for_company(*, user, pk: int) -> Referral:
    referral = (
        Referral.objects.filter(pk=pk, position__company_id__in=company_ids_managed_by(user))
        .exclude(status=ReferralStatus.WITHDRAWN)
        .select_related("application", "position__company", "interview__chosen_slot")
        .prefetch_related("scores", "interview__slots")
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def candidate_cv(*, referral: Referral) -> Document | None:
    """The CV a company may open: the applicant's uploaded or accepted CV, while the referral is open."""
    if referral.status != ReferralStatus.REFERRED:
        return None
    return (
        Document.objects.filter(application_id=referral.application_id, kind=DocumentKind.CV)
        .exclude(file="")
        .order_by("-uploaded_at", "-id")
        .first()
    )


def referrals_of(*, applicant) -> QuerySet[Referral]:
    """An applicant's own referrals, with their interviews and slots."""
    return (
        Referral.objects.filter(application__applicant=applicant)
        .exclude(status=ReferralStatus.WITHDRAWN)
        .select_related("position__company", "application", "interview__chosen_slot")
        .prefetch_related(Prefetch("interview__slots"))
        .order_by(F("applicant_rank").asc(nulls_last=True), "-referred_at", "-id")
    )


def referral_of(*, applicant, pk: int) -> Referral:
    referral = referrals_of(applicant=applicant).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def interview_of(*, applicant, pk: int) -> Interview:
    interview = (
        Interview.objects.filter(pk=pk, referral__application__applicant=applicant)
        .select_related("referral__position__company", "chosen_slot")
        .prefetch_related("slots")
        .first()
    )
    if interview is None:
        raise Http404
    return interview


def published_matches_of(*, applicant) -> QuerySet[Match]:
    return (
        Match.objects.filter(application__applicant=applicant, round__status=RoundStatus.PUBLISHED)
        .select_related("position__company", "round", "placement")
        .order_by("-round__published_at", "-id")
    )


def published_matches_for_company(*, user) -> QuerySet[Match]:
    return (
        Match.objects.filter(
            position__company_id__in=company_ids_managed_by(user), round__status=RoundStatus.PUBLISHED
        )
        .select_related("application", "position", "round", "placement")
        .order_by("-round__published_at", "position__title", "id")
    )


def rounds_of(*, cycle) -> QuerySet[MatchingRound]:
    return MatchingRound.objects.filter(cycle=cycle).select_related("run_by", "approved_by", "published_by")
