"""Answers to published matches, and the placement both acceptances make final: matching ends there and tells
the apps that follow (`signals.placement_created`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import ApplicationStatus
from companies.models import PositionStatus
from jip import clock
from jip.audit import audit_record
from jip.models import User

from .. import signals
from ..models import Match, MatchDecision, Placement, RoundStatus
from .shared import mail_queue


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
        mail_queue("match", match.pk, "matching/email/placement_final")
        mail_queue("match_company", match.pk, "matching/email/placement_final")
    elif not accept:
        other = "match_company" if party == "applicant" else "match"
        mail_queue(other, match.pk, "matching/email/match_declined")
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
