"""A matching round's input, read from the database, and its result, explained in words.

Units are (position id, course) pairs: a position's places are per course, and an applicant who chose
both courses may take an in-person or an online place (docs/program.md §7, §10). Both sides' rankings come
from the referrals; fixed pairs, earlier placements, pending answers and the cycle's company cap shape the
instance.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q
from django.utils.translation import gettext as _

from applicants.models import Application, ApplicationStatus
from companies.models import Position, PositionStatus, ReviewStatus
from jip.models import CourseKind, ProgramCycle

from . import engine
from . import fit as pair_fit
from .models import (
    Match,
    MatchDecision,
    PairConstraint,
    PairConstraintKind,
    Placement,
    Referral,
    ReferralStatus,
    RoundStatus,
)

Unit = tuple[int, str]


@dataclass
class RoundOutcome:
    matches: list[dict]
    report: dict
    is_stable: bool


def _unit_key(unit: Unit) -> list:
    return [unit[0], unit[1]]


def _message(code: str, level: str = "warning", **params) -> dict:
    return {"code": code, "level": level, "params": params}


def compute(*, cycle: ProgramCycle) -> RoundOutcome:
    messages: list[dict] = []
    # Who is still to be matched: in the pool, not placed, not holding an unanswered or accepted match.
    held = Match.objects.filter(round__cycle=cycle, round__status=RoundStatus.PUBLISHED).exclude(
        Q(applicant_decision=MatchDecision.DECLINED) | Q(company_decision=MatchDecision.DECLINED)
    )
    held_pairs = list(held.values_list("application_id", "position_id", "course"))
    placed = set(Placement.objects.filter(cycle=cycle).values_list("application_id", flat=True))
    busy = placed | {a for a, _p, _c in held_pairs}
    declined_pairs = set(
        Match.objects.filter(round__cycle=cycle, round__status=RoundStatus.PUBLISHED)
        .filter(Q(applicant_decision=MatchDecision.DECLINED) | Q(company_decision=MatchDecision.DECLINED))
        .values_list("application_id", "position_id")
    )

    positions = {
        p.pk: p
        for p in Position.objects.filter(
            cycle=cycle, status=PositionStatus.APPROVED, company__status=ReviewStatus.APPROVED
        ).select_related("company")
    }
    # Places per unit, less the places held by placements and by unanswered matches of published rounds.
    capacities: dict[Unit, int] = {}
    for position in positions.values():
        for course, places in position.places_by_course().items():
            if places > 0:  # a course the position does not offer is no unit at all
                capacities[(position.pk, course)] = places
    taken: dict[Unit, int] = defaultdict(int)
    for placed_unit in Placement.objects.filter(cycle=cycle).values_list("position_id", "course"):
        taken[placed_unit] += 1
    for _a, position_id, course in held_pairs:
        if _a not in placed:
            taken[(position_id, course)] += 1
    for unit, count in taken.items():
        if unit in capacities:
            capacities[unit] = max(0, capacities[unit] - count)

    # The cycle's company cap, in the order the office approved the companies' positions.
    company_of = {unit: positions[unit[0]].company_id for unit in capacities}
    first_approval = dict(
        Position.objects.filter(pk__in=positions.keys())
        .values("company_id")
        .annotate(first=Min("reviewed_at"))
        .values_list("company_id", "first")
    )
    company_order = sorted(
        set(company_of.values()), key=lambda c: (first_approval.get(c) is None, first_approval.get(c), c)
    )
    kept, dropped = engine.units_within_company_cap(
        unit_company=company_of, company_order=company_order, cap=cycle.company_cap
    )
    for company_id in dropped:
        messages.append(_message("company_over_cap", company=company_id, cap=cycle.company_cap))
    capacities = {u: c for u, c in capacities.items() if u in kept}

    pool = {
        a.pk: a
        for a in Application.objects.filter(cycle=cycle, status=ApplicationStatus.POOL).exclude(pk__in=busy)
    }
    referrals = list(
        Referral.objects.filter(
            application_id__in=pool.keys(), position_id__in=positions.keys(), status=ReferralStatus.REFERRED
        ).order_by("pk")
    )
    excluded = declined_pairs | set(
        PairConstraint.objects.filter(cycle=cycle, kind=PairConstraintKind.EXCLUDE).values_list(
            "application_id", "position_id"
        )
    )

    # Locked pairs take their place first and leave the instance.
    locked: dict[int, Unit] = {}
    for constraint in PairConstraint.objects.filter(cycle=cycle, kind=PairConstraintKind.LOCK).order_by("pk"):
        application = pool.get(constraint.application_id)
        lock_position = positions.get(constraint.position_id)
        if application is None or lock_position is None:
            messages.append(_message("lock_unavailable", application=constraint.application_id,
                                     position=constraint.position_id))  # fmt: skip
            continue
        courses = (
            [constraint.course] if constraint.course else pair_fit.courses_for(application, lock_position)
        )
        position_id = lock_position.pk
        lock_unit = next(((position_id, c) for c in courses if capacities.get((position_id, c), 0) > 0), None)
        if lock_unit is None:
            messages.append(_message("lock_no_place", application=application.pk, position=position_id))
            continue
        locked[application.pk] = lock_unit
        capacities[lock_unit] -= 1

    applicant_lists: dict[int, list[tuple[int, int]]] = defaultdict(list)
    company_lists: dict[int, list[tuple[int, int]]] = defaultdict(list)
    referral_of: dict[tuple[int, int], Referral] = {}
    for referral in referrals:
        pair = (referral.application_id, referral.position_id)
        if referral.application_id in locked or pair in excluded:
            continue
        referral_of[pair] = referral
        if referral.applicant_rank is not None:
            applicant_lists[referral.application_id].append((referral.applicant_rank, referral.position_id))
        if referral.company_rank is not None:
            company_lists[referral.position_id].append((referral.company_rank, referral.application_id))

    def ordered(entries: list[tuple[int, int]], tie: str, owner: int) -> list[int]:
        entries.sort()  # ties keep the order of referral (its id), and the office is told
        ranks = [rank for rank, _x in entries]
        if len(set(ranks)) != len(ranks):
            messages.append(_message(tie, owner=owner))
        return [x for _rank, x in entries]

    applicant_prefs: dict[int, list[Unit]] = {}
    for application_id, application in pool.items():
        if application_id in locked:
            continue
        units = []
        for position_id in ordered(applicant_lists.get(application_id, []), "tie_applicant", application_id):
            for course in pair_fit.courses_for(application, positions[position_id]):
                if (position_id, course) in capacities:
                    units.append((position_id, course))
        applicant_prefs[application_id] = units
    company_prefs = {
        position_id: ordered(entries, "tie_company", position_id)
        for position_id, entries in company_lists.items()
    }
    # A company's ranking covers each of the position's courses the candidate chose.
    unit_prefs: dict[Unit, list[int]] = {
        unit: [
            a for a in company_prefs.get(unit[0], [])
            if a in applicant_prefs and unit[1] in pair_fit.courses_for(pool[a], positions[unit[0]])
        ]
        for unit in capacities
    }  # fmt: skip

    instance = engine.Instance(applicant_prefs=applicant_prefs, unit_prefs=unit_prefs, capacities=capacities)
    started = time.perf_counter()
    result = engine.deferred_acceptance(instance)
    seconds = time.perf_counter() - started
    blocking = engine.blocking_pairs(instance, result.assignment)

    matches = []
    for application_id, unit in locked.items():
        pair_referral = referral_of.get((application_id, unit[0])) or next(
            (r for r in referrals if r.application_id == application_id and r.position_id == unit[0]), None
        )
        matches.append(
            {"application_id": application_id, "position_id": unit[0], "course": unit[1], "locked": True,
             "referral": pair_referral,
             "applicant_rank": pair_referral.applicant_rank if pair_referral else None,
             "company_rank": pair_referral.company_rank if pair_referral else None,
             "explanation": [{"code": "locked", "unit": _unit_key(unit), "params": {}}]}
        )  # fmt: skip
    for application_id, unit in result.assignment.items():
        pair_referral = referral_of.get((application_id, unit[0]))
        matches.append(
            {"application_id": application_id, "position_id": unit[0], "course": unit[1], "locked": False,
             "referral": pair_referral,
             "applicant_rank": pair_referral.applicant_rank if pair_referral else None,
             "company_rank": pair_referral.company_rank if pair_referral else None,
             "explanation": [_reason_json(r) for r in result.reasons.get(application_id, [])]}
        )  # fmt: skip
    unmatched = {
        str(application_id): [_reason_json(r) for r in result.reasons.get(application_id, [])]
        for application_id in applicant_prefs
        if application_id not in result.assignment
    }
    # The engine's notes on the input, counted by kind (one line each, not one per pair).
    for code, count in sorted(Counter(issue.code for issue in result.issues).items()):
        messages.append(_message(f"engine_{code}", "info", count=count))
    report = {
        "messages": messages,
        "figures": {
            "applicants": len(pool) + 0,
            "in_round": len(applicant_prefs) + len(locked),
            "units": len(capacities),
            "places": sum(capacities.values()) + len(locked),
            "matched": len(matches),
            "locked": len(locked),
            "unmatched": len(unmatched),
            "proposals": result.proposals,
            "milliseconds": round(seconds * 1000, 1),
        },
        "blocking_pairs": [[a, _unit_key(u)] for a, u in blocking],
        "unmatched": unmatched,
    }
    return RoundOutcome(matches=matches, report=report, is_stable=not blocking)


def _jsonable(value):
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _reason_json(reason) -> dict:
    return {
        "code": reason.code,
        "unit": _unit_key(reason.unit) if reason.unit is not None else None,
        "params": _jsonable(dict(reason.params)),
    }


# --- In words --------------------------------------------------------------------------------------


def _course_label(course: str) -> str:
    return str(CourseKind(course).label) if course in CourseKind.values else course


def describe_reason(reason: dict[str, Any], positions: dict[int, Position]) -> str:
    """One line of an applicant's explanation, in the reader's language."""
    unit = reason.get("unit")
    params = reason.get("params") or {}
    where = ""
    if unit:
        position = positions.get(unit[0])
        where = _("%(position)s (%(course)s)") % {
            "position": position.title if position else f"#{unit[0]}",
            "course": _course_label(unit[1]),
        }
    code = str(reason.get("code"))
    texts = {
        "locked": _("Matched to %(where)s: the office locked this pair."),
        "matched": _("Matched to %(where)s, their choice no. %(choice)s."),
        "higher_choice_full": _(
            "Not matched to %(where)s (choice no. %(choice)s): its %(places)s place(s) went to candidates "
            "the company ranked higher (the last admitted is no. %(unit_rank_of_last_admitted)s; this "
            "candidate is no. %(your_rank)s)."
        ),
        "not_ranked_by_unit": _(
            "Not matched to %(where)s (choice no. %(choice)s): the company did not rank this candidate."
        ),
        "no_places": _("Not matched to %(where)s (choice no. %(choice)s): it has no place in this course."),
        "unknown_unit": _("Not matched to %(where)s (choice no. %(choice)s): it is not in this round."),
        "all_choices_full": _(
            "Not matched: %(full)s of the %(listed)s positions they ranked were filled by candidates ranked "
            "higher."
        ),
        "no_preferences": _(
            "Not matched: no position that both sides ranked with a free place (%(listed)s ranked)."
        ),
    }
    text = texts.get(code)
    values = {"where": where, **{k: v for k, v in params.items() if isinstance(v, (int, str))}}
    try:
        return text % values if text else f"{code} {where}"
    except (KeyError, TypeError):
        return f"{code} {where}"


def describe_message(message: dict[str, Any]) -> str:
    params = message.get("params") or {}
    texts = {
        "company_over_cap": _(
            "Company #%(company)s is beyond the cycle's cap of %(cap)s host companies; "
            "its positions were left out."
        ),
        "lock_unavailable": _(
            "The locked pair of application #%(application)s and position #%(position)s was skipped: one of "
            "them is no longer available (placed, withdrawn or not approved)."
        ),
        "lock_no_place": _(
            "The locked pair of application #%(application)s and position #%(position)s was skipped: the "
            "position has no free place in a course the applicant chose."
        ),
        "tie_applicant": _(
            "Application #%(owner)s gave two positions the same rank; the earlier referral came first."
        ),
        "tie_company": _(
            "Position #%(owner)s gave two candidates the same rank; the earlier referral came first."
        ),
        "engine_one_sided_pair": _(
            "%(count)s referral(s) were ranked by one side only: such a pair cannot be matched."
        ),
        "engine_zero_capacity": _("%(count)s position-course unit(s) had no free place."),
        "engine_empty_applicant_list": _("%(count)s applicant(s) in the round ranked no position both ways."),
        "engine_empty_unit_list": _("%(count)s position-course unit(s) ranked no candidate both ways."),
        "engine_duplicate_in_applicant_list": _(
            "%(count)s duplicate entries in applicants' rankings were ignored."
        ),
        "engine_duplicate_in_unit_list": _(
            "%(count)s duplicate entries in companies' rankings were ignored."
        ),
        "engine_unknown_unit": _("%(count)s ranking entries named a position not in this round."),
        "engine_unknown_applicant": _("%(count)s ranking entries named a candidate not in this round."),
    }
    code = str(message.get("code"))
    text = texts.get(code)
    safe = {k: v for k, v in params.items() if isinstance(v, (int, str))}
    if text is None:
        return " ".join([code, *(f"{k}={v}" for k, v in safe.items())])
    try:
        return text % safe
    except (KeyError, TypeError):
        return code
