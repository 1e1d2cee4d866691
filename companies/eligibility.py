"""Whether a company may host interns, each rule with its outcome and reason (docs/program.md §6).

SME Basic Act, Article 2: a company is small or medium-sized when its capital **or** its regular employees are
at most the limit of its industry group. The limits are the Act's, not the program's, so they live here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import EXCLUDED_ORGANISATION_TYPES, HostCompany, Industry

PASS, FAIL, INCOMPLETE = "pass", "fail", "incomplete"

# Industry group → (capital at most, in yen; regular employees at most).
SME_LIMITS: dict[str, tuple[int, int]] = {
    Industry.MANUFACTURING_AND_OTHERS: (300_000_000, 300),
    Industry.WHOLESALE: (100_000_000, 100),
    Industry.SERVICES: (50_000_000, 100),
    Industry.RETAIL: (50_000_000, 50),
}

RULE_TITLES = {
    "organisation": gettext_noop("Type of organisation"),
    "sme": gettext_noop("Small or medium-sized enterprise"),
    "location": gettext_noop("Main business location in Japan"),
}


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    outcome: str
    reason: str


def _organisation(company: HostCompany) -> RuleOutcome:
    if not company.organisation_type:
        return RuleOutcome("organisation", INCOMPLETE, _("Give the type of organisation."))
    label = company.get_organisation_type_display()
    if company.organisation_type in EXCLUDED_ORGANISATION_TYPES:
        return RuleOutcome(
            "organisation", FAIL, _("%(type)s cannot host interns in this program.") % {"type": label}
        )
    return RuleOutcome("organisation", PASS, _("%(type)s.") % {"type": label})


def _sme(company: HostCompany) -> RuleOutcome:
    if not company.industry or company.capital_jpy is None or company.regular_employees is None:
        return RuleOutcome(
            "sme", INCOMPLETE, _("Give the industry, the capital and the number of regular employees.")
        )
    max_capital, max_employees = SME_LIMITS[company.industry]
    values = {
        "industry": company.get_industry_display(),
        "capital": intcomma(company.capital_jpy),
        "employees": company.regular_employees,
        "max_capital": intcomma(max_capital),
        "max_employees": max_employees,
    }
    if company.capital_jpy <= max_capital:
        return RuleOutcome(
            "sme",
            PASS,
            _("%(industry)s: capital of ¥%(capital)s is at most ¥%(max_capital)s.") % values,
        )
    if company.regular_employees <= max_employees:
        return RuleOutcome(
            "sme",
            PASS,
            _("%(industry)s: %(employees)s regular employees is at most %(max_employees)s.") % values,
        )
    return RuleOutcome(
        "sme",
        FAIL,
        _(
            "%(industry)s: capital of ¥%(capital)s is over ¥%(max_capital)s and %(employees)s regular "
            "employees is over %(max_employees)s, so the company is not an SME under the SME Basic Act."
        )
        % values,
    )


def _location(company: HostCompany) -> RuleOutcome:
    if not company.main_business_in_japan:
        return RuleOutcome("location", FAIL, _("The main business location must be in Japan."))
    if not company.main_business_prefecture:
        return RuleOutcome("location", INCOMPLETE, _("Give the prefecture of the main business location."))
    return RuleOutcome(
        "location",
        PASS,
        _("Main business location in %(prefecture)s.")
        % {"prefecture": company.get_main_business_prefecture_display()},
    )


RULES = [_organisation, _sme, _location]


def evaluate(company: HostCompany) -> list[RuleOutcome]:
    return [rule(company) for rule in RULES]


def qualifies(outcomes: list[RuleOutcome]) -> bool:
    return all(o.outcome == PASS for o in outcomes)


def as_json(outcomes: list[RuleOutcome]) -> list[dict]:
    return [asdict(o) for o in outcomes]


def title(rule: str) -> str:
    return _(RULE_TITLES[rule])
