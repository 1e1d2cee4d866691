"""The eligibility engine, rule by rule at its edges; every threshold comes from the cycle (docs/program.md §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applicants import eligibility
from applicants.eligibility import FAIL, INCOMPLETE, PASS, WAIVED
from applicants.models import Application, EducationStatus, EnglishEvidence
from jip.models import CEFRLevel, EligibleCountry, EligibleCountryList, JLPTLevel

from .conftest import VALID_ANSWERS

RULE_ORDER = ["nationality", "residence", "age", "language", "participation", "education", "declarations"]


def build(cycle, **overrides) -> Application:
    """An unsaved application for `cycle` with valid answers, overridden by keyword."""
    return Application(cycle=cycle, **{**VALID_ANSWERS, **overrides})


def outcome(cycle, rule: str, **overrides) -> eligibility.RuleOutcome:
    outcomes = {o.rule: o for o in eligibility.evaluate(build(cycle, **overrides))}
    return outcomes[rule]


def cycle_with(cycle, **changes):
    for field, value in changes.items():
        setattr(cycle, field, value)
    cycle.full_clean()
    cycle.save()
    return cycle


# --- All rules together ----------------------------------------------------------------------


def test_valid_answers_pass_every_rule_in_order(fy2024):
    outcomes = eligibility.evaluate(build(fy2024))
    assert [o.rule for o in outcomes] == RULE_ORDER
    assert [o.outcome for o in outcomes] == [PASS] * 7
    assert eligibility.can_submit(outcomes) is True
    assert eligibility.is_eligible(outcomes) is True


def test_as_json_keeps_rule_outcome_reason_and_waivability(fy2024):
    data = eligibility.as_json(eligibility.evaluate(build(fy2024)))
    assert data[2] == {
        "rule": "age",
        "outcome": PASS,
        "reason": "You will be 26 on Aug. 1, 2024, within 18 to 40.",
        "waivable": True,
    }
    assert data[0] == {
        "rule": "nationality",
        "outcome": PASS,
        "reason": "Vietnam is an eligible country.",
        "waivable": False,
    }


# --- Nationality --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nationality", "expected", "reason"),
    [
        ("VN", PASS, "Vietnam is an eligible country."),
        ("XK", PASS, "Kosovo is an eligible country."),  # on the DAC list, not in ISO 3166
        ("CN", FAIL, "Citizens of China cannot apply in this cycle."),
        ("JP", FAIL, "Japan is not on the list of eligible countries."),
        ("US", FAIL, "United States of America is not on the list of eligible countries."),
        ("", INCOMPLETE, "Give your nationality."),
    ],
)
def test_nationality(fy2024, nationality, expected, reason):
    result = outcome(fy2024, "nationality", nationality=nationality)
    assert (result.outcome, result.reason, result.waivable) == (expected, reason, False)


@pytest.mark.parametrize(
    ("excluded", "nationality", "expected"),
    [
        (["CN", "VN"], "VN", FAIL),
        (["CN", "VN"], "IN", PASS),
        ([], "CN", PASS),
        (["CN"], "CN", FAIL),
    ],
)
def test_the_cycles_exclusions_decide_without_code_changes(fy2024, excluded, nationality, expected):
    cycle_with(fy2024, excluded_countries=excluded)
    assert outcome(fy2024, "nationality", nationality=nationality).outcome == expected


def test_the_cycles_country_list_decides_without_code_changes(fy2024):
    other = EligibleCountryList.objects.create(code="test-list", name="A test list")
    EligibleCountry.objects.create(country_list=other, country="JP", name_on_list="Japan", category="UMIC")
    cycle_with(fy2024, country_list=other, excluded_countries=[])
    assert outcome(fy2024, "nationality", nationality="JP").outcome == PASS
    result = outcome(fy2024, "nationality", nationality="VN")
    assert (result.outcome, result.reason) == (FAIL, "Vietnam is not on the list of eligible countries.")


# --- Residence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("residence", "expected", "reason"),
    [
        ("JP", FAIL, "People living in Japan cannot apply."),
        ("VN", PASS, "You live outside Japan."),
        ("TH", PASS, "You live outside Japan."),  # a third country
        ("US", PASS, "You live outside Japan."),  # a third country not on the list
        ("", INCOMPLETE, "Give your country of residence."),
    ],
)
def test_residence(fy2024, residence, expected, reason):
    result = outcome(fy2024, "residence", residence_country=residence)
    assert (result.outcome, result.reason) == (expected, reason)


# --- Age ----------------------------------------------------------------------------------------

IN_RANGE = "You will be {age} on {date}, within {low} to {high}."
OUT_OF_RANGE = (
    "You will be {age} on {date}; the program is for ages {low} to {high} in principle. "
    "The JIP office may still accept your application."
)


@pytest.mark.parametrize(
    ("birth_date", "expected", "age"),
    [
        (dt.date(2006, 8, 1), PASS, 18),  # 18 on the reference date itself
        (dt.date(2006, 8, 2), FAIL, 17),  # one day short of 18
        (dt.date(1983, 8, 2), PASS, 40),  # the oldest who is still 40 on the date
        (dt.date(1984, 8, 2), PASS, 39),
        (dt.date(1983, 8, 1), FAIL, 41),  # 41 on the date
        (dt.date(2000, 2, 29), PASS, 24),  # leap-day birthday, an ordinary date
        (dt.date(2010, 1, 1), FAIL, 14),
    ],
)
def test_age_on_the_fy2024_reference_date(fy2024, birth_date, expected, age):
    result = outcome(fy2024, "age", birth_date=birth_date)
    template = IN_RANGE if expected == PASS else OUT_OF_RANGE
    assert result.outcome == expected
    assert result.reason == template.format(age=age, date="Aug. 1, 2024", low=18, high=40)
    assert result.waivable is True
    assert result.blocks_submission is False


@pytest.mark.parametrize(
    ("birth_date", "reference", "expected", "age"),
    [
        # Born on 29 February: a year later it is the 28th that is still short, the 1st of March that counts.
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), FAIL, 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), PASS, 18),
        (dt.date(1984, 2, 29), dt.date(2025, 2, 28), PASS, 40),
        (dt.date(1984, 2, 29), dt.date(2025, 3, 1), FAIL, 41),
        # A reference date of 29 February.
        (dt.date(2006, 2, 28), dt.date(2024, 2, 29), PASS, 18),
        (dt.date(2006, 3, 1), dt.date(2024, 2, 29), FAIL, 17),
        (dt.date(2006, 2, 28), dt.date(2024, 2, 28), PASS, 18),
        (dt.date(2006, 2, 28), dt.date(2024, 2, 27), FAIL, 17),
        (dt.date(1988, 2, 29), dt.date(2024, 2, 29), PASS, 36),
    ],
)
def test_age_with_leap_days(fy2024, birth_date, reference, expected, age):
    cycle_with(fy2024, age_reference_date=reference)
    result = outcome(fy2024, "age", birth_date=birth_date)
    assert (result.outcome, eligibility.age_on(birth_date, reference)) == (expected, age)
    assert f"You will be {age} on {date_format(reference, 'DATE_FORMAT')}" in result.reason


@pytest.mark.parametrize(
    ("changes", "birth_date", "expected"),
    [
        ({"age_max": 45}, dt.date(1983, 8, 1), PASS),  # 41 is now inside
        ({"age_min": 20}, dt.date(2006, 8, 1), FAIL),  # 18 is now outside
        ({"age_reference_date": dt.date(2024, 8, 25)}, dt.date(2006, 8, 20), PASS),  # FY2025-style date
        ({"age_reference_date": dt.date(2024, 7, 31)}, dt.date(2006, 8, 1), FAIL),
    ],
)
def test_the_cycles_age_window_decides_without_code_changes(fy2024, changes, birth_date, expected):
    cycle_with(fy2024, **changes)
    assert outcome(fy2024, "age", birth_date=birth_date).outcome == expected


def test_age_changed_cycle_shows_the_cycles_numbers(fy2024):
    cycle_with(fy2024, age_min=20, age_max=35, age_reference_date=dt.date(2024, 8, 25))
    # Born 26 August 1988: still 35 on 25 August 2024.
    result = outcome(fy2024, "age", birth_date=dt.date(1988, 8, 26))
    assert (result.outcome, result.reason) == (
        PASS,
        IN_RANGE.format(age=35, date="Aug. 25, 2024", low=20, high=35),
    )


def test_the_reference_date_is_shown_in_the_active_language(fy2024):
    with translation.override("ja"):
        result = outcome(fy2024, "age", birth_date=dt.date(2006, 8, 1))
    assert "2024年8月1日" in result.reason


def test_missing_birth_date_is_incomplete_and_blocks(fy2024):
    result = outcome(fy2024, "age", birth_date=None)
    assert (result.outcome, result.reason) == (INCOMPLETE, "Give your date of birth.")
    assert result.blocks_submission is True


def test_a_waived_age_is_waived_and_eligible(fy2024):
    application = build(fy2024, birth_date=dt.date(1983, 8, 1), age_waived=True)
    outcomes = eligibility.evaluate(application)
    age = outcomes[2]
    assert (age.outcome, age.reason) == (
        WAIVED,
        "You will be 41 on Aug. 1, 2024; the JIP office has accepted this.",
    )
    assert eligibility.can_submit(outcomes) is True
    assert eligibility.is_eligible(outcomes) is True


def test_a_waiver_does_not_change_an_age_within_the_window(fy2024):
    assert outcome(fy2024, "age", birth_date=dt.date(1990, 1, 1), age_waived=True).outcome == PASS


# --- Language -----------------------------------------------------------------------------------

NO_JLPT = "No JLPT level of N3 or higher."


@pytest.mark.parametrize(
    ("answers", "cycle_changes", "expected", "reason"),
    [
        ({"jlpt_level": JLPTLevel.N1}, {}, PASS, "JLPT N1 meets the required N3 or higher."),
        ({"jlpt_level": JLPTLevel.N2}, {}, PASS, "JLPT N2 meets the required N3 or higher."),
        ({"jlpt_level": JLPTLevel.N3}, {}, PASS, "JLPT N3 meets the required N3 or higher."),
        ({"jlpt_level": JLPTLevel.N4}, {}, FAIL, "JLPT N4 is below the required N3. No English."),
        ({"jlpt_level": JLPTLevel.N5}, {}, FAIL, "JLPT N5 is below the required N3. No English."),
        (
            {"jlpt_level": JLPTLevel.N4, "english_evidence": EnglishEvidence.NONE},
            {},
            FAIL,
            "JLPT N4 is below the required N3. No English.",
        ),
        (
            {"jlpt_level": JLPTLevel.N4, "english_evidence": "ielts", "english_score": Decimal("5.5")},
            {},
            PASS,
            "English: IELTS 5.5.",
        ),
        ({"jlpt_level": None, "english_evidence": "native"}, {}, PASS, "English: Native speaker of English."),
        (
            {"jlpt_level": None, "english_evidence": "studied_in_english"},
            {},
            PASS,
            "English: Studied in English.",
        ),
        # Without a cycle minimum, any certified score shows English proficiency.
        (
            {"jlpt_level": None, "english_evidence": "ielts", "english_score": Decimal("4.0")},
            {},
            PASS,
            "English: IELTS 4.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "toefl_ibt", "english_score": Decimal("100")},
            {},
            PASS,
            "English: TOEFL iBT 100.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "toeic", "english_score": Decimal("600.0")},
            {},
            PASS,
            "English: TOEIC 600.",
        ),
        # With a cycle minimum: at the minimum passes, just below fails.
        (
            {"jlpt_level": None, "english_evidence": "ielts", "english_score": Decimal("6.5")},
            {"ielts_minimum": Decimal("6.5")},
            PASS,
            "English: IELTS 6.5.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "ielts", "english_score": Decimal("6.4")},
            {"ielts_minimum": Decimal("6.5")},
            FAIL,
            f"{NO_JLPT} IELTS 6.4 is below the required 6.5.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "toefl_ibt", "english_score": Decimal("80")},
            {"toefl_ibt_minimum": 80},
            PASS,
            "English: TOEFL iBT 80.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "toefl_ibt", "english_score": Decimal("79")},
            {"toefl_ibt_minimum": 80},
            FAIL,
            f"{NO_JLPT} TOEFL iBT 79 is below the required 80.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "toeic", "english_score": Decimal("700")},
            {"toeic_minimum": 700},
            PASS,
            "English: TOEIC 700.",
        ),
        (
            {"jlpt_level": JLPTLevel.N5, "english_evidence": "toeic", "english_score": Decimal("695")},
            {"toeic_minimum": 700},
            FAIL,
            "JLPT N5 is below the required N3. TOEIC 695 is below the required 700.",
        ),
        # CEFR against the cycle's minimum level.
        (
            {"jlpt_level": None, "english_evidence": "cefr", "cefr_level": CEFRLevel.B1},
            {"cefr_minimum": CEFRLevel.B2},
            FAIL,
            f"{NO_JLPT} CEFR B1 is below the required B2.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "cefr", "cefr_level": CEFRLevel.B2},
            {"cefr_minimum": CEFRLevel.B2},
            PASS,
            "English: CEFR B2.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "cefr", "cefr_level": CEFRLevel.C2},
            {"cefr_minimum": CEFRLevel.B2},
            PASS,
            "English: CEFR C2.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "cefr", "cefr_level": CEFRLevel.A1},
            {},
            PASS,
            "English: CEFR A1.",
        ),
        # Something missing.
        (
            {"jlpt_level": None, "english_evidence": "cefr", "cefr_level": ""},
            {"cefr_minimum": CEFRLevel.B2},
            FAIL,
            f"{NO_JLPT} Give your CEFR level.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "ielts", "english_score": None},
            {},
            FAIL,
            f"{NO_JLPT} Give your IELTS score.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "toeic", "english_score": None},
            {"toeic_minimum": 700},
            FAIL,
            f"{NO_JLPT} Give your TOEIC score.",
        ),
        ({"jlpt_level": None, "english_evidence": "none"}, {}, FAIL, f"{NO_JLPT} No English."),
        (
            {"jlpt_level": None, "english_evidence": ""},
            {},
            INCOMPLETE,
            "Tell us about your Japanese and English.",
        ),
        # The cycle raises the Japanese minimum to N2.
        (
            {"jlpt_level": JLPTLevel.N3},
            {"jlpt_minimum": JLPTLevel.N2},
            FAIL,
            "JLPT N3 is below the required N2. No English.",
        ),
        (
            {"jlpt_level": JLPTLevel.N2},
            {"jlpt_minimum": JLPTLevel.N2},
            PASS,
            "JLPT N2 meets the required N2 or higher.",
        ),
        (
            {"jlpt_level": None, "english_evidence": "none"},
            {"jlpt_minimum": JLPTLevel.N2},
            FAIL,
            "No JLPT level of N2 or higher. No English.",
        ),
    ],
)
def test_language(fy2024, answers, cycle_changes, expected, reason):
    cycle_with(fy2024, **cycle_changes)
    result = outcome(fy2024, "language", **answers)
    assert (result.outcome, result.reason) == (expected, reason)
    assert result.waivable is False


# --- Earlier participation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("participated", "year", "expected", "reason"),
    [
        (False, None, PASS, "You have not taken part before."),
        (True, 2016, FAIL, "You took part in FY2016; participants of FY2016–FY2023 cannot apply."),
        (True, 2023, FAIL, "You took part in FY2023; participants of FY2016–FY2023 cannot apply."),
        (True, 2020, FAIL, "You took part in FY2020; participants of FY2016–FY2023 cannot apply."),
        (True, 2015, PASS, "Taking part in FY2015 does not exclude you."),
        (True, 2024, PASS, "Taking part in FY2024 does not exclude you."),
        (True, None, INCOMPLETE, "Give the fiscal year you took part in."),
        (None, None, INCOMPLETE, "Tell us whether you took part before."),
    ],
)
def test_participation(fy2024, participated, year, expected, reason):
    result = outcome(fy2024, "participation", participated_before=participated, participated_fiscal_year=year)
    assert (result.outcome, result.reason) == (expected, reason)


@pytest.mark.parametrize(
    ("low", "high", "year", "expected"),
    [
        (2016, 2024, 2024, FAIL),
        (2017, 2023, 2016, PASS),
        (None, None, 2020, PASS),  # a cycle that excludes no one
    ],
)
def test_the_cycles_excluded_years_decide_without_code_changes(fy2024, low, high, year, expected):
    cycle_with(fy2024, excluded_participation_from_fy=low, excluded_participation_to_fy=high)
    result = outcome(fy2024, "participation", participated_before=True, participated_fiscal_year=year)
    assert result.outcome == expected


# --- Education ----------------------------------------------------------------------------------

CANNOT_SUBMIT = (
    "Confirm that you can submit a certificate of enrollment or graduation and a recommendation letter."
)


@pytest.mark.parametrize(
    ("answers", "expected", "reason"),
    [
        ({"education_status": ""}, INCOMPLETE, "Give your studies: student or graduate, and where."),
        ({"institution": ""}, INCOMPLETE, "Give your studies: student or graduate, and where."),
        ({"can_submit_documents": False}, INCOMPLETE, CANNOT_SUBMIT),
        (
            {"education_status": EducationStatus.GRADUATE, "can_submit_documents": False},
            INCOMPLETE,
            CANNOT_SUBMIT,
        ),
        (
            {"education_status": EducationStatus.STUDENT},
            PASS,
            "Student: a certificate of enrollment and a recommendation letter will be asked for.",
        ),
        (
            {"education_status": EducationStatus.GRADUATE},
            PASS,
            "Graduate: a certificate of graduation and a recommendation letter will be asked for.",
        ),
    ],
)
def test_education(fy2024, answers, expected, reason):
    result = outcome(fy2024, "education", **answers)
    assert (result.outcome, result.reason) == (expected, reason)


# --- Declarations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing", ["agrees_with_purpose", "can_dedicate", "follows_timetable", "information_is_true"]
)
def test_each_missing_declaration_is_incomplete(fy2024, missing):
    outcomes = eligibility.evaluate(build(fy2024, **{missing: False}))
    declarations = outcomes[-1]
    assert (declarations.rule, declarations.outcome, declarations.reason) == (
        "declarations",
        INCOMPLETE,
        "Every declaration is needed to apply.",
    )
    assert eligibility.can_submit(outcomes) is False
    assert eligibility.is_eligible(outcomes) is False


def test_all_declarations_pass(fy2024):
    result = outcome(fy2024, "declarations")
    assert (result.outcome, result.reason) == (PASS, "You made every declaration.")


# --- Submission and eligibility together --------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "can_submit", "is_eligible", "not_passed"),
    [
        ({}, True, True, {}),
        ({"birth_date": dt.date(1983, 8, 1)}, True, False, {"age": FAIL}),
        ({"birth_date": dt.date(1983, 8, 1), "age_waived": True}, True, True, {"age": WAIVED}),
        ({"birth_date": None}, False, False, {"age": INCOMPLETE}),
        ({"nationality": "CN"}, False, False, {"nationality": FAIL}),
        ({"residence_country": "JP"}, False, False, {"residence": FAIL}),
        ({"jlpt_level": JLPTLevel.N4}, False, False, {"language": FAIL}),
        (
            {"participated_before": True, "participated_fiscal_year": 2019},
            False,
            False,
            {"participation": FAIL},
        ),
        ({"can_submit_documents": False}, False, False, {"education": INCOMPLETE}),
        ({"information_is_true": False}, False, False, {"declarations": INCOMPLETE}),
        (
            {"nationality": "JP", "birth_date": dt.date(2007, 1, 1), "jlpt_level": None},
            False,
            False,
            {"nationality": FAIL, "age": FAIL, "language": INCOMPLETE},
        ),
    ],
)
def test_can_submit_and_is_eligible(fy2024, answers, can_submit, is_eligible, not_passed):
    outcomes = eligibility.evaluate(build(fy2024, **answers))
    assert {o.rule: o.outcome for o in outcomes if o.outcome != PASS} == not_passed
    assert eligibility.can_submit(outcomes) is can_submit
    assert eligibility.is_eligible(outcomes) is is_eligible


def test_facts_can_be_read_once_and_reused(fy2024, django_assert_num_queries):
    facts = eligibility.CycleFacts.for_cycle(fy2024)
    assert "VN" in facts.eligible_codes and "CN" not in facts.eligible_codes
    with django_assert_num_queries(0):
        outcomes = eligibility.evaluate(build(fy2024, nationality="CN"), facts)
    assert outcomes[0].outcome == FAIL


@pytest.mark.parametrize("rule", RULE_ORDER)
def test_every_rule_has_a_title_in_both_languages(rule):
    assert eligibility.title(rule) == eligibility.RULE_TITLES[rule]
    with translation.override("ja"):
        assert eligibility.title(rule).strip()


# --- Every outcome explains itself, in either language ------------------------------------------

answers_strategy = st.fixed_dictionaries(
    {
        "nationality": st.sampled_from(["", "VN", "XK", "CN", "JP", "US", "IN"]),
        "residence_country": st.sampled_from(["", "JP", "VN", "DE"]),
        "birth_date": st.none() | st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2015, 12, 31)),
        "age_waived": st.booleans(),
        "jlpt_level": st.none() | st.sampled_from(JLPTLevel.values),
        "english_evidence": st.sampled_from(["", *EnglishEvidence.values]),
        "english_score": st.none()
        | st.sampled_from([Decimal("100"), Decimal("600.0"), Decimal("6.5"), Decimal("0")])
        | st.decimals(min_value=0, max_value=990, places=1, allow_nan=False, allow_infinity=False),
        "cefr_level": st.sampled_from(["", *CEFRLevel.values]),
        "participated_before": st.none() | st.booleans(),
        "participated_fiscal_year": st.none() | st.integers(min_value=2000, max_value=2100),
        "education_status": st.sampled_from(["", *EducationStatus.values]),
        "institution": st.sampled_from(["", "University of Hanoi"]),
        "can_submit_documents": st.booleans(),
        "agrees_with_purpose": st.booleans(),
        "can_dedicate": st.booleans(),
        "follows_timetable": st.booleans(),
        "information_is_true": st.booleans(),
    }
)


@pytest.fixture
def strict_cycle(fy2024):
    return cycle_with(
        fy2024,
        ielts_minimum=Decimal("6.0"),
        toefl_ibt_minimum=72,
        toeic_minimum=600,
        cefr_minimum=CEFRLevel.B2,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=answers_strategy, language=st.sampled_from(["en", "ja"]))
def test_every_outcome_has_a_reason_in_either_language(strict_cycle, answers, language):
    facts = eligibility.CycleFacts.for_cycle(strict_cycle)
    with translation.override(language):
        outcomes = eligibility.evaluate(build(strict_cycle, **answers), facts)
    assert [o.rule for o in outcomes] == RULE_ORDER
    for result in outcomes:
        assert result.outcome in {PASS, FAIL, WAIVED, INCOMPLETE}
        assert isinstance(result.reason, str) and result.reason.strip(), result
        assert "%(" not in result.reason and "E+" not in result.reason, result
    # Only the age rule may fail without blocking; anything incomplete blocks.
    blocking = [o for o in outcomes if o.outcome == INCOMPLETE or (o.outcome == FAIL and o.rule != "age")]
    assert eligibility.can_submit(outcomes) is (not blocking)
    if eligibility.is_eligible(outcomes):
        assert eligibility.can_submit(outcomes)
