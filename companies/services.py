"""Every change to a host company, its managers and its positions: one function per change, in a
transaction, with an audit entry; managers are told by e-mail through Celery."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from jip import clock
from jip.audit import audit_record
from jip.models import ProgramCycle, User
from jip.tasks import task_enqueue

from . import eligibility
from .corporate_number import normalise, validate_corporate_number
from .models import (
    CompanyInvitation,
    CompanyManager,
    HostCompany,
    Position,
    PositionCourse,
    PositionStatus,
    ReviewStatus,
)

INVITATION_DAYS = 7

# What a manager may set on the company (status and outcomes are the office's).
PROFILE_FIELDS = frozenset(
    {
        "name_ja", "name_en", "corporate_number", "organisation_type", "industry", "business_description",
        "capital_jpy", "regular_employees", "head_office_prefecture", "head_office_city",
        "main_business_in_japan", "main_business_prefecture", "main_business_city", "overseas_plans",
        "website", "contact_name", "contact_email", "contact_phone",
    }
)  # fmt: skip
POSITION_FIELDS = frozenset(
    {
        "title", "role_and_goals", "course", "place_prefecture", "place_city", "starts_on", "ends_on",
        "hours_per_week", "skills", "japanese_level", "english_level", "conditions", "interns",
        "interns_online", "mentor_name", "mentor_title",
    }
)  # fmt: skip
EDITABLE_POSITION_STATUSES = {PositionStatus.SUBMITTED, PositionStatus.REJECTED}


def _check_fields(data: dict, allowed: frozenset[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Not fields a company manager sets: {sorted(unknown)}")


def _evaluate(company: HostCompany) -> None:
    outcomes = eligibility.evaluate(company)
    company.eligibility = eligibility.as_json(outcomes)
    company.is_eligible = eligibility.qualifies(outcomes)


def _mail_managers(company: HostCompany, template: str, context: dict | None = None) -> None:
    task_enqueue("companies.tasks.company_mail_send", company.pk, template, context or {})


def _corporate_number_taken() -> ValidationError:
    # The code goes on the field's error: ValidationError drops a `code` given with a dict.
    message = _("A company with this corporate number is registered already.")
    return ValidationError({"corporate_number": ValidationError(message, code="taken")})


@transaction.atomic
def company_register(*, user: User, data: dict) -> HostCompany:
    """A manager registers their company; it waits for the JIP office's review, with its SME outcome shown
    (FY2024 call, SME Basic Act: docs/program.md §6)."""
    _check_fields(data, PROFILE_FIELDS)
    if CompanyManager.objects.filter(user=user).exists():
        raise ValidationError(_("You manage a host company already."), code="has_company")
    data = {**data, "corporate_number": normalise(data.get("corporate_number", ""))}
    validate_corporate_number(data["corporate_number"])
    if HostCompany.objects.filter(corporate_number=data["corporate_number"]).exists():
        raise _corporate_number_taken()
    company = HostCompany(**data)
    _evaluate(company)
    try:
        with transaction.atomic():  # two registrations of one number at the same moment
            company.save()
            CompanyManager.objects.create(company=company, user=user)
    except IntegrityError:
        if HostCompany.objects.filter(corporate_number=data["corporate_number"]).exists():
            raise _corporate_number_taken() from None
        raise ValidationError(_("You manage a host company already."), code="has_company") from None
    audit_record(actor=user, action="company.registered", target=company)
    return company


@transaction.atomic
def company_update(*, company: HostCompany, data: dict, by: User) -> HostCompany:
    """Keeps the profile up to date; every change stays in the company's history."""
    _check_fields(data, PROFILE_FIELDS)
    company = HostCompany.objects.select_for_update().get(pk=company.pk)
    if "corporate_number" in data:
        data = {**data, "corporate_number": normalise(data["corporate_number"])}
        validate_corporate_number(data["corporate_number"])
        if (
            HostCompany.objects.filter(corporate_number=data["corporate_number"])
            .exclude(pk=company.pk)
            .exists()
        ):
            raise _corporate_number_taken()
    changed = sorted(k for k, v in data.items() if getattr(company, k) != v)
    for key, value in data.items():
        setattr(company, key, value)
    _evaluate(company)
    if company.status == ReviewStatus.REJECTED:
        company.status = ReviewStatus.PENDING  # a corrected profile goes back to the office
    # simple-history reads both from the instance it saves; it ships no types, so mypy cannot know them.
    company._change_reason = "profile update"  # type: ignore[attr-defined]
    company._history_user = by  # type: ignore[attr-defined]  # outside a request the middleware knows no user
    company.save()
    audit_record(actor=by, action="company.updated", target=company, data={"fields": changed})
    return company


@transaction.atomic
def company_review(*, company: HostCompany, approve: bool, by: User, reason: str = "") -> HostCompany:
    """The office approves a company that qualifies (FY2024 call, SME Basic Act), or rejects it with a reason
    and its open positions with it (docs/program.md §6)."""
    company = HostCompany.objects.select_for_update().get(pk=company.pk)
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the company is not approved.")})
    if approve and not company.is_eligible:
        raise ValidationError(_("This company does not qualify: see its eligibility."), code="not_eligible")
    if approve and company.status == ReviewStatus.APPROVED:
        raise ValidationError(_("This company is approved already."), code="repeated")
    company.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    company.review_reason = reason.strip()
    company.reviewed_at = clock.now()
    company.save(update_fields=["status", "review_reason", "reviewed_at"])
    if not approve:
        # A company that is not approved hosts no one: its open positions leave the cap with it.
        company.positions.filter(status__in=[PositionStatus.SUBMITTED, PositionStatus.APPROVED]).update(
            status=PositionStatus.REJECTED,
            review_reason=company.review_reason,
            reviewed_at=company.reviewed_at,
        )
    audit_record(
        actor=by, action="company.approved" if approve else "company.rejected", target=company,
        data={"reason": company.review_reason},
    )  # fmt: skip
    _mail_managers(company, "companies/email/company_reviewed")
    return company


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, company: HostCompany, email: str, by: User) -> CompanyInvitation:
    """Invites a colleague by e-mail; the link works once, for that address, for seven days
    (docs/program.md §2)."""
    email = email.strip().lower()
    if CompanyManager.objects.filter(company=company, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person manages the company already.")})
    if CompanyManager.objects.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person manages another host company.")})
    token = secrets.token_urlsafe(32)
    invitation = CompanyInvitation.objects.create(
        company=company,
        email=email,
        token_hash=_token_hash(token),
        invited_by=by,
        expires_at=clock.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(actor=by, action="company.invited", target=company, data={"email": email})
    task_enqueue("companies.tasks.invitation_mail_send", invitation.pk, token, by.preferred_language)
    return invitation


def invitation_for_token(token: str) -> CompanyInvitation | None:
    return CompanyInvitation.objects.select_related("company").filter(token_hash=_token_hash(token)).first()


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> CompanyManager:
    invitation = CompanyInvitation.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation link is not valid."), code="invalid")
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has been used already."), code="used")
    if invitation.expires_at <= clock.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."), code="expired")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation is for %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email},
            code="other_email",
        )
    if CompanyManager.objects.filter(user=user).exists():
        raise ValidationError(_("You manage a host company already."), code="has_company")
    try:
        with transaction.atomic():
            membership = CompanyManager.objects.create(company=invitation.company, user=user)
    except IntegrityError:
        raise ValidationError(_("You manage a host company already."), code="has_company") from None
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user, action="company.manager_joined", target=invitation.company, data={"email": user.email}
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: CompanyInvitation, by: User) -> CompanyInvitation:
    invitation = CompanyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = clock.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="company.invitation_revoked", target=invitation.company,
                     data={"email": invitation.email})  # fmt: skip
    return invitation


@transaction.atomic
def manager_remove(*, membership: CompanyManager, by: User) -> None:
    company = HostCompany.objects.select_for_update().get(pk=membership.company_id)
    if company.managers.count() <= 1:
        raise ValidationError(_("A company needs at least one manager."), code="last_manager")
    email = membership.user.email
    membership.delete()
    audit_record(actor=by, action="company.manager_removed", target=company, data={"email": email})


def _check_position(data: dict) -> None:
    errors = {}
    if data.get("course") in ("in_person", "both") and not data.get("place_prefecture"):
        errors["place_prefecture"] = _("Give the place of an in-person internship.")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("The internship cannot end before it starts.")
    if data.get("interns") is not None and data["interns"] < 1:
        errors["interns"] = _("A position has at least one intern.")
    online = data.get("interns_online") or 0
    if data.get("course") == "both" and data.get("interns") is not None and online > data["interns"]:
        errors["interns_online"] = _("The online places cannot be more than the places in all.")
    if errors:
        raise ValidationError(errors)


def _normalise_places(position: Position) -> None:
    # A single-course position has all its places in that course; "of which online" speaks only for both.
    position.interns_online = (position.interns_online or 0) if position.course == PositionCourse.BOTH else 0


@transaction.atomic
def position_create(*, company: HostCompany, cycle: ProgramCycle, data: dict, by: User) -> Position:
    """A company describes a position of the cycle; it waits for the office's review (docs/program.md §7)."""
    _check_fields(data, POSITION_FIELDS)
    _check_position(data)
    position = Position(company=company, cycle=cycle, **data)
    _normalise_places(position)
    position.save()
    audit_record(actor=by, action="position.created", target=position)
    return position


@transaction.atomic
def position_update(*, position: Position, data: dict, by: User) -> Position:
    """A position is edited while it is not approved; editing one that was not approved submits it again
    (docs/program.md §7)."""
    _check_fields(data, POSITION_FIELDS)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status not in EDITABLE_POSITION_STATUSES:
        raise ValidationError(_("An approved or withdrawn position can no longer be changed."), code="locked")
    _check_position({**{f: getattr(position, f) for f in POSITION_FIELDS}, **data})
    for key, value in data.items():
        setattr(position, key, value)
    _normalise_places(position)
    position.status = PositionStatus.SUBMITTED
    position.save()
    audit_record(actor=by, action="position.updated", target=position)
    return position


@transaction.atomic
def position_withdraw(*, position: Position, by: User) -> Position:
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status == PositionStatus.WITHDRAWN:
        return position
    position.status = PositionStatus.WITHDRAWN
    position.save(update_fields=["status"])
    audit_record(actor=by, action="position.withdrawn", target=position)
    return position


def companies_with_approved_position(*, cycle: ProgramCycle) -> set[int]:
    return set(
        Position.objects.filter(cycle=cycle, status=PositionStatus.APPROVED)
        .values("company_id")
        .annotate(n=Count("pk"))
        .values_list("company_id", flat=True)
    )


@transaction.atomic
def position_review(*, position: Position, approve: bool, by: User, reason: str = "") -> Position:
    """The office approves or rejects a position.

    FY2024 call: at most 60 companies (the cycle's company cap) have an approved position; docs/program.md §6.
    The cycle row is locked first, so two staff approving at the same moment are counted one after the other
    (under PostgreSQL's default READ COMMITTED, each count after the lock sees every approval committed before
    it). The company row is locked with the position (a join under FOR UPDATE locks both).
    """
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the position is not approved.")})
    locked = Position.objects.select_for_update().select_related("company").get(pk=position.pk)
    cycle = ProgramCycle.objects.select_for_update().get(pk=locked.cycle_id)
    if locked.status == PositionStatus.WITHDRAWN:
        raise ValidationError(_("This position has been withdrawn."), code="withdrawn")
    if approve and locked.status == PositionStatus.APPROVED:
        raise ValidationError(_("This position is approved already."), code="repeated")
    if approve:
        if locked.company.status != ReviewStatus.APPROVED:
            raise ValidationError(_("Approve the company before its positions."), code="company")
        hosting = companies_with_approved_position(cycle=cycle)
        if locked.company_id not in hosting and len(hosting) >= cycle.company_cap:
            raise ValidationError(
                _("The cycle's cap of %(cap)s host companies is reached: this position cannot be approved.")
                % {"cap": cycle.company_cap},
                code="cap",
            )
    locked.status = PositionStatus.APPROVED if approve else PositionStatus.REJECTED
    locked.review_reason = reason.strip()
    locked.reviewed_at = clock.now()
    locked.save(update_fields=["status", "review_reason", "reviewed_at"])
    audit_record(
        actor=by, action="position.approved" if approve else "position.rejected", target=locked,
        data={"reason": locked.review_reason},
    )  # fmt: skip
    _mail_managers(locked.company, "companies/email/position_reviewed", {"position_id": locked.pk})
    return locked
