"""Referrals: the office refers an applicant from the pool to a position (one pair or many), withdraws a
referral; the applicant declines one; the company scores its candidates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Application, ApplicationStatus
from companies.models import Position, PositionStatus, ReviewStatus
from jip.audit import audit_record
from jip.models import User

from .. import fit as pair_fit
from ..models import CandidateScore, Interview, InterviewStatus, Referral, ReferralStatus, ScoreCriterion
from .shared import mail_queue, referral_locked, referral_open_check


def _referable(position: Position) -> bool:
    return position.status == PositionStatus.APPROVED and position.company.status == ReviewStatus.APPROVED


@transaction.atomic
def referral_create(*, application: Application, position: Position, by: User, note: str = "") -> Referral:
    """The office refers an applicant from the pool to an approved position of the same cycle.

    A pair that does not fit is referred with its warnings kept: the office decides (FY2024 call: the
    company's own conditions are checked at referral, not at entry; docs/program.md §8).
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    position = Position.objects.select_related("company").get(pk=position.pk)
    if application.status != ApplicationStatus.POOL:
        raise ValidationError(
            _("Only applications in the pool can be referred; %(number)s is “%(status)s”.")
            % {"number": application.number, "status": application.get_status_display()},
            code="not_in_pool",
        )
    if application.cycle_id != position.cycle_id:
        raise ValidationError(_("The position belongs to another cycle."), code="cycle")
    if not _referable(position):
        raise ValidationError(
            _("“%(position)s” is not an approved position of an approved company.") % {"position": position},
            code="position",
        )
    existing = Referral.objects.filter(application=application, position=position).first()
    if existing is not None and existing.status == ReferralStatus.REFERRED:
        raise ValidationError(
            _("%(number)s is referred to “%(position)s” already.")
            % {"number": application.number, "position": position},
            code="duplicate",
        )
    items = pair_fit.evaluate(application, position)
    fit_json = [item.as_json() for item in items]
    if existing is not None:  # referred again after a withdrawal or a decline
        existing.status = ReferralStatus.REFERRED
        existing.fit, existing.fits, existing.note = fit_json, pair_fit.fits(items), note
        existing.status_reason = ""
        existing.referred_by = by
        existing.save()
        referral = existing
    else:
        referral = Referral.objects.create(
            application=application, position=position, fit=fit_json, fits=pair_fit.fits(items), note=note,
            referred_by=by,
        )  # fmt: skip
    audit_record(actor=by, action="referral.create", target=referral, data={"fits": referral.fits})
    mail_queue("referral", referral.pk, "matching/email/referred_applicant")
    mail_queue("referral_company", referral.pk, "matching/email/referred_company")
    return referral


@dataclass
class BulkOutcome:
    created: list[Referral] = field(default_factory=list)
    refused: list[tuple[Application, Position, str]] = field(default_factory=list)


def referrals_create(
    *, applications: Iterable[Application], positions: Iterable[Position], by: User, note: str = ""
) -> BulkOutcome:
    """Refers each application to each position; each pair is its own transaction, refusals are listed."""
    outcome = BulkOutcome()
    positions = list(positions)
    for application in applications:
        for position in positions:
            try:
                outcome.created.append(
                    referral_create(application=application, position=position, by=by, note=note)
                )
            except ValidationError as error:
                outcome.refused.append((application, position, " ".join(error.messages)))
    return outcome


@transaction.atomic
def referral_withdraw(*, referral: Referral, by: User, reason: str) -> Referral:
    """The office takes a referral back, with a reason; the pair leaves every later round
    (docs/program.md §8)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing the referral.")})
    referral = referral_locked(referral)
    if referral.status != ReferralStatus.REFERRED:
        raise ValidationError(_("This referral is closed already."), code="closed")
    referral.status, referral.status_reason = ReferralStatus.WITHDRAWN, reason.strip()
    referral.save(update_fields=["status", "status_reason"])
    audit_record(actor=by, action="referral.withdraw", target=referral, data={"reason": reason})
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, by: User, reason: str = "") -> Referral:
    """The applicant declines a referral (and any interview with it); the pair leaves later rounds
    (docs/program.md §8)."""
    referral = referral_locked(referral)
    if referral.status != ReferralStatus.REFERRED:
        raise ValidationError(_("This referral is closed already."), code="closed")
    referral.status, referral.status_reason = ReferralStatus.DECLINED, reason.strip()
    referral.applicant_rank = None
    referral.save(update_fields=["status", "status_reason", "applicant_rank"])
    Interview.objects.filter(
        referral=referral, status__in=[InterviewStatus.PROPOSED, InterviewStatus.SCHEDULED]
    ).update(status=InterviewStatus.DECLINED, decline_reason=reason.strip())
    audit_record(actor=by, action="referral.decline", target=referral, data={"reason": reason})
    mail_queue("referral_company", referral.pk, "matching/email/declined_company")
    return referral


@transaction.atomic
def candidate_score(*, referral: Referral, scores: dict[str, int | None], note: str, by: User) -> Referral:
    """The company scores a referred candidate, 1 to 5 on each criterion; an empty score removes it
    (docs/program.md §9)."""
    referral = referral_locked(referral)
    referral_open_check(referral)
    errors = {}
    for criterion, value in scores.items():
        if criterion not in ScoreCriterion.values:
            raise ValueError(f"Unknown criterion {criterion!r}")
        if value is not None and not 1 <= value <= 5:
            errors[criterion] = _("A score is from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    for criterion, value in scores.items():
        if value is None:
            CandidateScore.objects.filter(referral=referral, criterion=criterion).delete()
        else:
            CandidateScore.objects.update_or_create(
                referral=referral, criterion=criterion, defaults={"score": value, "scored_by": by}
            )
    referral.company_note = note.strip()
    referral.save(update_fields=["company_note"])
    audit_record(actor=by, action="referral.score", target=referral, data={"scores": scores})
    return referral
