"""The matching engine: applicant-proposing deferred acceptance with places (docs/program.md §10).

Pure Python, no Django: the service layer turns applications and positions into ids, calls
`deferred_acceptance`, and stores what comes back. Applicants are any hashable ids (application ids);
units are any hashable ids (the service uses `(position_id, course)` pairs such as `(12, "in_person")`).

The algorithm (Gale and Shapley 1962; Roth 1984 for units with several places). Each free applicant proposes
to the next unit on their list. A unit holds, tentatively, the applicants it ranks best up to its number of
places: a proposal to a unit with a free place is held; a proposal to a full unit displaces the unit's worst
holder when the unit ranks the newcomer higher (the displaced applicant becomes free again), and is refused
otherwise. It ends when every applicant is held or has proposed to every unit on their list. The result is
stable (no applicant and unit would both rather have each other than what they got) and, among all stable
results, the best for every applicant. Each applicant proposes to a unit at most once, so the work is linear
in the total length of the lists, with a heap per unit (log of its places) for its worst holder.

A pair is acceptable only if each side lists the other: `normalise` drops one-sided entries first.

Issue codes (`Issue.code`, with `Issue.params`), found in the input by `normalise`; each is handled, none
raises:

- ``invalid_capacity`` {unit, capacity}: the capacity is not an integer; the unit counts as having 0 places.
- ``negative_capacity`` {unit, capacity}: the capacity is below 0; the unit counts as having 0 places.
- ``zero_capacity`` {unit}: the unit has 0 places; it admits no one.
- ``duplicate_in_applicant_list`` {applicant, unit, position, first_position}: the applicant lists the unit
  again at `position` (1-based); only the first listing counts.
- ``duplicate_in_unit_list`` {unit, applicant, position, first_position}: the same, in a unit's list.
- ``unknown_unit`` {unit, applicant}: a unit without a capacity; `applicant` listed it, or is None when the
  unit has a list of its own. The unit takes no part.
- ``unknown_applicant`` {unit, applicant}: the unit lists an applicant who is not among the applicants (for
  example one who withdrew); the entry is dropped.
- ``one_sided_pair`` {applicant, unit, listed_by}: only one side ("applicant" or "unit") lists the other; the
  pair is not acceptable and the entry is dropped.
- ``empty_applicant_list`` {applicant}: the applicant listed nothing; they stay unmatched.
- ``empty_unit_list`` {unit}: the unit ranked no one (or has no list); it admits no one.

Reason codes (`Reason.code`, `Reason.unit`, `Reason.params`): for every applicant, one line per distinct unit
on their list, in their order, down to where they were matched, then a last line that sums it up. `choice` is
the unit's 1-based position in the applicant's list as given (duplicates and unknown units included), and the
ranks are 1-based positions in the unit's list as given, so they match what each side entered.

- ``matched`` {choice}: the applicant is matched to this unit (always the last line when matched).
- ``higher_choice_full`` {choice, your_rank, unit_rank_of_last_admitted, places}: a unit the applicant wanted
  more than the outcome (for an unmatched applicant, any acceptable unit) filled all its `places` with
  applicants it ranked higher; the last of them is at `unit_rank_of_last_admitted`, the applicant at
  `your_rank`.
- ``not_ranked_by_unit`` {choice}: the unit did not rank this applicant, so the pair was not acceptable.
- ``no_places`` {choice}: the unit has 0 places (zero, negative or invalid capacity).
- ``unknown_unit`` {choice}: the unit has no capacity, so it took no part.
- ``all_choices_full`` {listed, full} (unit None): the applicant is unmatched; `full` of the `listed` distinct
  units were acceptable and full with applicants they ranked higher; the others are explained above.
- ``no_preferences`` {listed} (unit None): the applicant is unmatched because no unit on the list was
  acceptable with places: the list was empty (listed 0), or each unit was unknown, had no places or did not
  rank them.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

A = TypeVar("A", bound=Hashable)  # an applicant id (application id)
U = TypeVar("U", bound=Hashable)  # a unit id ((position id, course))
C = TypeVar("C", bound=Hashable)  # a company id


@dataclass(frozen=True)
class Instance(Generic[A, U]):
    applicant_prefs: Mapping[A, Sequence[U]]  # each applicant's units, most preferred first
    unit_prefs: Mapping[U, Sequence[A]]  # each unit's applicants, most preferred first
    capacities: Mapping[U, int]


@dataclass(frozen=True)
class Issue:
    code: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Reason(Generic[U]):
    code: str
    unit: U | None  # the unit this line is about, None for a summary line
    params: dict[str, Any]


@dataclass(frozen=True)
class Result(Generic[A, U]):
    assignment: dict[A, U]  # matched applicants only
    holders: dict[U, list[A]]  # every unit with a capacity, its admitted applicants in the unit's order
    reasons: dict[A, list[Reason[U]]]  # every applicant, in input order; empty when explain=False
    issues: list[Issue]
    proposals: int


def normalise(instance: Instance[A, U]) -> tuple[Instance[A, U], list[Issue]]:
    """The instance with every pair acceptable to both sides, and what was wrong with the input.

    Keeps the first of repeated entries, drops unknown ids and one-sided entries, treats a capacity that is
    negative or not an integer as 0. Every applicant and every unit with a capacity stays (lists may become
    empty), so the caller can explain each outcome. Never raises on bad input; see the module's Issue codes.
    """
    issues: list[Issue] = []
    capacities: dict[U, int] = {}
    for unit, capacity in instance.capacities.items():
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            issues.append(Issue("invalid_capacity", {"unit": unit, "capacity": capacity}))
            capacity = 0
        elif capacity < 0:
            issues.append(Issue("negative_capacity", {"unit": unit, "capacity": capacity}))
            capacity = 0
        elif capacity == 0:
            issues.append(Issue("zero_capacity", {"unit": unit}))
        capacities[unit] = capacity

    # Each side: a fast path for the usual clean list, the entry-by-entry walk only when something is wrong.
    listed: dict[A, list[U]] = {}
    chose: dict[A, set[U]] = {}
    for applicant, given in instance.applicant_prefs.items():
        units = list(given or ())
        distinct = set(units)
        if not units:
            issues.append(Issue("empty_applicant_list", {"applicant": applicant}))
        elif len(distinct) != len(units) or not capacities.keys() >= distinct:
            units = _kept_entries(
                owner=applicant, entries=units, known=capacities, kind="applicant", issues=issues
            )
            distinct = set(units)
        listed[applicant] = units
        chose[applicant] = distinct

    ranked: dict[U, list[A]] = {unit: [] for unit in capacities}
    ranked_by: dict[U, set[A]] = {unit: set() for unit in capacities}
    for unit, ranking in instance.unit_prefs.items():
        if unit not in capacities:
            issues.append(Issue("unknown_unit", {"unit": unit, "applicant": None}))
            continue
        applicants = list(ranking or ())
        ranked_set = set(applicants)
        if len(ranked_set) != len(applicants) or not listed.keys() >= ranked_set:
            applicants = _kept_entries(
                owner=unit, entries=applicants, known=listed, kind="unit", issues=issues
            )
            ranked_set = set(applicants)
        ranked[unit] = applicants
        ranked_by[unit] = ranked_set
    for unit in capacities:
        if not instance.unit_prefs.get(unit):
            issues.append(Issue("empty_unit_list", {"unit": unit}))

    # A pair counts only when both sides list each other; check each side against the other's set.
    applicant_prefs: dict[A, list[U]] = {}
    for applicant, units in listed.items():
        mutual_units = [unit for unit in units if applicant in ranked_by[unit]]
        if len(mutual_units) != len(units):
            for unit in units:
                if applicant not in ranked_by[unit]:
                    params = {"applicant": applicant, "unit": unit, "listed_by": "applicant"}
                    issues.append(Issue("one_sided_pair", params))
        applicant_prefs[applicant] = mutual_units
    unit_prefs: dict[U, list[A]] = {}
    for unit, applicants in ranked.items():
        mutual_applicants = [applicant for applicant in applicants if unit in chose[applicant]]
        if len(mutual_applicants) != len(applicants):
            for applicant in applicants:
                if unit not in chose[applicant]:
                    params = {"applicant": applicant, "unit": unit, "listed_by": "unit"}
                    issues.append(Issue("one_sided_pair", params))
        unit_prefs[unit] = mutual_applicants

    return Instance(applicant_prefs=applicant_prefs, unit_prefs=unit_prefs, capacities=capacities), issues


def _kept_entries(
    *, owner: Hashable, entries: Sequence[Any], known: Mapping[Any, Any], kind: str, issues: list[Issue]
) -> list[Any]:
    """`owner`'s list without repeats and unknown ids, each dropped entry recorded as an Issue."""
    other = "unit" if kind == "applicant" else "applicant"
    first: dict[Any, int] = {}
    kept = []
    for position, entry in enumerate(entries, 1):
        if entry in first:
            params = {kind: owner, other: entry, "position": position, "first_position": first[entry]}
            issues.append(Issue(f"duplicate_in_{kind}_list", params))
            continue
        first[entry] = position
        if entry in known:
            kept.append(entry)
        elif kind == "applicant":
            issues.append(Issue("unknown_unit", {"unit": entry, "applicant": owner}))
        else:
            issues.append(Issue("unknown_applicant", {"unit": owner, "applicant": entry}))
    return kept


def _first_positions(items: Sequence[Hashable]) -> dict[Any, int]:
    """1-based position of each item's first occurrence."""
    # Written from the end, so an item's first position is the one that stays.
    return {item: position for position, item in reversed(list(enumerate(items, 1)))}


def deferred_acceptance(instance: Instance[A, U], *, explain: bool = True) -> Result[A, U]:
    """The applicant-optimal stable matching of `instance` (Gale–Shapley, applicants proposing; Roth 1984).

    The input is normalised first (see `normalise`); its issues come back in the result. With `explain`
    (the default) every applicant gets the reasons for their outcome; `explain=False` skips them (benchmark).
    """
    clean, issues = normalise(instance)
    capacities = clean.capacities
    prefs = clean.applicant_prefs
    # Ranks are positions in the unit's list as given: the clean list's order, and what the unit entered.
    rank = {unit: _first_positions(instance.unit_prefs.get(unit) or ()) for unit in capacities}

    held: dict[U, list[tuple[int, A]]] = {unit: [] for unit in capacities}  # max-heap on rank: (-rank, a)
    next_choice: dict[A, int] = dict.fromkeys(prefs, 0)
    free = deque(prefs)
    proposals = 0
    while free:
        applicant = free.popleft()
        units = prefs[applicant]
        choice = next_choice[applicant]
        while choice < len(units):
            unit = units[choice]
            choice += 1
            proposals += 1
            heap = held[unit]
            applicant_rank = rank[unit][applicant]
            if len(heap) < capacities[unit]:
                heapq.heappush(heap, (-applicant_rank, applicant))
                break
            if heap and -heap[0][0] > applicant_rank:
                _, displaced = heapq.heapreplace(heap, (-applicant_rank, applicant))
                free.append(displaced)
                break
        next_choice[applicant] = choice

    holders = {unit: [a for _, a in sorted(heap, key=lambda entry: -entry[0])] for unit, heap in held.items()}
    assignment = {a: unit for unit, admitted in holders.items() for a in admitted}
    # Keep the input's order of applicants, so the result reads the same way as the request.
    assignment = {a: assignment[a] for a in prefs if a in assignment}
    reasons: dict[A, list[Reason[U]]] = {}
    if explain:
        worst_rank = {unit: -heap[0][0] for unit, heap in held.items() if heap}
        for applicant, given in instance.applicant_prefs.items():
            reasons[applicant] = _reasons_for(
                applicant=applicant,
                given=given or (),
                matched=assignment.get(applicant, _UNMATCHED),
                capacities=capacities,
                rank=rank,
                worst_rank=worst_rank,
            )
    return Result(assignment=assignment, holders=holders, reasons=reasons, issues=issues, proposals=proposals)


_UNMATCHED = object()  # no unit equals it, unlike None, which a caller could use as a unit id


def _reasons_for(
    *,
    applicant: A,
    given: Sequence[U],
    matched: object,
    capacities: Mapping[U, int],
    rank: Mapping[U, Mapping[A, int]],
    worst_rank: Mapping[U, int],
) -> list[Reason[U]]:
    """One line per distinct unit the applicant listed, down to their match, then the summary line."""
    lines: list[Reason[U]] = []
    seen: set[U] = set()
    full = 0
    for choice, unit in enumerate(given, 1):
        if unit in seen:
            continue
        seen.add(unit)
        if unit == matched:
            lines.append(Reason("matched", unit, {"choice": choice}))
            return lines
        places = capacities.get(unit)
        if places is None:
            lines.append(Reason("unknown_unit", unit, {"choice": choice}))
        elif not places:
            lines.append(Reason("no_places", unit, {"choice": choice}))
        # The applicant is known and listed the unit, so the pair is acceptable iff the unit listed them.
        elif (your_rank := rank[unit].get(applicant)) is None:
            lines.append(Reason("not_ranked_by_unit", unit, {"choice": choice}))
        else:
            # Stability: an acceptable unit above the outcome is full with applicants it ranks higher.
            full += 1
            params = {
                "choice": choice,
                "your_rank": your_rank,
                "unit_rank_of_last_admitted": worst_rank.get(unit),
                "places": places,
            }
            lines.append(Reason("higher_choice_full", unit, params))
    if full:
        lines.append(Reason("all_choices_full", None, {"listed": len(seen), "full": full}))
    else:
        lines.append(Reason("no_preferences", None, {"listed": len(seen)}))
    return lines


def blocking_pairs(instance: Instance[A, U], assignment: Mapping[A, U]) -> list[tuple[A, U]]:
    """The pairs that would both rather have each other than `assignment`; empty means stable.

    A pair (a, u) blocks when each lists the other (after `normalise`), a is unmatched or prefers u to its
    match, and u has a free place or ranks a above its worst holder. An applicant matched to a unit that is
    not on its clean list counts as unmatched here (`is_feasible` reports the match itself); a holder the unit
    did not rank counts as its worst. Pairs come in the applicant's input order, then the applicant's order.
    """
    clean, _ = normalise(instance)
    rank = {
        unit: {a: position for position, a in enumerate(ranked)} for unit, ranked in clean.unit_prefs.items()
    }
    unranked = float("inf")
    taken: Counter[U] = Counter()
    worst: dict[U, float] = {}
    for a, unit in assignment.items():
        taken[unit] += 1
        holder_rank = rank.get(unit, {}).get(a, unranked)
        worst[unit] = max(worst.get(unit, -1), holder_rank)

    pairs: list[tuple[A, U]] = []
    for a, units in clean.applicant_prefs.items():
        current = assignment.get(a)
        for unit in units:
            if a in assignment and unit == current:
                break
            has_room = taken[unit] < clean.capacities[unit]
            if has_room or (taken[unit] and rank[unit][a] < worst[unit]):
                pairs.append((a, unit))
    return pairs


def is_feasible(instance: Instance[A, U], assignment: Mapping[A, U]) -> list[str]:
    """What makes `assignment` impossible: unknown ids, pairs not ranked by both sides, units over capacity.

    Empty list = feasible. Capacities and acceptability are those of the normalised instance.
    """
    clean, _ = normalise(instance)
    problems: list[str] = []
    taken: Counter[U] = Counter()
    for a, unit in assignment.items():
        taken[unit] += 1
        if a not in clean.applicant_prefs:
            problems.append(f"applicant {a!r} is not in the instance")
        elif unit not in clean.capacities:
            problems.append(f"applicant {a!r} is matched to unknown unit {unit!r}")
        elif unit not in clean.applicant_prefs[a]:
            problems.append(f"applicant {a!r} and unit {unit!r} did not both rank each other")
    for unit, count in taken.items():
        places = clean.capacities.get(unit)
        if places is not None and count > places:
            problems.append(f"unit {unit!r} holds {count} applicants but has {places} places")
    return problems


def units_within_company_cap(
    *, unit_company: Mapping[U, C], company_order: Sequence[C], cap: int | None
) -> tuple[set[U], list[C]]:
    """The units of the first `cap` companies in approval order, and the companies the cap leaves out.

    The cycle's company cap (FY2024 call: 60 host companies; docs/program.md §6) counts companies in the
    order the office approved them (`company_order`, repeats ignored), whether or not they have units here;
    companies with units but missing from the order come after it, in the order of `unit_company`. `cap`
    None means no cap; a negative cap counts as 0. Dropped companies come back in that same order.
    """
    order = list(dict.fromkeys([*company_order, *unit_company.values()]))
    limit = len(order) if cap is None else max(cap, 0)
    kept_companies = set(order[:limit])
    kept_units = {unit for unit, company in unit_company.items() if company in kept_companies}
    return kept_units, order[limit:]
