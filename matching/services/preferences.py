"""Preferences: each side ranks the other, best first; an unranked pair is one that side would not take."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Application
from companies.models import Position
from jip.audit import audit_record
from jip.models import User

from ..models import InterviewOutcome, Referral, ReferralStatus


def _ranking_set(*, referrals: list[Referral], order: Sequence[int], attribute: str) -> dict[int, int | None]:
    by_id = {r.pk: r for r in referrals}
    unknown = [pk for pk in order if pk not in by_id]
    if unknown or len(set(order)) != len(order):
        raise ValidationError(_("Rank each candidate at most once, from the list shown."), code="ranking")
    ranks: dict[int, int | None] = dict.fromkeys(by_id)
    for index, pk in enumerate(order, start=1):
        ranks[pk] = index
    for referral in referrals:
        if getattr(referral, attribute) != ranks[referral.pk]:
            setattr(referral, attribute, ranks[referral.pk])
            referral.save(update_fields=[attribute])
    return ranks


@transaction.atomic
def company_ranking_set(*, position: Position, order: Sequence[int], by: User) -> dict[int, int | None]:
    """The company ranks the candidates referred to a position, best first; an unranked candidate
    is one the company would not host, and cannot be matched to it (docs/program.md §10)."""
    referrals = list(
        Referral.objects.select_for_update(of=("self",))
        .filter(position=position, status=ReferralStatus.REFERRED)
        .select_related("interview")
    )
    not_hosting = (InterviewOutcome.WOULD_NOT_HOST, InterviewOutcome.NO_SHOW)
    refused = {r.pk for r in referrals if hasattr(r, "interview") and r.interview.outcome in not_hosting}
    if refused & set(order):
        raise ValidationError(
            _("A candidate you recorded as “would not host” or absent cannot be ranked."), code="ranking"
        )
    ranks = _ranking_set(referrals=referrals, order=order, attribute="company_rank")
    audit_record(actor=by, action="position.ranking", target=position, data={"order": list(order)})
    return ranks


@transaction.atomic
def applicant_ranking_set(
    *, application: Application, order: Sequence[int], by: User
) -> dict[int, int | None]:
    """The applicant ranks the positions they were referred to, best first; an unranked position is
    one they would not take (docs/program.md §10)."""
    referrals = list(
        Referral.objects.select_for_update().filter(application=application, status=ReferralStatus.REFERRED)
    )
    ranks = _ranking_set(referrals=referrals, order=order, attribute="applicant_rank")
    audit_record(actor=by, action="application.ranking", target=application, data={"order": list(order)})
    return ranks
