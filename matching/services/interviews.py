"""Interviews: the company proposes slots, the applicant picks one, the company records how it went."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jip import clock
from jip.audit import audit_record
from jip.models import User

from ..models import Interview, InterviewMode, InterviewOutcome, InterviewSlot, InterviewStatus, Referral
from .shared import mail_queue, referral_locked, referral_open_check

MAX_SLOTS = 5


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
    referral = referral_locked(referral)
    referral_open_check(referral)
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
    mail_queue("interview", interview.pk, "matching/email/interview_proposed")
    return interview


@transaction.atomic
def interview_slot_choose(*, interview: Interview, slot: InterviewSlot, by: User) -> Interview:
    """The applicant picks one of the proposed slots that has not passed; the company is told
    (docs/program.md §9)."""
    interview = Interview.objects.select_for_update().select_related("referral").get(pk=interview.pk)
    referral_open_check(interview.referral)
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
    mail_queue("interview_company", interview.pk, "matching/email/interview_scheduled")
    return interview


@transaction.atomic
def interview_outcome_record(*, interview: Interview, outcome: str, note: str, by: User) -> Interview:
    """The company records how a scheduled interview went, once it has started (docs/program.md §9)."""
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("referral", "chosen_slot")
        .get(pk=interview.pk)
    )
    referral_open_check(interview.referral)
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
