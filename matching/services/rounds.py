"""Fixed pairs and rounds: the office fixes pairs by hand, runs a round (a proposal, never applied directly),
records the screening committee's approval and publishes it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from applicants.models import Application
from companies.models import Position
from jip import clock
from jip.audit import audit_record
from jip.models import ProgramCycle, User

from .. import fit as pair_fit
from .. import rounds
from ..models import Match, MatchingRound, PairConstraint, PairConstraintKind, RoundStatus
from .shared import mail_queue


@transaction.atomic
def pair_constraint_set(
    *, application: Application, position: Position, kind: str, reason: str, by: User, course: str = ""
) -> PairConstraint:
    """The office fixes a pair by hand (locked or excluded) for the next runs, with its reason
    (docs/program.md §10)."""
    errors = {}
    if kind not in PairConstraintKind.values:
        errors["kind"] = _("Choose locked or excluded.")
    if not reason.strip():
        errors["reason"] = _("Give the reason.")
    if application.cycle_id != position.cycle_id:
        errors["position"] = _("The position belongs to another cycle.")
    if kind == PairConstraintKind.LOCK:
        courses = pair_fit.courses_for(application, position)
        if course and course not in courses:
            errors["course"] = _("This pair has no place in that course.")
        elif not courses:
            errors["course"] = _("This applicant cannot take any of this position's places (course).")
        if (
            PairConstraint.objects.filter(application=application, kind=PairConstraintKind.LOCK)
            .exclude(position=position)
            .exists()
        ):
            errors["application"] = _("This applicant is locked to another position already.")
    if errors:
        raise ValidationError(errors)
    constraint, _created = PairConstraint.objects.update_or_create(
        application=application, position=position,
        defaults={"cycle_id": application.cycle_id, "kind": kind, "reason": reason.strip(), "course": course,
                  "created_by": by},
    )  # fmt: skip
    audit_record(actor=by, action="pair.fix", target=constraint, data={"kind": kind, "reason": reason})
    return constraint


@transaction.atomic
def pair_constraint_remove(*, constraint: PairConstraint, by: User) -> None:
    audit_record(
        actor=by, action="pair.unfix", target=constraint,
        data={"application": constraint.application_id, "position": constraint.position_id},
    )  # fmt: skip
    constraint.delete()


@transaction.atomic
def round_run(*, cycle: ProgramCycle, by: User) -> MatchingRound:
    """Runs applicant-proposing deferred acceptance over the preferences both sides stated and saves the
    result as a proposed round (never applied directly). An earlier proposed or approved round that was
    not published is discarded: only the newest proposal counts (FY2024 call: the office matches;
    docs/program.md §10)."""
    cycle = ProgramCycle.objects.select_for_update().get(pk=cycle.pk)
    outcome = rounds.compute(cycle=cycle)
    MatchingRound.objects.filter(cycle=cycle, status__in=[RoundStatus.PROPOSED, RoundStatus.APPROVED]).update(
        status=RoundStatus.DISCARDED
    )
    number = (MatchingRound.objects.filter(cycle=cycle).aggregate(n=Max("number"))["n"] or 0) + 1
    matching_round = MatchingRound.objects.create(
        cycle=cycle, number=number, report=outcome.report, is_stable=outcome.is_stable, run_by=by
    )
    Match.objects.bulk_create(Match(round=matching_round, **fields) for fields in outcome.matches)
    audit_record(
        actor=by, action="round.run", target=matching_round,
        data={"matched": len(outcome.matches), "stable": outcome.is_stable},
    )  # fmt: skip
    return matching_round


def _locked_round(matching_round: MatchingRound) -> MatchingRound:
    return MatchingRound.objects.select_for_update().get(pk=matching_round.pk)


@transaction.atomic
def round_approve(*, matching_round: MatchingRound, note: str, by: User) -> MatchingRound:
    """Records the screening committee's approval of a proposed round (docs/program.md §10)."""
    matching_round = _locked_round(matching_round)
    if matching_round.status != RoundStatus.PROPOSED:
        raise ValidationError(_("Only a proposed round can be approved."), code="status")
    if not note.strip():
        raise ValidationError({"committee_note": _("Record the committee's decision (date, reference).")})
    if not matching_round.matches.exists():
        raise ValidationError(_("This round matched no one: there is nothing to approve."), code="empty")
    matching_round.status, matching_round.committee_note = RoundStatus.APPROVED, note.strip()
    matching_round.approved_by, matching_round.approved_at = by, clock.now()
    matching_round.save(update_fields=["status", "committee_note", "approved_by", "approved_at"])
    audit_record(actor=by, action="round.approve", target=matching_round, data={"note": note})
    return matching_round


@transaction.atomic
def round_publish(*, matching_round: MatchingRound, by: User) -> MatchingRound:
    """Publishes a round the screening committee approved: applicants and companies are told and asked to
    accept (docs/program.md §10)."""
    matching_round = _locked_round(matching_round)
    if matching_round.status != RoundStatus.APPROVED:
        raise ValidationError(
            _("Only a round the screening committee approved can be published."), code="status"
        )
    matching_round.status = RoundStatus.PUBLISHED
    matching_round.published_by, matching_round.published_at = by, clock.now()
    matching_round.save(update_fields=["status", "published_by", "published_at"])
    audit_record(actor=by, action="round.publish", target=matching_round, data={})
    for match_id in matching_round.matches.values_list("pk", flat=True):
        mail_queue("match", match_id, "matching/email/match_applicant")
        mail_queue("match_company", match_id, "matching/email/match_company")
    return matching_round
