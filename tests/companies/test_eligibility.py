"""Whether a company may host interns, rule by rule at its edges (docs/program.md §6, SME Basic Act Article 2)."""

from __future__ import annotations

import pytest

from companies import eligibility
from companies.eligibility import FAIL, INCOMPLETE, PASS
from companies.models import HostCompany

RULE_ORDER = ["organisation", "sme", "location"]

# A small manufacturer in Aichi: every rule passes.
VALID_PROFILE = {
    "name_en": "Sample Seiko Co., Ltd.",
    "name_ja": "株式会社サンプル精工",
    "corporate_number": "7000012050002",
    "organisation_type": "kabushiki_kaisha",
    "industry": "manufacturing",
    "capital_jpy": 30_000_000,
    "regular_employees": 45,
    "main_business_in_japan": True,
    "main_business_prefecture": "23",
}


def build(**overrides) -> HostCompany:
    """An unsaved company with a qualifying profile, overridden by keyword."""
    return HostCompany(**{**VALID_PROFILE, **overrides})


def outcome(rule: str, **overrides) -> eligibility.RuleOutcome:
    return {o.rule: o for o in eligibility.evaluate(build(**overrides))}[rule]


# --- All rules together ----------------------------------------------------------------------


def test_a_qualifying_profile_passes_every_rule_in_order():
    outcomes = eligibility.evaluate(build())
    assert [o.rule for o in outcomes] == RULE_ORDER
    assert [o.outcome for o in outcomes] == [PASS] * 3
    assert eligibility.qualifies(outcomes) is True


def test_as_json_keeps_rule_outcome_and_reason():
    assert eligibility.as_json(eligibility.evaluate(build())) == [
        {"rule": "organisation", "outcome": PASS, "reason": "Stock company (kabushiki kaisha)."},
        {
            "rule": "sme",
            "outcome": PASS,
            "reason": "Manufacturing, construction, transport and others: capital of ¥30,000,000 is at most "
            "¥300,000,000.",
        },
        {"rule": "location", "outcome": PASS, "reason": "Main business location in Aichi."},
    ]


@pytest.mark.parametrize(
    ("rule", "title"),
    [
        ("organisation", "Type of organisation"),
        ("sme", "Small or medium-sized enterprise"),
        ("location", "Main business location in Japan"),
    ],
)
def test_rule_titles(rule, title):
    assert eligibility.title(rule) == title


# --- SME: capital or regular employees, at most the limit of the industry group ----------------

MANUFACTURING = "Manufacturing, construction, transport and others"


@pytest.mark.parametrize(
    ("industry", "capital", "employees", "expected", "reason"),
    [
        # Manufacturing, construction, transport and others: ¥300M or 300 employees.
        (
            "manufacturing", 300_000_000, 301, PASS,
            f"{MANUFACTURING}: capital of ¥300,000,000 is at most ¥300,000,000.",
        ),
        (
            "manufacturing", 300_000_001, 301, FAIL,
            f"{MANUFACTURING}: capital of ¥300,000,001 is over ¥300,000,000 and 301 regular employees is over "
            "300, so the company is not an SME under the SME Basic Act.",
        ),
        (
            "manufacturing", 300_000_001, 300, PASS,
            f"{MANUFACTURING}: 300 regular employees is at most 300.",
        ),
        (
            "manufacturing", 0, 5_000, PASS,
            f"{MANUFACTURING}: capital of ¥0 is at most ¥300,000,000.",
        ),
        # Wholesale: ¥100M or 100 employees.
        (
            "wholesale", 100_000_000, 101, PASS,
            "Wholesale: capital of ¥100,000,000 is at most ¥100,000,000.",
        ),
        (
            "wholesale", 100_000_001, 101, FAIL,
            "Wholesale: capital of ¥100,000,001 is over ¥100,000,000 and 101 regular employees is over 100, "
            "so the company is not an SME under the SME Basic Act.",
        ),
        (
            "wholesale", 100_000_001, 100, PASS,
            "Wholesale: 100 regular employees is at most 100.",
        ),
        (
            "wholesale", 0, 5_000, PASS,
            "Wholesale: capital of ¥0 is at most ¥100,000,000.",
        ),
        # Services: ¥50M or 100 employees.
        (
            "services", 50_000_000, 101, PASS,
            "Services: capital of ¥50,000,000 is at most ¥50,000,000.",
        ),
        (
            "services", 50_000_001, 101, FAIL,
            "Services: capital of ¥50,000,001 is over ¥50,000,000 and 101 regular employees is over 100, "
            "so the company is not an SME under the SME Basic Act.",
        ),
        (
            "services", 50_000_001, 100, PASS,
            "Services: 100 regular employees is at most 100.",
        ),
        (
            "services", 0, 5_000, PASS,
            "Services: capital of ¥0 is at most ¥50,000,000.",
        ),
        # Retail: ¥50M or 50 employees.
        (
            "retail", 50_000_000, 51, PASS,
            "Retail: capital of ¥50,000,000 is at most ¥50,000,000.",
        ),
        (
            "retail", 50_000_001, 51, FAIL,
            "Retail: capital of ¥50,000,001 is over ¥50,000,000 and 51 regular employees is over 50, "
            "so the company is not an SME under the SME Basic Act.",
        ),
        (
            "retail", 50_000_001, 50, PASS,
            "Retail: 50 regular employees is at most 50.",
        ),
        (
            "retail", 0, 5_000, PASS,
            "Retail: capital of ¥0 is at most ¥50,000,000.",
        ),
    ],
)  # fmt: skip
def test_sme_limits_at_their_edges(industry, capital, employees, expected, reason):
    result = outcome("sme", industry=industry, capital_jpy=capital, regular_employees=employees)
    assert (result.outcome, result.reason) == (expected, reason)


@pytest.mark.parametrize(
    ("industry", "capital", "employees"),
    [
        # The limits of one group do not carry over to another: each is one over the smaller group's limit.
        ("retail", 50_000_001, 51),
        ("services", 50_000_001, 101),
    ],
)
def test_what_fails_in_one_industry_can_pass_in_a_larger_one(industry, capital, employees):
    assert outcome("sme", industry=industry, capital_jpy=capital, regular_employees=employees).outcome == FAIL
    for larger in ("wholesale", "manufacturing"):
        result = outcome("sme", industry=larger, capital_jpy=capital, regular_employees=employees)
        assert result.outcome == PASS


def test_a_large_company_fails_on_both_counts_with_separators_in_every_amount():
    result = outcome("sme", industry="manufacturing", capital_jpy=12_345_678_901, regular_employees=1_200)
    assert result.outcome == FAIL
    assert result.reason == (
        f"{MANUFACTURING}: capital of ¥12,345,678,901 is over ¥300,000,000 and 1200 regular employees is "
        "over 300, so the company is not an SME under the SME Basic Act."
    )


def test_zero_employees_and_capital_over_the_limit_passes_on_employees():
    result = outcome("sme", industry="retail", capital_jpy=80_000_000, regular_employees=0)
    assert (result.outcome, result.reason) == (PASS, "Retail: 0 regular employees is at most 50.")


@pytest.mark.parametrize(
    "missing",
    [
        {"industry": ""},
        {"capital_jpy": None},
        {"regular_employees": None},
        {"industry": "", "capital_jpy": None, "regular_employees": None},
    ],
)
def test_sme_is_incomplete_without_industry_capital_or_employees(missing):
    result = outcome("sme", **missing)
    assert result.outcome == INCOMPLETE
    assert result.reason == "Give the industry, the capital and the number of regular employees."


# --- Type of organisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation_type", "expected", "reason"),
    [
        ("kabushiki_kaisha", PASS, "Stock company (kabushiki kaisha)."),
        ("godo_kaisha", PASS, "Limited liability company (godo kaisha)."),
        ("other_company", PASS, "Other company or partnership."),
        ("sole_proprietor", PASS, "Sole proprietor."),
        ("industry_association", FAIL, "Industry association cannot host interns in this program."),
        ("non_profit", FAIL, "Non-profit organisation cannot host interns in this program."),
        ("local_government", FAIL, "Local government cannot host interns in this program."),
        ("", INCOMPLETE, "Give the type of organisation."),
    ],
)
def test_type_of_organisation(organisation_type, expected, reason):
    result = outcome("organisation", organisation_type=organisation_type)
    assert (result.outcome, result.reason) == (expected, reason)


# --- Main business location ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_japan", "prefecture", "expected", "reason"),
    [
        (True, "23", PASS, "Main business location in Aichi."),
        (True, "13", PASS, "Main business location in Tokyo."),
        (True, "47", PASS, "Main business location in Okinawa."),
        (True, "", INCOMPLETE, "Give the prefecture of the main business location."),
        (False, "", FAIL, "The main business location must be in Japan."),
        # A prefecture left over from before does not bring the location back to Japan.
        (False, "13", FAIL, "The main business location must be in Japan."),
    ],
)
def test_main_business_location(in_japan, prefecture, expected, reason):
    result = outcome("location", main_business_in_japan=in_japan, main_business_prefecture=prefecture)
    assert (result.outcome, result.reason) == (expected, reason)


# --- Qualifies only when every rule passes -------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "outcomes", "qualifies"),
    [
        ({}, [PASS, PASS, PASS], True),
        ({"organisation_type": "non_profit"}, [FAIL, PASS, PASS], False),
        ({"organisation_type": ""}, [INCOMPLETE, PASS, PASS], False),
        ({"capital_jpy": 300_000_001, "regular_employees": 301}, [PASS, FAIL, PASS], False),
        ({"regular_employees": None}, [PASS, INCOMPLETE, PASS], False),
        ({"main_business_in_japan": False}, [PASS, PASS, FAIL], False),
        ({"main_business_prefecture": ""}, [PASS, PASS, INCOMPLETE], False),
        (
            {"organisation_type": "", "industry": "", "main_business_prefecture": ""},
            [INCOMPLETE, INCOMPLETE, INCOMPLETE],
            False,
        ),
        (
            {"organisation_type": "local_government", "capital_jpy": 10**12, "regular_employees": 9_000,
             "main_business_in_japan": False},
            [FAIL, FAIL, FAIL],
            False,
        ),
    ],
)  # fmt: skip
def test_qualifies_only_when_every_rule_passes(overrides, outcomes, qualifies):
    result = eligibility.evaluate(build(**overrides))
    assert [o.outcome for o in result] == outcomes
    assert eligibility.qualifies(result) is qualifies
