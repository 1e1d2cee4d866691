"""Every change in matching: referrals, scores, interviews, rankings, fixed pairs, rounds and answers.

One function per change, in a transaction, with an audit entry; the people concerned are told by e-mail
through Celery, in their own language (docs/program.md §8–10).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from applicants.models import Application, ApplicationStatus
from companies.models import Position, PositionStatus, ReviewStatus
from jip import clock
from jip.audit import audit_record
from jip.models import ProgramCycle, User
from jip.tasks import task_enqueue

from . import fit as pair_fit
from . import rounds, signals
from .models import (
    CandidateScore,
    Interview,
    InterviewMode,
    InterviewOutcome,
    InterviewSlot,
    InterviewStatus,
    Match,
    MatchDecision,
    MatchingRound,
    PairConstraint,
    PairConstraintKind,
    Placement,
    Referral,
    ReferralStatus,
    RoundStatus,
    ScoreCriterion,
)

MAX_SLOTS = 5


def _mail(kind: str, object_id: int, template: str) -> None:
    task_enqueue("matching.tasks.matching_mail_send", kind, object_id, template)


def _locked_referral(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("application__cycle", "position__company")
        .get(pk=referral.pk)
    )


def _referable(position: Position) -> bool:
    return position.status == PositionStatus.APPROVED and position.company.status == ReviewStatus.APPROVED


# --- Referrals -----------------------------------------------------------------------------------


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
    _mail("referral", referral.pk, "matching/email/referred_applicant")
    _mail("referral_company", referral.pk, "matching/email/referred_company")
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
    referral = _locked_referral(referral)
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
    referral = _locked_referral(referral)
    if referral.status != ReferralStatus.REFERRED:
        raise ValidationError(_("This referral is closed already."), code="closed")
    referral.status, referral.status_reason = ReferralStatus.DECLINED, reason.strip()
    referral.applicant_rank = None
    referral.save(update_fields=["status", "status_reason", "applicant_rank"])
    Interview.objects.filter(
        referral=referral, status__in=[InterviewStatus.PROPOSED, InterviewStatus.SCHEDULED]
    ).update(status=InterviewStatus.DECLINED, decline_reason=reason.strip())
    audit_record(actor=by, action="referral.decline", target=referral, data={"reason": reason})
    _mail("referral_company", referral.pk, "matching/email/declined_company")
    return referral


def _open(referral: Referral) -> None:
    if referral.status != ReferralStatus.REFERRED:
        raise ValidationError(_("This referral is closed."), code="closed")


@transaction.atomic
def candidate_score(*, referral: Referral, scores: dict[str, int | None], note: str, by: User) -> Referral:
    """The company scores a referred candidate, 1 to 5 on each criterion; an empty score removes it
    (docs/program.md §9)."""
    referral = _locked_referral(referral)
    _open(referral)
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


# --- Interviews ----------------------------------------------------------------------------------


@transaction.atomic
def interview_propose(
    *,
    referral: Referral,
    mode: str,
    place: str,
    slots: Sequence[dt.datetime],
    duration_minutes: int,
    by: User,
) -> Interview:
    """The company proposes one to five slots in the future; the applicant picks one. Proposing again
    replaces open slots (an interview that was held keeps its record). FY2024 call: companies interview the
    candidates; docs/program.md §9."""
    referral = _locked_referral(referral)
    _open(referral)
    errors: dict[str, str] = {}
    if mode not in InterviewMode.values:
        errors["mode"] = _("Choose online or on site.")
    if not place.strip():
        errors["place"] = (
            _("Give the meeting link.")
            if mode == InterviewMode.ONLINE
            else _("Give the address of the interview.")
        )
    unique = sorted(set(slots))
    now = clock.now()
    if not unique:
        errors["slots"] = _("Propose at least one slot.")
    elif len(unique) > MAX_SLOTS:
        errors["slots"] = _("Propose at most %(n)s slots.") % {"n": MAX_SLOTS}
    elif any(s <= now for s in unique):
        errors["slots"] = _("Every slot must be in the future.")
    if not 10 <= duration_minutes <= 240:
        errors["duration_minutes"] = _("An interview lasts from 10 to 240 minutes.")
    if errors:
        raise ValidationError(errors)
    interview = Interview.objects.select_for_update().filter(referral=referral).first()
    if interview is not None and interview.status == InterviewStatus.COMPLETED:
        raise ValidationError(_("This interview has been held already."), code="held")
    if interview is None:
        interview = Interview(referral=referral, created_by=by)
    interview.mode, interview.place = mode, place.strip()
    interview.status, interview.chosen_slot, interview.decline_reason = InterviewStatus.PROPOSED, None, ""
    interview.save()
    interview.slots.all().delete()
    InterviewSlot.objects.bulk_create(
        InterviewSlot(interview=interview, starts_at=s, duration_minutes=duration_minutes) for s in unique
    )
    audit_record(
        actor=by, action="interview.propose", target=interview,
        data={"mode": mode, "slots": [s.isoformat() for s in unique]},
    )  # fmt: skip
    _mail("interview", interview.pk, "matching/email/interview_proposed")
    return interview


@transaction.atomic
def interview_slot_choose(*, interview: Interview, slot: InterviewSlot, by: User) -> Interview:
    """The applicant picks one of the proposed slots that has not passed; the company is told
    (docs/program.md §9)."""
    interview = Interview.objects.select_for_update().select_related("referral").get(pk=interview.pk)
    _open(interview.referral)
    if interview.status not in (InterviewStatus.PROPOSED, InterviewStatus.SCHEDULED):
        raise ValidationError(_("This interview cannot be scheduled any more."), code="closed")
    if slot.interview_id != interview.pk:
        raise ValidationError(_("Choose one of the proposed slots."), code="slot")
    if slot.starts_at <= clock.now():
        raise ValidationError(_("This slot has passed; choose another."), code="past")
    interview.chosen_slot, interview.status = slot, InterviewStatus.SCHEDULED
    interview.save(update_fields=["chosen_slot", "status", "updated_at"])
    audit_record(
        actor=by, action="interview.schedule", target=interview, data={"slot": slot.starts_at.isoformat()}
    )
    _mail("interview_company", interview.pk, "matching/email/interview_scheduled")
    return interview


@transaction.atomic
def interview_outcome_record(*, interview: Interview, outcome: str, note: str, by: User) -> Interview:
    """The company records how a scheduled interview went, once it has started (docs/program.md §9)."""
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("referral", "chosen_slot")
        .get(pk=interview.pk)
    )
    _open(interview.referral)
    if outcome not in InterviewOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if interview.status not in (InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED):
        raise ValidationError(_("Only a scheduled interview can have an outcome."), code="not_scheduled")
    interview_slot = interview.chosen_slot
    if interview_slot is not None and interview_slot.starts_at > clock.now():
        raise ValidationError(_("The interview has not started yet."), code="not_yet")
    interview.outcome, interview.outcome_note = outcome, note.strip()
    interview.status = InterviewStatus.COMPLETED
    interview.save(update_fields=["outcome", "outcome_note", "status", "updated_at"])
    if outcome != InterviewOutcome.WOULD_HOST and interview.referral.company_rank is not None:
        Referral.objects.filter(pk=interview.referral_id).update(company_rank=None)
    audit_record(actor=by, action="interview.outcome", target=interview, data={"outcome": outcome})
    return interview


# --- Preferences ---------------------------------------------------------------------------------


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


# --- Fixed pairs and rounds ------------------------------------------------------------------------


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
        _mail("match", match_id, "matching/email/match_applicant")
        _mail("match_company", match_id, "matching/email/match_company")
    return matching_round


@transaction.atomic
def match_respond(*, match: Match, party: str, accept: bool, by: User) -> Match:
    """The applicant or the company answers a published match. When both accept, the placement is final
    (mutual agreement, docs/program.md §10); a refusal frees the place for the next round."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("round", "application", "position")
        .get(pk=match.pk)
    )
    if match.round.status != RoundStatus.PUBLISHED:
        raise ValidationError(_("This match has not been published."), code="unpublished")
    if accept and match.position.status != PositionStatus.APPROVED:
        raise ValidationError(
            _(
                "The position has been withdrawn since the match was published; "
                "the JIP office will be in touch."
            ),
            code="position_withdrawn",
        )
    if accept and match.application.status != ApplicationStatus.POOL:
        raise ValidationError(
            _("The application has been withdrawn since the match was published."),
            code="application_withdrawn",
        )
    decision = MatchDecision.ACCEPTED if accept else MatchDecision.DECLINED
    now = clock.now()
    if party == "applicant":
        if match.applicant_decision != MatchDecision.PENDING:
            raise ValidationError(_("You have answered already."), code="answered")
        if match.company_decision == MatchDecision.DECLINED:
            raise ValidationError(_("The company has declined this match."), code="closed")
        match.applicant_decision, match.applicant_decided_at = decision, now
    elif party == "company":
        if match.company_decision != MatchDecision.PENDING:
            raise ValidationError(_("Your company has answered already."), code="answered")
        if match.applicant_decision == MatchDecision.DECLINED:
            raise ValidationError(_("The applicant has declined this match."), code="closed")
        match.company_decision, match.company_decided_at, match.company_decided_by = decision, now, by
    else:
        raise ValueError(f"Unknown party {party!r}")
    match.save()
    audit_record(actor=by, action="match.respond", target=match, data={"party": party, "accept": accept})
    if accept and match.applicant_decision == match.company_decision == MatchDecision.ACCEPTED:
        placement_create(match=match, by=by)
        _mail("match", match.pk, "matching/email/placement_final")
        _mail("match_company", match.pk, "matching/email/placement_final")
    elif not accept:
        other = "match_company" if party == "applicant" else "match"
        _mail(other, match.pk, "matching/email/match_declined")
    return match


@transaction.atomic
def placement_create(*, match: Match, by: User | None) -> Placement:
    """Mutual agreement makes the placement final (docs/program.md §10); one placement per application.

    Called when the second side accepts. The apps that follow start their part on `signals.placement_created`
    (internships: the internship and its checklist), in this transaction: if they fail, no placement is made.
    """
    application = match.application
    if Placement.objects.filter(application=application).exists():
        raise ValidationError(_("This applicant has a placement already."), code="placed")
    placement = Placement.objects.create(
        match=match, cycle_id=application.cycle_id, application=application, position=match.position,
        course=match.course,
    )  # fmt: skip
    audit_record(actor=by, action="placement.create", target=placement, data={"match": match.pk})
    signals.placement_created.send(sender=Placement, placement=placement, by=by)
    return placement
