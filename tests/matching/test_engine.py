"""The matching engine: deferred acceptance, its explanations and its input checks (docs/program.md §10).

Hand-written cases pin exact outcomes; property tests check stability, feasibility and agreement with the
reference implementation, the PyPI package `matching` (HospitalResident, resident-optimal).
"""

from __future__ import annotations

import functools
import importlib
import sys
import warnings
from importlib.metadata import distribution
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from matching import engine
from matching.engine import (
    Instance,
    Issue,
    Reason,
    blocking_pairs,
    deferred_acceptance,
    is_feasible,
    normalise,
    units_within_company_cap,
)

# The textbook hospital–resident instance (the `matching` package's tutorial; Roth's setting with places).
TEXTBOOK = Instance(
    applicant_prefs={
        "A": ["C"],
        "S": ["C", "M"],
        "D": ["C", "M", "G"],
        "L": ["M", "C", "G"],
        "J": ["C", "G", "M"],
    },
    unit_prefs={"M": ["D", "L", "S", "J"], "C": ["D", "A", "S", "L", "J"], "G": ["D", "J", "L"]},
    capacities={"M": 2, "C": 2, "G": 2},
)

# Gale and Shapley's cyclic 3×3 example: two stable matchings, each side's first choices.
CYCLIC = Instance(
    applicant_prefs={1: ["A", "B", "C"], 2: ["B", "C", "A"], 3: ["C", "A", "B"]},
    unit_prefs={"A": [2, 3, 1], "B": [3, 1, 2], "C": [1, 2, 3]},
    capacities={"A": 1, "B": 1, "C": 1},
)


# --- The reference implementation --------------------------------------------------------------------


def _is_matching_module(name: str) -> bool:
    return name == "matching" or name.startswith("matching.")


@functools.cache
def _oracle_class():
    """HospitalResident from the PyPI package `matching`, which this project's `matching` app shadows.

    Its modules import each other as `matching.…`, so the app's modules are set aside while it loads and put
    back afterwards; the oracle keeps the references it bound at import.
    """
    site = str(distribution("matching").locate_file(""))
    ours = {name: module for name, module in sys.modules.items() if _is_matching_module(name)}
    for name in ours:
        del sys.modules[name]
    sys.path.insert(0, site)
    try:
        # Its __init__ sets warnings to "always" globally; catch_warnings puts the filters back.
        with warnings.catch_warnings():
            return importlib.import_module("matching.games").HospitalResident
    finally:
        sys.path.remove(site)
        for name in [name for name in sys.modules if _is_matching_module(name)]:
            del sys.modules[name]
        sys.modules.update(ours)


def oracle_assignment(instance: Instance) -> dict:
    """The resident-optimal matching from the reference, given the same cleaned instance.

    The reference needs what `normalise` guarantees, and more: no unit without places or without a list and
    no applicant with an empty list (it would index an empty list), so those are left out; they match no one.
    """
    clean, _ = normalise(instance)
    open_units = {u for u, places in clean.capacities.items() if places > 0 and clean.unit_prefs[u]}
    residents = {a: [u for u in units if u in open_units] for a, units in clean.applicant_prefs.items()}
    residents = {a: units for a, units in residents.items() if units}
    hospitals = {u: [a for a in clean.unit_prefs[u] if a in residents] for u in open_units}
    if not residents:
        return {}
    game_class = _oracle_class()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about players it would exclude; there are none left
        game = game_class.create_from_dictionaries(
            residents, hospitals, {u: clean.capacities[u] for u in hospitals}
        )
        solved = game.solve(optimal="resident")
    return {resident.name: hospital.name for hospital in solved for resident in solved[hospital]}


def test_oracle_is_the_pypi_package_and_the_app_is_back():
    oracle = _oracle_class()

    assert Path(oracle.solve.__code__.co_filename).is_relative_to(distribution("matching").locate_file(""))
    assert Path(sys.modules["matching"].__file__).parent == Path(engine.__file__).parent
    assert oracle_assignment(TEXTBOOK) == {"A": "C", "S": "M", "D": "C", "L": "M", "J": "G"}


# --- Hand-written cases ------------------------------------------------------------------------------


def test_textbook_instance():
    result = deferred_acceptance(TEXTBOOK)

    assert result.assignment == {"A": "C", "S": "M", "D": "C", "L": "M", "J": "G"}
    assert result.holders == {"M": ["L", "S"], "C": ["D", "A"], "G": ["J"]}
    assert result.issues == []
    # A, S, D to C (D displaces S), L to M, J to C (refused) then G, S to M.
    assert result.proposals == 7
    assert result.reasons == {
        "A": [Reason("matched", "C", {"choice": 1})],
        "S": [
            Reason(
                "higher_choice_full",
                "C",
                {"choice": 1, "your_rank": 3, "unit_rank_of_last_admitted": 2, "places": 2},
            ),
            Reason("matched", "M", {"choice": 2}),
        ],
        "D": [Reason("matched", "C", {"choice": 1})],
        "L": [Reason("matched", "M", {"choice": 1})],
        "J": [
            Reason(
                "higher_choice_full",
                "C",
                {"choice": 1, "your_rank": 5, "unit_rank_of_last_admitted": 2, "places": 2},
            ),
            Reason("matched", "G", {"choice": 2}),
        ],
    }
    assert blocking_pairs(TEXTBOOK, result.assignment) == []
    assert is_feasible(TEXTBOOK, result.assignment) == []


def test_applicants_get_the_best_stable_matching_not_the_units():
    result = deferred_acceptance(CYCLIC)

    assert result.assignment == {1: "A", 2: "B", 3: "C"}
    units_best = {2: "A", 3: "B", 1: "C"}  # also stable: every unit has its first choice
    assert blocking_pairs(CYCLIC, units_best) == []


def test_blocking_pairs_finds_a_unit_that_would_trade_up():
    # C holds 3, its last choice, while 2 would rather have C than A and C ranks 2 above 3.
    assert blocking_pairs(CYCLIC, {1: "B", 2: "A", 3: "C"}) == [(2, "C")]


def test_blocking_pairs_finds_an_unmatched_applicant_and_a_free_place():
    stable = deferred_acceptance(TEXTBOOK).assignment
    without_j = {a: u for a, u in stable.items() if a != "J"}

    assert blocking_pairs(TEXTBOOK, without_j) == [("J", "G")]
    assert blocking_pairs(TEXTBOOK, {}) == [
        ("A", "C"),
        ("S", "C"),
        ("S", "M"),
        ("D", "C"),
        ("D", "M"),
        ("D", "G"),
        ("L", "M"),
        ("L", "C"),
        ("L", "G"),
        ("J", "C"),
        ("J", "G"),
        ("J", "M"),
    ]


def test_blocking_pairs_treats_a_match_off_the_list_as_unmatched():
    # 1 is placed at B, which it did not list: every unit it listed and that ranks it may block.
    instance = Instance({1: ["A"], 2: ["B"]}, {"A": [1], "B": [2, 1]}, {"A": 1, "B": 1})

    assert blocking_pairs(instance, {1: "B"}) == [(1, "A"), (2, "B")]


def test_duplicates_count_once_at_their_first_position():
    instance = Instance(
        applicant_prefs={1: ["X", "Y", "X"], 2: ["X"]},
        unit_prefs={"X": [2, 1, 2], "Y": [1]},
        capacities={"X": 1, "Y": 1},
    )
    result = deferred_acceptance(instance)

    assert result.assignment == {1: "Y", 2: "X"}
    assert result.issues == [
        Issue(
            "duplicate_in_applicant_list", {"applicant": 1, "unit": "X", "position": 3, "first_position": 1}
        ),
        Issue("duplicate_in_unit_list", {"unit": "X", "applicant": 2, "position": 3, "first_position": 1}),
    ]
    assert result.reasons[1] == [
        Reason(
            "higher_choice_full",
            "X",
            {"choice": 1, "your_rank": 2, "unit_rank_of_last_admitted": 1, "places": 1},
        ),
        Reason("matched", "Y", {"choice": 2}),
    ]


def test_empty_lists():
    instance = Instance(
        applicant_prefs={1: [], 2: ["X"]},
        unit_prefs={"X": [2], "Y": []},
        capacities={"X": 1, "Y": 2, "Z": 1},
    )
    result = deferred_acceptance(instance)

    assert result.assignment == {2: "X"}
    assert result.holders == {"X": [2], "Y": [], "Z": []}
    assert result.issues == [
        Issue("empty_applicant_list", {"applicant": 1}),
        Issue("empty_unit_list", {"unit": "Y"}),
        Issue("empty_unit_list", {"unit": "Z"}),
    ]
    assert result.reasons[1] == [Reason("no_preferences", None, {"listed": 0})]


def test_units_without_places():
    instance = Instance(
        applicant_prefs={1: ["Zero", "Neg", "Bad", "Y"], 2: ["Zero"]},
        unit_prefs={"Zero": [1, 2], "Neg": [1], "Bad": [1], "Y": [1]},
        capacities={"Zero": 0, "Neg": -2, "Bad": "3", "Y": 1},
    )
    result = deferred_acceptance(instance)

    assert result.assignment == {1: "Y"}
    assert result.holders == {"Zero": [], "Neg": [], "Bad": [], "Y": [1]}
    assert result.issues == [
        Issue("zero_capacity", {"unit": "Zero"}),
        Issue("negative_capacity", {"unit": "Neg", "capacity": -2}),
        Issue("invalid_capacity", {"unit": "Bad", "capacity": "3"}),
    ]
    assert normalise(instance)[0].capacities == {"Zero": 0, "Neg": 0, "Bad": 0, "Y": 1}
    assert result.reasons == {
        1: [
            Reason("no_places", "Zero", {"choice": 1}),
            Reason("no_places", "Neg", {"choice": 2}),
            Reason("no_places", "Bad", {"choice": 3}),
            Reason("matched", "Y", {"choice": 4}),
        ],
        2: [Reason("no_places", "Zero", {"choice": 1}), Reason("no_preferences", None, {"listed": 1})],
    }


def test_unknown_ids_and_withdrawn_applicants():
    # Applicant 9 withdrew: the service left them out, but unit X still ranks them first.
    instance = Instance(
        applicant_prefs={1: ["Gone", "X"], 2: ["X"]},
        unit_prefs={"X": [9, 2, 1], "Ghost": [1]},
        capacities={"X": 1},
    )
    result = deferred_acceptance(instance)

    assert result.assignment == {2: "X"}
    assert result.holders == {"X": [2]}
    assert result.issues == [
        Issue("unknown_unit", {"unit": "Gone", "applicant": 1}),
        Issue("unknown_applicant", {"unit": "X", "applicant": 9}),
        Issue("unknown_unit", {"unit": "Ghost", "applicant": None}),
    ]
    # Ranks are positions in the unit's list as entered, withdrawn applicant included.
    assert result.reasons[1] == [
        Reason("unknown_unit", "Gone", {"choice": 1}),
        Reason(
            "higher_choice_full",
            "X",
            {"choice": 2, "your_rank": 3, "unit_rank_of_last_admitted": 2, "places": 1},
        ),
        Reason("all_choices_full", None, {"listed": 2, "full": 1}),
    ]


def test_one_sided_pairs_are_not_acceptable():
    instance = Instance(
        applicant_prefs={1: ["X", "Y"], 2: ["Y"]},
        unit_prefs={"X": [2], "Y": [2, 1]},
        capacities={"X": 1, "Y": 1},
    )
    clean, issues = normalise(instance)
    result = deferred_acceptance(instance)

    assert clean.applicant_prefs == {1: ["Y"], 2: ["Y"]}
    assert clean.unit_prefs == {"X": [], "Y": [2, 1]}
    assert issues == [
        Issue("one_sided_pair", {"applicant": 1, "unit": "X", "listed_by": "applicant"}),
        Issue("one_sided_pair", {"applicant": 2, "unit": "X", "listed_by": "unit"}),
    ]
    assert result.assignment == {2: "Y"}
    assert result.reasons[1] == [
        Reason("not_ranked_by_unit", "X", {"choice": 1}),
        Reason(
            "higher_choice_full",
            "Y",
            {"choice": 2, "your_rank": 2, "unit_rank_of_last_admitted": 1, "places": 1},
        ),
        Reason("all_choices_full", None, {"listed": 2, "full": 1}),
    ]
    # The unit's one-sided entry says nothing to applicant 2, who never listed X.
    assert result.reasons[2] == [Reason("matched", "Y", {"choice": 1})]


def test_no_acceptable_choice_is_no_preferences():
    instance = Instance({1: ["X", "Y"]}, {"X": [], "Y": [2]}, {"X": 1, "Y": 1})

    assert deferred_acceptance(instance).reasons[1] == [
        Reason("not_ranked_by_unit", "X", {"choice": 1}),
        Reason("not_ranked_by_unit", "Y", {"choice": 2}),
        Reason("no_preferences", None, {"listed": 2}),
    ]


def test_units_as_position_and_course():
    # The service's units: one position offered in person and online, applicants ranking both.
    in_person, online = (12, "in_person"), (12, "online")
    instance = Instance(
        applicant_prefs={101: [in_person, online], 102: [in_person], 103: [in_person, online]},
        unit_prefs={in_person: [103, 101, 102], online: [101, 103]},
        capacities={in_person: 1, online: 1},
    )

    assert deferred_acceptance(instance).assignment == {101: online, 103: in_person}


def test_without_explanations_the_matching_is_the_same():
    explained = deferred_acceptance(TEXTBOOK)
    bare = deferred_acceptance(TEXTBOOK, explain=False)

    assert bare.reasons == {}
    assert (bare.assignment, bare.holders, bare.proposals) == (
        explained.assignment,
        explained.holders,
        explained.proposals,
    )


def test_is_feasible_lists_each_problem():
    assignment = {"A": "C", "S": "C", "D": "C", "L": "G", "J": "Nowhere", "X": "M"}

    assert is_feasible(TEXTBOOK, assignment) == [
        "applicant 'J' is matched to unknown unit 'Nowhere'",
        "applicant 'X' is not in the instance",
        "unit 'C' holds 3 applicants but has 2 places",
    ]
    assert is_feasible(TEXTBOOK, {"A": "M"}) == ["applicant 'A' and unit 'M' did not both rank each other"]


def test_company_cap_keeps_the_first_companies_approved():
    unit_company = {
        (1, "in_person"): "Sakura",
        (1, "online"): "Sakura",
        (2, "in_person"): "Fuji",
        (3, "online"): "Kaze",
        (4, "online"): "Late",  # not in the approval order: comes after it
    }
    order = ["Kaze", "Sakura", "Kaze", "Fuji", "NoUnits"]

    assert units_within_company_cap(unit_company=unit_company, company_order=order, cap=2) == (
        {(1, "in_person"), (1, "online"), (3, "online")},
        ["Fuji", "NoUnits", "Late"],
    )
    assert units_within_company_cap(unit_company=unit_company, company_order=order, cap=None) == (
        set(unit_company),
        [],
    )
    assert units_within_company_cap(unit_company=unit_company, company_order=order, cap=0) == (
        set(),
        ["Kaze", "Sakura", "Fuji", "NoUnits", "Late"],
    )
    assert units_within_company_cap(unit_company=unit_company, company_order=order, cap=4)[0] == set(
        unit_company
    ) - {(4, "online")}


# --- Properties --------------------------------------------------------------------------------------

COURSES = ["in_person", "online"]


@st.composite
def instances(draw) -> Instance:
    """Up to 12 applicants and 6 units, places 0–3; sometimes with the input's usual faults."""
    messy = draw(st.booleans())
    applicants = list(range(draw(st.integers(0, 12))))
    units = [(10 + i, draw(st.sampled_from(COURSES))) for i in range(draw(st.integers(0, 6)))]
    capacities = {u: draw(st.integers(-1 if messy else 0, 3)) for u in units}
    listable = [*units, (99, "online")] if messy else units
    applicant_prefs = {
        a: draw(st.lists(st.sampled_from(listable), unique=not messy, max_size=len(units) + 1))
        if listable
        else []
        for a in applicants
    }
    unit_prefs = {}
    for u in units:
        chose = [a for a in applicants if u in applicant_prefs[a]]
        ranked = draw(st.permutations(chose))
        if messy:
            keep = draw(st.lists(st.booleans(), min_size=len(ranked), max_size=len(ranked)))
            others = draw(st.lists(st.sampled_from([*applicants, 50, 51]), max_size=3))
            ranked = draw(st.permutations([a for a, k in zip(ranked, keep, strict=True) if k] + others))
        if ranked or not messy or draw(st.booleans()):
            unit_prefs[u] = ranked
    if messy and draw(st.booleans()):
        unit_prefs[(98, "in_person")] = applicants[:2]
    return Instance(applicant_prefs=applicant_prefs, unit_prefs=unit_prefs, capacities=capacities)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_result_is_stable_feasible_and_explained(instance):
    result = deferred_acceptance(instance)
    clean, issues = normalise(instance)

    assert blocking_pairs(instance, result.assignment) == []
    assert is_feasible(instance, result.assignment) == []
    assert result.issues == issues
    assert result.proposals <= sum(len(units) for units in clean.applicant_prefs.values())
    for unit, admitted in result.holders.items():
        assert len(admitted) <= clean.capacities[unit]
        assert admitted == [a for a in clean.unit_prefs[unit] if a in admitted]
        assert all(result.assignment[a] == unit for a in admitted)
    assert sum(map(len, result.holders.values())) == len(result.assignment)
    assert list(result.reasons) == list(instance.applicant_prefs)
    for a, lines in result.reasons.items():
        last = lines[-1]
        if a in result.assignment:
            assert (last.code, last.unit) == ("matched", result.assignment[a])
        else:
            assert last.code in {"all_choices_full", "no_preferences"}
            assert last.params["listed"] == len(lines) - 1
        for line in lines:
            if line.code == "higher_choice_full":
                assert line.params["your_rank"] > line.params["unit_rank_of_last_admitted"]


@settings(max_examples=200, deadline=None)
@given(instances())
def test_result_equals_the_reference_implementation(instance):
    assert deferred_acceptance(instance).assignment == oracle_assignment(instance)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_normalised_instance_is_mutual_and_normalises_to_itself(instance):
    clean, _ = normalise(instance)
    again, issues = normalise(clean)

    assert again == clean
    assert {issue.code for issue in issues} <= {"zero_capacity", "empty_applicant_list", "empty_unit_list"}
    pairs_of_applicants = {(a, u) for a, units in clean.applicant_prefs.items() for u in units}
    pairs_of_units = {(a, u) for u, ranked in clean.unit_prefs.items() for a in ranked}
    assert pairs_of_applicants == pairs_of_units


@settings(max_examples=200, deadline=None)
@given(instances())
def test_nobody_matched_is_unstable_exactly_when_some_pair_could_match(instance):
    clean, _ = normalise(instance)
    could_match = any(clean.capacities[u] > 0 for units in clean.applicant_prefs.values() for u in units)

    assert bool(blocking_pairs(instance, {})) == could_match


@settings(max_examples=200, deadline=None)
@given(
    unit_company=st.dictionaries(st.tuples(st.integers(0, 20), st.sampled_from(COURSES)), st.integers(0, 8)),
    company_order=st.lists(st.integers(0, 10)),
    cap=st.none() | st.integers(0, 10),
)
def test_company_cap_keeps_at_most_cap_companies_first_in_order(unit_company, company_order, cap):
    kept, dropped = units_within_company_cap(unit_company=unit_company, company_order=company_order, cap=cap)

    kept_companies = {unit_company[u] for u in kept}
    order = list(dict.fromkeys([*company_order, *unit_company.values()]))
    first = set(order if cap is None else order[:cap])
    assert cap is None or len(kept_companies) <= cap
    assert kept == {u for u, company in unit_company.items() if company in first}
    assert dropped == [company for company in order if company not in first]
    assert kept_companies.isdisjoint(dropped)
