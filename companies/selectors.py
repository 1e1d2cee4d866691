"""Reads for the company portal; every queryset is scoped to the companies the user manages.

A portal page first finds the company through `company_for_manager` (the user's own memberships), then
looks every other object up *within* that company, so another company's id finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.db.models import F, Field, QuerySet

from jip import clock

from .models import CompanyInvitation, CompanyManager, HostCompany, Position
from .rules import company_ids_managed_by

# The fields whose changes the portal's short history names (the office's review included).
HISTORY_FIELDS = (
    "name_ja", "name_en", "corporate_number", "organisation_type", "industry", "business_description",
    "capital_jpy", "regular_employees", "head_office_prefecture", "head_office_city",
    "main_business_in_japan", "main_business_prefecture", "main_business_city", "overseas_plans",
    "website", "contact_name", "contact_email", "contact_phone", "status", "review_reason",
)  # fmt: skip


def companies_for_manager(*, user) -> QuerySet[HostCompany]:
    return HostCompany.objects.filter(pk__in=company_ids_managed_by(user)).order_by("name_en")


def company_for_manager(*, user) -> HostCompany | None:
    """The company this user manages (a user manages one), or None."""
    if not company_ids_managed_by(user):
        return None
    return companies_for_manager(user=user).first()


def company_managers(*, company: HostCompany) -> QuerySet[CompanyManager]:
    return company.managers.select_related("user").order_by("added_at", "pk")


class MailRecipient(TypedDict):
    email: str
    language: str


def company_mail_recipients(*, company_id: int) -> list[MailRecipient]:
    """Whom a company's mail goes to: each manager's address and language, in the order they joined."""
    managers = CompanyManager.objects.filter(company_id=company_id).order_by("pk")
    return list(managers.values(email=F("user__email"), language=F("user__preferred_language")))


def company_manager_of(*, company: HostCompany, pk: int) -> CompanyManager | None:
    return company.managers.select_related("user").filter(pk=pk).first()


def company_invitations_open(*, company: HostCompany) -> QuerySet[CompanyInvitation]:
    """Invitations neither accepted nor revoked (expired ones included, so the manager can send a new one)."""
    return (
        company.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def company_invitation_of(*, company: HostCompany, pk: int) -> CompanyInvitation | None:
    return company.invitations.filter(pk=pk).first()


def invitation_state(invitation: CompanyInvitation | None) -> str:
    """ "open", "used", "expired" or "invalid" (unknown or revoked), as `invitation_accept` would judge it."""
    if invitation is None or invitation.revoked_at is not None:
        return "invalid"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.expires_at <= clock.now():
        return "expired"
    return "open"


def company_positions(*, company: HostCompany) -> QuerySet[Position]:
    return company.positions.select_related("cycle").order_by("-cycle__fiscal_year", "-created_at", "-pk")


def company_position_of(*, company: HostCompany, pk: int) -> Position | None:
    return company.positions.select_related("cycle").filter(pk=pk).first()


@dataclass(frozen=True)
class HistoryEntry:
    date: object
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    fields: list[str]


def company_history(*, company: HostCompany, limit: int = 10) -> list[HistoryEntry]:
    """The company's last changes, newest first, each with who made it and which fields changed.

    One query: one record more than shown is read, so the oldest shown one is compared with its predecessor
    in memory.
    """
    records = list(
        company.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    labels = {f.name: f.verbose_name for f in HostCompany._meta.get_fields() if isinstance(f, Field)}
    entries = []
    for record, previous in zip(records[:limit], [*records[1:], None], strict=False):
        changed = (
            [str(labels[name]) for name in HISTORY_FIELDS if getattr(record, name) != getattr(previous, name)]
            if previous is not None
            else []
        )
        entries.append(
            HistoryEntry(date=record.history_date, user=record.history_user, kind=record.history_type,
                         fields=changed)
        )  # fmt: skip
    return entries
