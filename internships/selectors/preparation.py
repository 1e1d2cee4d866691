"""Reads for preparing the internship: whose internship, its checklist, its schedule, the cycle's blockers.

Every read a page makes is scoped to the user who asks: an intern finds their own internship, a company
manager the internships of the company they manage (`company_ids_managed_by`), staff any. Another's id finds
nothing, so the page answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet

from companies.rules import company_ids_managed_by
from jip.models import ProgramCycle
from jip.rules import is_jip_staff
from jip.timezones import time_zone_of_country

from ..models import (
    Attendance,
    Internship,
    InternshipStatus,
    LogisticsItem,
    LogisticsKind,
    LogisticsStatus,
    ProgramEvent,
)

# The order of the checklist: the documents first, then travel and stay, the PC last.
CHECKLIST_ORDER: list[str] = [
    LogisticsKind.VISA,
    LogisticsKind.FLIGHTS,
    LogisticsKind.ACCOMMODATION,
    LogisticsKind.INSURANCE,
    LogisticsKind.PC,
]
OPEN_STATUSES = (LogisticsStatus.TO_DO, LogisticsStatus.IN_PROGRESS, LogisticsStatus.BLOCKED)
# Internships that are over have no blockers any more.
FINISHED = (InternshipStatus.COMPLETED, InternshipStatus.ENDED_EARLY)


def _internships() -> QuerySet[Internship]:
    return Internship.objects.select_related(
        "placement__cycle", "placement__application__applicant", "placement__position__company"
    )


def _with_checklist(queryset: QuerySet[Internship]) -> QuerySet[Internship]:
    return queryset.prefetch_related(
        Prefetch("logistics", queryset=LogisticsItem.objects.order_by("kind"), to_attr="checklist_items")
    )


def checklist_sorted(items: Iterable[LogisticsItem]) -> list[LogisticsItem]:
    return sorted(items, key=lambda item: CHECKLIST_ORDER.index(item.kind))


def internship_of_intern(*, user) -> Internship | None:
    """The intern's internship, with its checklist: of the latest cycle if they were placed more than once."""
    if not user.is_authenticated:
        return None
    return (
        _with_checklist(_internships())
        .filter(placement__application__applicant=user)
        .order_by("-placement__cycle__fiscal_year", "-pk")
        .first()
    )


def internship_visible_to(*, user, pk: int) -> Internship | None:
    """One internship, if the user is its intern, a manager of its host company, or staff."""
    if not user.is_authenticated:
        return None
    queryset = _with_checklist(_internships()).filter(pk=pk)
    if not is_jip_staff(user):
        queryset = queryset.filter(
            Q(placement__application__applicant=user)
            | Q(placement__position__company_id__in=company_ids_managed_by(user))
        )
    return queryset.first()


def internships_of_company(*, company) -> QuerySet[Internship]:
    """The internships a host company hosts, newest cycle first, each with its checklist."""
    return (
        _with_checklist(_internships())
        .filter(placement__position__company=company)
        .order_by("-placement__cycle__fiscal_year", "placement__application__family_name", "pk")
    )


def internship_of_company(*, company, pk: int) -> Internship | None:
    return internships_of_company(company=company).filter(pk=pk).first()


# --- The schedule --------------------------------------------------------------------------------------


def _overlaps_term(starts_on: dt.date | None, ends_on: dt.date | None) -> Q:
    """Events of no term, or of a term the internship's dates overlap (all terms if the dates are unknown)."""
    if starts_on is None or ends_on is None:
        return Q()
    return (
        Q(term__isnull=True)
        | Q(term__starts_on__isnull=True)
        | Q(term__ends_on__isnull=True)
        | Q(term__starts_on__lte=ends_on, term__ends_on__gte=starts_on)
    )


def _schedule_q(internship: Internship) -> Q:
    placement = internship.placement
    return (
        Q(cycle_id=placement.cycle_id)
        & (Q(course="") | Q(course=placement.course))
        & _overlaps_term(internship.starts_on, internship.ends_on)
    )


def _events() -> QuerySet[ProgramEvent]:
    return ProgramEvent.objects.select_related("term").order_by("starts_at", "pk")


def schedule_of_internship(
    *, internship: Internship, with_attendance: bool = False
) -> QuerySet[ProgramEvent]:
    """The cycle's events for the internship's course (and term), and those for every intern."""
    queryset = _events().filter(_schedule_q(internship))
    if with_attendance:
        queryset = queryset.prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.filter(internship=internship), to_attr="mine")
        )
    return queryset


def schedule_of_internships(*, internships: Iterable[Internship]) -> QuerySet[ProgramEvent]:
    """The events of any of these internships (a host company's), each once."""
    conditions = [_schedule_q(internship) for internship in internships]
    if not conditions:
        return ProgramEvent.objects.none()
    return _events().filter(reduce(or_, conditions)).distinct()


def event_concerns(*, event: ProgramEvent, internship: Internship) -> bool:
    """Whether the event is on this internship's schedule (the rule of `schedule_of_internship`)."""
    placement = internship.placement
    if event.cycle_id != placement.cycle_id or event.course not in ("", placement.course):
        return False
    term = event.term
    if term is None:
        return True
    term_starts, term_ends = term.starts_on, term.ends_on
    starts, ends = internship.starts_on, internship.ends_on
    if term_starts is None or term_ends is None or starts is None or ends is None:
        return True
    return term_starts <= ends and term_ends >= starts


def event_participants(*, event: ProgramEvent) -> QuerySet[Internship]:
    """The internships whose schedule holds the event, each with its attendance at it (`attendance`)."""
    queryset = _internships().filter(placement__cycle_id=event.cycle_id)
    if event.course:
        queryset = queryset.filter(placement__course=event.course)
    term = event.term
    if term is not None and term.starts_on and term.ends_on:
        queryset = queryset.filter(
            Q(starts_on__isnull=True)
            | Q(ends_on__isnull=True)
            | Q(starts_on__lte=term.ends_on, ends_on__gte=term.starts_on)
        )
    return queryset.prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.filter(event=event), to_attr="attendance_rows")
    ).order_by("placement__position__company__name_en", "placement__application__family_name", "pk")


def events_with_counts(queryset: QuerySet[ProgramEvent]) -> QuerySet[ProgramEvent]:
    return queryset.annotate(
        present=Count("attendances", filter=Q(attendances__status="present")),
        recorded=Count("attendances"),
    )


# --- Logistics -----------------------------------------------------------------------------------------


def logistics_blockers(*, cycle: ProgramCycle, today: dt.date) -> QuerySet[LogisticsItem]:
    """Every item of the cycle that holds an intern up: blocked, or past its due date and neither done nor
    needless; internships that are over are left out."""
    overdue = Q(due_on__lt=today, status__in=OPEN_STATUSES)
    return (
        LogisticsItem.objects.filter(internship__placement__cycle=cycle)
        .exclude(internship__status__in=FINISHED)
        .filter(Q(status=LogisticsStatus.BLOCKED) | overdue)
        .select_related(
            "internship__placement__application__applicant",
            "internship__placement__position__company",
            "updated_by",
        )
        .order_by("due_on", "internship__placement__position__company__name_en", "kind", "pk")
    )


def item_is_overdue(item: LogisticsItem, today: dt.date) -> bool:
    return item.due_on is not None and item.due_on < today and item.status in OPEN_STATUSES


def pc_item_of(*, internship: Internship) -> LogisticsItem | None:
    return LogisticsItem.objects.filter(internship=internship, kind=LogisticsKind.PC).first()


# --- Time zones ----------------------------------------------------------------------------------------


def time_zone_of_intern(*, internship: Internship) -> ZoneInfo | None:
    """The intern's own time zone: their country of residence's (None if it is Japan's or unknown)."""
    zone = time_zone_of_country(str(internship.placement.application.residence_country or ""))
    if zone is None or zone.key == "Asia/Tokyo":
        return None
    return zone
