"""How a company's answers read in the portal: each value in the manager's language, the form's sections, and
the eligibility verdict with each rule's reason."""

from __future__ import annotations

import datetime as dt

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import eligibility, forms
from .models import HostCompany


def value_shown(instance, name: str) -> str:
    """A field's value as a manager reads it: choices, dates, yes/no and amounts in their language."""
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    if name == "capital_jpy":
        return _("¥%(amount)s") % {"amount": intcomma(value)}
    if hasattr(instance, f"get_{name}_display"):
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, int):
        return intcomma(value)
    return str(value)


def sections_shown(instance, form_class: type[forms.SectionedForm], empty: dict | None = None) -> list[dict]:
    """The instance's answers in the form's sections, each with its label."""
    empty = empty or {}
    return [
        {
            "title": section.title,
            "rows": [
                (form_class.base_fields[name].label, value_shown(instance, name) or empty.get(name, ""))
                for name in section.fields
            ],
        }
        for section in form_class.SECTIONS
    ]


def eligibility_shown(company: HostCompany) -> tuple[list[dict], str]:
    """Each rule's outcome and reason, evaluated again so the reasons come in the reader's language, and the
    verdict: "qualifies", "fails" (a rule is not met) or "incomplete" (answers are missing)."""
    outcomes = eligibility.evaluate(company)
    shown = [{"title": eligibility.title(o.rule), "outcome": o.outcome, "reason": o.reason} for o in outcomes]
    if eligibility.qualifies(outcomes):
        return shown, "qualifies"
    return shown, "fails" if any(o.outcome == eligibility.FAIL for o in outcomes) else "incomplete"
