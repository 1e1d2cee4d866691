"""The eligibility engine: every rule of the cycle, each with an outcome and a reason in plain words.

Rules (FY2024 call, docs/program.md §4); every threshold is read from the cycle, never written here:
nationality on the cycle's list and not excluded; not resident in Japan; age within the window on the
reference date (inclusive; staff may waive it "in principle"); JLPT at the cycle's minimum or higher, or
English; no participation in the excluded fiscal years; student or graduate able to submit the documents;
the declarations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.hashable import make_hashable
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jip.memo import kept
from jip.models import CEFRLevel, ProgramCycle
from jip.selectors import country_codes_on_list

from .models import Application, EducationStatus, EnglishEvidence

PASS, FAIL, WAIVED, INCOMPLETE = "pass", "fail", "waived", "incomplete"

# Rule titles are stored untranslated and shown translated.
RULE_TITLES = {
    "nationality": gettext_noop("Nationality"),
    "residence": gettext_noop("Residence"),
    "age": gettext_noop("Age"),
    "language": gettext_noop("Japanese or English"),
    "participation": gettext_noop("Earlier participation"),
    "education": gettext_noop("Student or graduate"),
    "declarations": gettext_noop("Declarations"),
}


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    outcome: str  # pass, fail, waived or incomplete
    reason: str  # plain words, in the language active when evaluated; re-evaluated on display
    waivable: bool = False

    @property
    def blocks_submission(self) -> bool:
        return self.outcome == INCOMPLETE or (self.outcome == FAIL and not self.waivable)


@dataclass(frozen=True)
class CycleFacts:
    """What the rules need to know about the cycle, read once per evaluation."""

    cycle: ProgramCycle
    eligible_codes: frozenset[str]

    @classmethod
    def for_cycle(cls, cycle: ProgramCycle) -> CycleFacts:
        excluded = {c.code for c in cycle.excluded_countries}
        codes = country_codes_on_list(country_list_id=cycle.country_list_id)
        return cls(cycle=cycle, eligible_codes=codes - excluded)


@kept(maxsize=64)
def _choices(model: type[models.Model], name: str) -> dict:
    """A field's choices by value (labels lazy: translated when shown), read once per process (jip.memo)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a field with choices")
    return {make_hashable(value): label for value, label in field.flatchoices}


def _display(instance: models.Model, name: str) -> str:
    """`instance.get_<name>_display()`, with the field's choices read once per process, not on every call."""
    choices = _choices(type(instance), name)
    value = getattr(instance, name)
    return force_str(choices.get(make_hashable(value), value), strings_only=True)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _nationality(app: Application, facts: CycleFacts) -> RuleOutcome:
    if not app.nationality:
        return RuleOutcome("nationality", INCOMPLETE, _("Give your nationality."))
    name = app.nationality.name
    if app.nationality.code in facts.eligible_codes:
        return RuleOutcome("nationality", PASS, _("%(country)s is an eligible country.") % {"country": name})
    if app.nationality.code in {c.code for c in facts.cycle.excluded_countries}:
        reason = _("Citizens of %(country)s cannot apply in this cycle.")
    else:
        reason = _("%(country)s is not on the list of eligible countries.")
    return RuleOutcome("nationality", FAIL, reason % {"country": name})


def _residence(app: Application, facts: CycleFacts) -> RuleOutcome:
    if not app.residence_country:
        return RuleOutcome("residence", INCOMPLETE, _("Give your country of residence."))
    if app.residence_country.code == "JP":
        return RuleOutcome("residence", FAIL, _("People living in Japan cannot apply."))
    return RuleOutcome("residence", PASS, _("You live outside Japan."))


def _age(app: Application, facts: CycleFacts) -> RuleOutcome:
    cycle = facts.cycle
    if not app.birth_date:
        return RuleOutcome("age", INCOMPLETE, _("Give your date of birth."), waivable=True)
    age = age_on(app.birth_date, cycle.age_reference_date)
    values = {
        "age": age,
        "min": cycle.age_min,
        "max": cycle.age_max,
        "date": date_format(cycle.age_reference_date, "DATE_FORMAT"),
    }
    if cycle.age_min <= age <= cycle.age_max:
        return RuleOutcome(
            "age", PASS, _("You will be %(age)s on %(date)s, within %(min)s to %(max)s.") % values, True
        )
    if app.age_waived:
        return RuleOutcome(
            "age",
            WAIVED,
            _("You will be %(age)s on %(date)s; the JIP office has accepted this.") % values,
            True,
        )
    return RuleOutcome(
        "age",
        FAIL,
        _(
            "You will be %(age)s on %(date)s; the program is for ages %(min)s to %(max)s in principle. "
            "The JIP office may still accept your application."
        )
        % values,
        True,
    )


def _english_meets(app: Application, cycle: ProgramCycle) -> tuple[bool, str]:
    evidence = app.english_evidence
    if evidence in (EnglishEvidence.NATIVE, EnglishEvidence.STUDIED_IN_ENGLISH):
        return True, _("English: %(evidence)s.") % {"evidence": _display(app, "english_evidence")}
    if evidence == EnglishEvidence.CEFR:
        if not app.cefr_level:
            return False, _("Give your CEFR level.")
        minimum = cycle.cefr_minimum
        order = list(CEFRLevel.values)
        if minimum and order.index(app.cefr_level) < order.index(minimum):
            return False, _("CEFR %(level)s is below the required %(minimum)s.") % {
                "level": app.cefr_level,
                "minimum": minimum,
            }
        return True, _("English: CEFR %(level)s.") % {"level": app.cefr_level}
    minimums: dict[str, Decimal | int | None] = {
        EnglishEvidence.IELTS: cycle.ielts_minimum,
        EnglishEvidence.TOEFL_IBT: cycle.toefl_ibt_minimum,
        EnglishEvidence.TOEIC: cycle.toeic_minimum,
    }
    if evidence in minimums:
        test = _display(app, "english_evidence")
        if app.english_score is None:
            return False, _("Give your %(test)s score.") % {"test": test}
        required = minimums[evidence]
        values = {"test": test, "score": f"{app.english_score.normalize():f}", "minimum": required}
        if required is not None and app.english_score < Decimal(required):
            return False, _("%(test)s %(score)s is below the required %(minimum)s.") % values
        return True, _("English: %(test)s %(score)s.") % values
    return False, ""


def _language(app: Application, facts: CycleFacts) -> RuleOutcome:
    cycle = facts.cycle
    required = _display(cycle, "jlpt_minimum")
    if app.jlpt_level is not None and app.jlpt_level <= cycle.jlpt_minimum:
        return RuleOutcome(
            "language",
            PASS,
            _("JLPT %(level)s meets the required %(required)s or higher.")
            % {"level": _display(app, "jlpt_level"), "required": required},
        )
    if not app.english_evidence and app.jlpt_level is None:
        return RuleOutcome("language", INCOMPLETE, _("Tell us about your Japanese and English."))
    meets, english_reason = _english_meets(app, cycle)
    if meets:
        return RuleOutcome("language", PASS, english_reason)
    japanese = (
        _("JLPT %(level)s is below the required %(required)s.")
        % {"level": _display(app, "jlpt_level"), "required": required}
        if app.jlpt_level is not None
        else _("No JLPT level of %(required)s or higher.") % {"required": required}
    )
    english = english_reason or _("No English.")
    return RuleOutcome("language", FAIL, f"{japanese} {english}")


def _participation(app: Application, facts: CycleFacts) -> RuleOutcome:
    cycle = facts.cycle
    low, high = cycle.excluded_participation_from_fy, cycle.excluded_participation_to_fy
    if app.participated_before is None:
        return RuleOutcome("participation", INCOMPLETE, _("Tell us whether you took part before."))
    if not app.participated_before:
        return RuleOutcome("participation", PASS, _("You have not taken part before."))
    if app.participated_fiscal_year is None:
        return RuleOutcome("participation", INCOMPLETE, _("Give the fiscal year you took part in."))
    values = {"year": app.participated_fiscal_year, "low": low, "high": high}
    if low is not None and high is not None and low <= app.participated_fiscal_year <= high:
        return RuleOutcome(
            "participation",
            FAIL,
            _("You took part in FY%(year)s; participants of FY%(low)s–FY%(high)s cannot apply.") % values,
        )
    return RuleOutcome("participation", PASS, _("Taking part in FY%(year)s does not exclude you.") % values)


def _education(app: Application, facts: CycleFacts) -> RuleOutcome:
    if not app.education_status or not app.institution:
        return RuleOutcome("education", INCOMPLETE, _("Give your studies: student or graduate, and where."))
    if not app.can_submit_documents:
        return RuleOutcome(
            "education",
            INCOMPLETE,
            _(
                "Confirm that you can submit a certificate of enrollment or graduation "
                "and a recommendation letter."
            ),
        )
    if app.education_status == EducationStatus.STUDENT:
        reason = _("Student: a certificate of enrollment and a recommendation letter will be asked for.")
    else:
        reason = _("Graduate: a certificate of graduation and a recommendation letter will be asked for.")
    return RuleOutcome("education", PASS, reason)


def _declarations(app: Application, facts: CycleFacts) -> RuleOutcome:
    if all([app.agrees_with_purpose, app.can_dedicate, app.follows_timetable, app.information_is_true]):
        return RuleOutcome("declarations", PASS, _("You made every declaration."))
    return RuleOutcome("declarations", INCOMPLETE, _("Every declaration is needed to apply."))


RULES: list[Callable[[Application, CycleFacts], RuleOutcome]] = [
    _nationality,
    _residence,
    _age,
    _language,
    _participation,
    _education,
    _declarations,
]


def evaluate(application: Application, facts: CycleFacts | None = None) -> list[RuleOutcome]:
    facts = facts or CycleFacts.for_cycle(application.cycle)
    return [rule(application, facts) for rule in RULES]


def evaluate_rule(rule: str, application: Application, facts: CycleFacts | None = None) -> RuleOutcome:
    facts = facts or CycleFacts.for_cycle(application.cycle)
    return {f.__name__.lstrip("_"): f for f in RULES}[rule](application, facts)


def can_submit(outcomes: list[RuleOutcome]) -> bool:
    return not any(o.blocks_submission for o in outcomes)


def is_eligible(outcomes: list[RuleOutcome]) -> bool:
    return all(o.outcome in (PASS, WAIVED) for o in outcomes)


def as_json(outcomes: list[RuleOutcome]) -> list[dict]:
    # What dataclasses.asdict gives, without its deep copy of four plain values.
    return [
        {"rule": o.rule, "outcome": o.outcome, "reason": o.reason, "waivable": o.waivable} for o in outcomes
    ]


def title(rule: str) -> str:
    return _(RULE_TITLES[rule])
