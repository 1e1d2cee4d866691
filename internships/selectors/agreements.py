"""Reads of the internships app. Agreements: the snapshot of an agreement's data, who sees which agreement,
what each is waiting for, and a generation batch's progress.

Every agreement read here starts with `agreement`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import translation

from companies.prefectures import Prefecture
from companies.rules import company_ids_managed_by
from jip import clock
from jip.models import Course, CourseKind, CourseTerm
from matching.models import Placement

from ..models import (
    Agreement,
    AgreementKind,
    AgreementSignature,
    AgreementTemplate,
    AgreementVersion,
    GenerationBatch,
    SignatureParty,
    VersionStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The JIP office as the agreements name it; the templates may say more.
OFFICE = {
    "name_en": "Japan Internship Program Office",
    "name_ja": "ジャパン・インターンシップ・プログラム事務局",
}

# Who signs an agreement of each kind, besides the office (which countersigns last).
PARTY_OF_KIND: dict[str, SignatureParty] = {
    AgreementKind.INTERN: SignatureParty.INTERN,
    AgreementKind.COMPANY: SignatureParty.COMPANY,
}
KIND_LETTER: dict[str, str] = {AgreementKind.INTERN: "I", AgreementKind.COMPANY: "C"}


# --- The snapshot -----------------------------------------------------------------------------------


def _in_both(label) -> dict[str, str]:
    """A label in English and in Japanese (the PDF carries both, whoever renders it): a lazy label, or a
    function that reads one in the active language."""
    shown = {}
    for language in ("en", "ja"):
        with translation.override(language):
            shown[language] = str(label() if callable(label) else label)
    return shown


def _date_en(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _date_ja(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _yen(amount: int) -> str:
    return f"{amount:,}"


def _term_of(course: Course | None, starts_on: dt.date | None) -> CourseTerm | None:
    """The course's term the internship falls in (by its start date), or its only term."""
    if course is None:
        return None
    terms = list(course.terms.all())
    for term in terms:
        if starts_on and term.starts_on and term.ends_on and term.starts_on <= starts_on <= term.ends_on:
            return term
    return terms[0] if len(terms) == 1 else None


def agreement_snapshot_for(*, placement: Placement, kind: str, template: AgreementTemplate) -> dict:
    """Everything the agreement states, as plain data: names, the internship's terms and the template's text.

    The version keeps it, so the PDF can be rendered again from it alone and a change shows in its hash.
    Rules (course, rate, local-currency basis) are read from the cycle's Course (docs/program.md §14).
    """
    application = placement.application
    position = placement.position
    company = position.company
    cycle = placement.cycle
    internship = getattr(placement, "internship", None)
    course = next((c for c in cycle.courses.all() if c.kind == placement.course), None)
    starts_on = internship.starts_on if internship else position.starts_on
    ends_on = internship.ends_on if internship else position.ends_on
    term = _term_of(course, starts_on)
    online = placement.course == CourseKind.ONLINE
    prefecture = _in_both(Prefecture(position.place_prefecture).label) if position.place_prefecture else None
    city = position.place_city
    if online:
        place = {"en": "Online, from the intern's home", "ja": "オンライン（インターン生の自宅等から）"}
    else:
        place = {
            "en": ", ".join(p for p in (city, prefecture["en"] if prefecture else "") if p),
            "ja": "".join(p for p in (prefecture["ja"] if prefecture else "", city) if p),
        }
    rate = course.support_rate_jpy_per_day if course else None
    local = bool(course and course.paid_in_local_currency)
    if rate is None:
        support = {"en": "", "ja": ""}
    elif local:
        support = {
            "en": f"the equivalent of {_yen(rate)} yen per activity day, paid in the intern's local currency",
            "ja": f"活動日1日あたり{_yen(rate)}円相当額（インターン生の現地通貨で支給）",
        }
    else:
        support = {"en": f"{_yen(rate)} yen per activity day", "ja": f"活動日1日あたり{_yen(rate)}円"}
    hours_per_day = term.hours_per_day if term else None
    hours: dict[str, int | str | None] = {"per_week": position.hours_per_week, "per_day": hours_per_day}
    hours["en"] = f"{position.hours_per_week} hours a week" + (
        f" ({hours_per_day} hours a day)" if hours_per_day else ""
    )
    hours["ja"] = f"週{position.hours_per_week}時間" + (
        f"（1日{hours_per_day}時間）" if hours_per_day else ""
    )
    mentor_name = (internship.mentor_name if internship else "") or position.mentor_name
    mentor_title = (internship.mentor_title if internship else "") or position.mentor_title
    nationality = (
        _in_both(lambda: application.nationality.name) if application.nationality else {"en": "", "ja": ""}
    )
    return {
        "kind": kind,
        "reference": f"JIP{cycle.fiscal_year}-{KIND_LETTER[kind]}-{placement.pk:05d}",
        "office": OFFICE,
        "cycle": {"fiscal_year": cycle.fiscal_year, "name_en": cycle.name_en, "name_ja": cycle.name_ja},
        "intern": {
            "name": application.full_name,
            "family_name": application.family_name,
            "given_names": application.given_names,
            "name_ja": application.name_ja,
            "nationality": {"code": str(application.nationality or ""), **nationality},
            "application_number": application.number or "",
        },
        "company": {
            "name_en": company.name_en,
            "name_ja": company.name_ja,
            "corporate_number": company.corporate_number,
            "contact_name": company.contact_name,
        },
        "position": {"title": position.title, "role_and_goals": position.role_and_goals},
        "course": {"kind": placement.course, **_in_both(CourseKind(placement.course).label)},
        "place": place,
        "period": {
            "starts_on": starts_on.isoformat() if starts_on else "",
            "ends_on": ends_on.isoformat() if ends_on else "",
            "en": f"{_date_en(starts_on)} – {_date_en(ends_on)}" if starts_on and ends_on else "",
            "ja": f"{_date_ja(starts_on)}～{_date_ja(ends_on)}" if starts_on and ends_on else "",
            "activity_days": term.activity_days if term else None,
        },
        "hours": hours,
        "support": {"rate_jpy_per_day": rate, "paid_in_local_currency": local, **support},
        "mentor": {"name": mentor_name, "title": mentor_title},
        "template": {"id": template.pk, "version": template.version},
        "text": {
            "title_en": template.title_en,
            "title_ja": template.title_ja,
            "body_en": template.body_en,
            "body_ja": template.body_ja,
        },
    }


def agreement_snapshot_sha256(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def agreement_template_active(*, kind: str) -> AgreementTemplate | None:
    return AgreementTemplate.objects.filter(kind=kind, is_active=True).order_by("-version").first()


def agreement_placements_of_cycle(*, cycle) -> QuerySet[Placement]:
    """The cycle's placements with what their snapshots read, in a few queries for the whole batch."""
    return (
        Placement.objects.filter(cycle=cycle)
        .select_related("application", "position__company", "cycle", "internship")
        .prefetch_related("cycle__courses__terms")
        .order_by("pk")
    )


# --- Who sees which agreement -----------------------------------------------------------------------


def agreements_visible_to(*, user) -> QuerySet[Agreement]:
    """A party's own agreements: the intern's with the office; the company's, for each of its managers."""
    if not (user and user.is_authenticated):
        return Agreement.objects.none()
    mine = Q(kind=AgreementKind.INTERN, placement__application__applicant_id=user.pk)
    companies = company_ids_managed_by(user)
    if companies:
        mine |= Q(kind=AgreementKind.COMPANY, placement__position__company_id__in=companies)
    return Agreement.objects.filter(mine)


def agreement_parties_of(*, agreement: Agreement, user) -> list[str]:
    """The parties `user` may sign for on this agreement (none, or one)."""
    placement = agreement.placement
    if agreement.kind == AgreementKind.INTERN and placement.application.applicant_id == user.pk:
        return [SignatureParty.INTERN]
    if agreement.kind == AgreementKind.COMPANY and placement.position.company_id in company_ids_managed_by(
        user
    ):
        return [SignatureParty.COMPANY]
    return []


# --- What an agreement is waiting for ---------------------------------------------------------------


def _latest(field: str) -> Subquery:
    return Subquery(
        AgreementVersion.objects.filter(agreement=OuterRef("pk")).order_by("-number").values(field)[:1]
    )


def _signed_at(parties: Sequence[str]) -> Subquery:
    return Subquery(
        AgreementSignature.objects.filter(version_id=OuterRef("latest_id"), party__in=parties)
        .order_by("signed_at")
        .values("signed_at")[:1],
        output_field=DateTimeField(),
    )


class AgreementState(TypedDict):
    """What `agreements_with_state` annotates an agreement with."""

    latest_id: int | None
    latest_number: int | None
    latest_status: str | None
    ready_at: dt.datetime | None
    party_signed_at: dt.datetime | None
    office_signed_at: dt.datetime | None
    waiting_for: str
    due_since: dt.datetime | None


if TYPE_CHECKING:
    AgreementWithState = WithAnnotations[Agreement, AgreementState]


class Waiting:
    RENDERING = "rendering"
    FAILED = "failed"
    PARTY = "party"
    OFFICE = "office"
    SIGNED = "signed"
    NOTHING = "nothing"  # no version yet


def agreements_with_state(
    queryset: QuerySet[Agreement] | None = None,
) -> QuerySet[AgreementWithState]:
    """Agreements annotated with their latest version and its signatures, in the same query as the rows:

    latest_id, latest_number, latest_status, ready_at (rendered), party_signed_at, office_signed_at,
    waiting_for (a `Waiting` value) and due_since (since when the awaited signature is due).
    """
    queryset = Agreement.objects.all() if queryset is None else queryset
    other = [SignatureParty.INTERN, SignatureParty.COMPANY]
    return (
        queryset.annotate(
            latest_id=_latest("pk"),
            latest_number=_latest("number"),
            latest_status=_latest("status"),
            ready_at=_latest("rendered_at"),
        )
        .annotate(party_signed_at=_signed_at(other), office_signed_at=_signed_at([SignatureParty.OFFICE]))
        .annotate(
            waiting_for=Case(
                When(latest_id__isnull=True, then=Value(Waiting.NOTHING)),
                When(latest_status=VersionStatus.PENDING, then=Value(Waiting.RENDERING)),
                When(latest_status=VersionStatus.FAILED, then=Value(Waiting.FAILED)),
                When(party_signed_at__isnull=True, then=Value(Waiting.PARTY)),
                When(office_signed_at__isnull=True, then=Value(Waiting.OFFICE)),
                default=Value(Waiting.SIGNED),
            ),
            due_since=Case(
                When(latest_status=VersionStatus.READY, party_signed_at__isnull=True, then=F("ready_at")),
                When(
                    latest_status=VersionStatus.READY,
                    office_signed_at__isnull=True,
                    then=F("party_signed_at"),
                ),
                default=None,
                output_field=DateTimeField(),
            ),
        )
    )


def agreement_days_waiting(due_since: dt.datetime | None, *, today: dt.date | None = None) -> int | None:
    if due_since is None:
        return None
    today = today or clock.today_jst()
    return (today - due_since.astimezone(clock.JST).date()).days


def agreement_list_for(*, user) -> list[AgreementWithState]:
    """A party's agreements, newest cycle first, each annotated with where it stands (one query)."""
    return list(
        agreements_with_state(agreements_visible_to(user=user))
        .select_related("placement__cycle", "placement__position__company", "placement__application")
        .order_by("-placement__cycle__fiscal_year", "-created_at", "-pk")
    )


@dataclass(frozen=True)
class PartyAgreement:
    """One agreement as its party reads it: where it stands, and every version with its signatures."""

    agreement: AgreementWithState
    versions: list[AgreementVersion]  # newest first
    latest: AgreementVersion | None


def agreement_for_party(*, user, pk: int) -> PartyAgreement | None:
    """One of the user's agreements, with its versions and their signatures; None for anyone else's."""
    agreement = (
        agreements_with_state(agreements_visible_to(user=user))
        .select_related("placement__cycle", "placement__position__company", "placement__application")
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        return None
    versions = list(agreement.versions.order_by("-number").prefetch_related("signatures__user"))
    latest = next((v for v in versions if v.pk == agreement.latest_id), None)
    return PartyAgreement(agreement=agreement, versions=versions, latest=latest)


def agreement_signable_version(agreement: Agreement) -> AgreementVersion | None:
    """The version a party signs: the latest, once it is ready. An older one no longer counts."""
    latest = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
    return latest if latest and latest.status == VersionStatus.READY else None


def agreement_version_for_file(*, pk: int) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.select_related(
            "agreement__placement__application", "agreement__placement__position"
        )
        .filter(pk=pk)
        .first()
    )


# --- A batch's progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchProgress:
    total: int
    pending: int
    ready: int
    failed: int
    unchanged: int
    refused: int
    queued_all: bool

    @property
    def done(self) -> bool:
        return self.queued_all and self.pending == 0

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.queued_all else 0
        return round(100 * (self.ready + self.failed + self.unchanged + self.refused) / self.total)

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "pending": self.pending,
            "ready": self.ready,
            "failed": self.failed,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "done": self.done,
            "percent": self.percent,
        }


def agreement_batch_progress(*, batch: GenerationBatch) -> BatchProgress:
    """Counts of the batch's versions by status, in one query."""
    counts = AgreementVersion.objects.filter(batch=batch).aggregate(
        pending=Count("pk", filter=Q(status=VersionStatus.PENDING)),
        ready=Count("pk", filter=Q(status=VersionStatus.READY)),
        failed=Count("pk", filter=Q(status=VersionStatus.FAILED)),
    )
    return BatchProgress(
        total=batch.total,
        unchanged=batch.unchanged,
        refused=len(batch.refused),
        queued_all=batch.finished_at is not None,
        **counts,
    )


def agreement_batches_with_counts(queryset: QuerySet[GenerationBatch]) -> QuerySet[GenerationBatch]:
    """Batches with their versions counted by status, for the admin's list (one query)."""
    return queryset.annotate(
        n_pending=Count("versions", filter=Q(versions__status=VersionStatus.PENDING)),
        n_ready=Count("versions", filter=Q(versions__status=VersionStatus.READY)),
        n_failed=Count("versions", filter=Q(versions__status=VersionStatus.FAILED)),
    )


def agreement_state_order() -> Case:
    """Sorts what needs doing first: failed, then waiting for a party, the office, rendering, signed."""
    order = [
        Waiting.FAILED,
        Waiting.PARTY,
        Waiting.OFFICE,
        Waiting.RENDERING,
        Waiting.NOTHING,
        Waiting.SIGNED,
    ]
    return Case(
        *[When(waiting_for=value, then=Value(i)) for i, value in enumerate(order)],
        output_field=IntegerField(),
    )
