"""Reads of the program-cycle core. Rules of the program are read here, never written as literals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.core.cache import cache
from django.db.models import BooleanField, Case, Prefetch, QuerySet, Value, When

from . import clock
from .models import Course, CourseTerm, EligibleCountry, Milestone, ProgramCycle

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Every page's header and the entry pages read the current cycle; it changes a few times a year. It is kept in
# the default cache (Redis when REDIS_URL is set, so every process shares it) for CURRENT_CYCLE_SECONDS at
# most; saving or deleting a cycle or a country list drops it at once (jip.signals). What must be exact reads
# the cycle itself: a submission checks the deadline on the cycle it reads with the locked row.
CURRENT_CYCLE_KEY = "jip:cycle-current"
CURRENT_CYCLE_SECONDS = 60


def cycle_current() -> ProgramCycle | None:
    """The published cycle of the latest fiscal year: the one the public site talks about, with its country
    list. Each call gives its own copy (from the cache, or read and kept there)."""
    kept = cache.get(CURRENT_CYCLE_KEY)
    if kept is not None:
        return kept[0]  # kept as a 1-tuple: "no current cycle" is kept too
    cycle = (
        ProgramCycle.objects.filter(is_published=True)
        .select_related("country_list")
        .order_by("-fiscal_year")
        .first()
    )
    cache.set(CURRENT_CYCLE_KEY, (cycle,), CURRENT_CYCLE_SECONDS)
    return cycle


def cycle_current_forget() -> None:
    """Drops the kept current cycle (after a cycle or a country list changed)."""
    cache.delete(CURRENT_CYCLE_KEY)


def cycle_current_for(request) -> ProgramCycle | None:
    """`cycle_current`, once per request: the header and the page share one copy, which no other request
    sees."""
    if not hasattr(request, "_jip_current_cycle"):
        request._jip_current_cycle = cycle_current()
    return request._jip_current_cycle


def cycles_published() -> QuerySet[ProgramCycle]:
    return ProgramCycle.objects.filter(is_published=True).order_by("-fiscal_year")


def cycle_with_schedule(*, fiscal_year: int, published_only: bool = True) -> ProgramCycle | None:
    """A cycle with its courses, terms and milestones, in a fixed number of queries."""
    qs = ProgramCycle.objects.select_related("country_list").prefetch_related(
        Prefetch(
            "courses",
            queryset=Course.objects.order_by("kind").prefetch_related(
                Prefetch("terms", queryset=CourseTerm.objects.order_by("number"))
            ),
        ),
        Prefetch("milestones", queryset=Milestone.objects.order_by("order", "starts_on")),
    )
    if published_only:
        qs = qs.filter(is_published=True)
    return qs.filter(fiscal_year=fiscal_year).first()


class CountryExclusion(TypedDict):
    excluded: bool


def cycle_eligible_countries(
    *, cycle: ProgramCycle
) -> list[WithAnnotations[EligibleCountry, CountryExclusion]]:
    """The cycle's list, each country marked `excluded` where the cycle's rule excludes it."""
    excluded = [c.code for c in cycle.excluded_countries]
    rule = Case(
        When(country__in=excluded, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return list(
        EligibleCountry.objects.filter(country_list_id=cycle.country_list_id)
        .annotate(excluded=rule)
        .order_by("name_on_list")
    )


COUNTRY_LIST_CACHE_SECONDS = 600


def country_list_cache_key(country_list_id: int) -> str:
    return f"jip:country-list:{country_list_id}"


def country_codes_on_list(*, country_list_id: int) -> frozenset[str]:
    """The ISO codes on an eligible-country list, cached: every eligibility check reads them, and a list
    changes a few times a year (a change of its rows drops the cache entry, see jip.signals)."""
    key = country_list_cache_key(country_list_id)
    codes = cache.get(key)
    if codes is None:
        codes = list(
            EligibleCountry.objects.filter(country_list_id=country_list_id).values_list("country", flat=True)
        )
        cache.set(key, codes, COUNTRY_LIST_CACHE_SECONDS)
    return frozenset(codes)


def country_is_eligible(*, cycle: ProgramCycle, country_code: str) -> bool:
    """FY2024 call: a country on the cycle's DAC list and not excluded by the cycle (China);
    docs/program.md §4."""
    if country_code in {c.code for c in cycle.excluded_countries}:
        return False
    return EligibleCountry.objects.filter(
        country_list_id=cycle.country_list_id, country=country_code
    ).exists()


@dataclass(frozen=True)
class DeadlineStatus:
    state: str  # "upcoming", "open" or "closed"
    opens_at: dt.datetime
    deadline_at: dt.datetime
    remaining: dt.timedelta

    @property
    def days(self) -> int:
        return self.remaining.days

    @property
    def hours(self) -> int:
        return self.remaining.seconds // 3600

    @property
    def minutes(self) -> int:
        return (self.remaining.seconds % 3600) // 60


def cycle_deadline_status(*, cycle: ProgramCycle, now: dt.datetime | None = None) -> DeadlineStatus:
    """Whether the application window is open, and how long is left (deadline: end of day, JST; FY2024 call:
    30 June 2024; docs/program.md §3)."""
    now = now or clock.now()
    if now < cycle.opens_at:
        state, remaining = "upcoming", cycle.opens_at - now
    elif now < cycle.deadline_at:
        state, remaining = "open", cycle.deadline_at - now
    else:
        state, remaining = "closed", dt.timedelta(0)
    return DeadlineStatus(
        state=state, opens_at=cycle.opens_at, deadline_at=cycle.deadline_at, remaining=remaining
    )
