"""How the applicant's pages show an application: the entry form's progress steps, the answers and the
eligibility outcomes, each in the reader's language (words kept per process and language, jip.memo)."""

import datetime as dt
import html
import re

from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.hashable import make_hashable
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.fields import CountryField

from jip.memo import kept, url_once

from . import eligibility, forms
from .models import Application

STEPS = forms.ENTRY_STEPS
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def step_titles() -> dict[str, str]:
    """Each step's title (and the review's) in the active language."""
    return _step_titles_in(get_language())


@kept(maxsize=8)
def _step_titles_in(language: str | None) -> dict[str, str]:
    """Translated once per process and language (jip.memo); `language` is the active one, the key."""
    return {step.slug: str(step.title) for step in STEPS} | {"review": _("Review and submit")}


def progress_steps(application: Application, current: str) -> list[dict]:
    """The steps for the progress bar: address, state, and mark (✓ for a step done, else its number)."""
    done, titles = application.steps_done, step_titles()
    items = [
        (s.slug, titles[s.slug], s.slug in done, url_once("applicants:entry_step", s.slug)) for s in STEPS
    ]
    items.append(("review", titles["review"], False, url_once("applicants:entry_review")))
    return [
        {
            "slug": slug,
            "title": title,
            "done": done,
            "current": slug == current,
            "url": url,
            "state": "step-current" if slug == current else "step-done" if done else "",
            "mark": "✓" if done and slug != current else str(number),  # a string: no number formatting
        }
        for number, (slug, title, done, url) in enumerate(items, start=1)
    ]


def progress_key(application: Application, current: str) -> tuple[str, ...]:
    """What the progress steps look like depends on this only (and the language): the templates' `{% cache %}`
    keeps their HTML per key."""
    return (current, *(s.slug for s in STEPS if s.slug in application.steps_done))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@kept(maxsize=len(STEPS))
def _answer_fields(slug: str) -> list[tuple[str, str, dict | None]]:
    """(name, kind, choices) of each answer of a step, read from the models once per process (jip.memo).

    kind is "choices" (shown by its label, as get_FOO_display shows it), "country" or "plain".
    """
    fields: list[tuple[str, str, dict | None]] = []
    for name in STEP_BY_SLUG[slug].form.base_fields:
        field = Application._meta.get_field(name)
        if isinstance(field, CountryField):
            fields.append((name, "country", None))
        elif field.choices is not None:
            choices = {make_hashable(value): label for value, label in field.flatchoices}
            fields.append((name, "choices", choices))
        else:
            fields.append((name, "plain", None))
    return fields


def _answer_words(step: forms.Step) -> tuple[list[str], list[dict | None], str, str]:
    """The step's labels, its choices' labels, "Yes" and "No" in the active language."""
    return _answer_words_in(get_language(), step.slug)


@kept(maxsize=8 * len(STEPS))
def _answer_words_in(language: str | None, slug: str) -> tuple[list[str], list[dict | None], str, str]:
    """Translated once per process, language and step (jip.memo); `language` is the active one, the key."""
    labels = [str(field.label) for field in STEP_BY_SLUG[slug].form.base_fields.values()]
    choices = [
        {value: force_str(label, strings_only=True) for value, label in field_choices.items()}
        if field_choices is not None
        else None
        for _name, _kind, field_choices in _answer_fields(slug)
    ]
    return labels, choices, _("Yes"), _("No")


def _html_lines(text: str) -> SafeString:
    """Text as the template filter `linebreaksbr` shows it: HTML-escaped, each line break a <br>."""
    escaped = html.escape(text)
    # SafeString rather than mark_safe(): the same, without its lazy-string wrapper; escaped just before.
    return SafeString(_LINE_BREAK.sub("<br>", escaped) if "\n" in text or "\r" in text else escaped)


def answer_rows(application: Application, step: forms.Step) -> list[tuple[str, SafeString]]:
    """Each answer of a step as the applicant would read it: labels, choices and dates in their language.

    The values come ready for the page: "—" when empty, HTML-escaped, line breaks as <br>.
    """
    labels, choices, yes, no = _answer_words(step)
    fields, rows = _answer_fields(step.slug), []
    for (name, kind, _choices), label, shown_as in zip(fields, labels, choices, strict=True):
        value = getattr(application, name)
        if kind == "country":
            shown = value.name if value else ""  # the name get_FOO_display gives, without the list
        elif kind == "choices" and value not in (None, ""):
            key = make_hashable(value)
            shown = shown_as[key] if key in shown_as else force_str(value, strings_only=True)
        elif isinstance(value, bool):
            shown = yes if value else no
        elif isinstance(value, dt.date):
            shown = date_format(value, "DATE_FORMAT")
        else:
            shown = "" if value is None else str(value)
        rows.append((label, _html_lines(str(shown or "—"))))
    return rows


def outcomes_for_display(application: Application) -> list[dict]:
    """The stored outcomes, re-evaluated for a draft so the reasons come in the reader's language."""
    outcomes = (
        eligibility.evaluate(application)
        if application.is_draft
        else [eligibility.RuleOutcome(**o) for o in application.eligibility]
    )
    titles, badges = _outcome_words()
    shown = []
    for o in outcomes:
        badge, badge_label = badges[_badge(o)]
        shown.append(
            {
                "title": titles[o.rule],
                "outcome": o.outcome,
                "reason": o.reason,
                "blocks": o.blocks_submission,
                "badge": badge,
                "badge_label": badge_label,
            }
        )
    return shown


def _outcome_words() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Rule titles and badges (colour class, word) in the active language."""
    return _outcome_words_in(get_language())


@kept(maxsize=8)
def _outcome_words_in(language: str | None) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Translated once per process and language (jip.memo); `language` is the active one, the key."""
    titles = {rule: eligibility.title(rule) for rule in eligibility.RULE_TITLES}
    badges = {
        "met": ("text-bg-success", _("Met")),
        "waived": ("text-bg-info", _("Accepted by the office")),
        "incomplete": ("text-bg-secondary", _("To complete")),
        "not_met": ("text-bg-danger", _("Not met")),
        "office": ("text-bg-warning", _("Office decides")),
    }
    return titles, badges


def _badge(outcome: eligibility.RuleOutcome) -> str:
    """Which badge an outcome wears."""
    if outcome.outcome == eligibility.PASS:
        return "met"
    if outcome.outcome == eligibility.WAIVED:
        return "waived"
    if outcome.outcome == eligibility.INCOMPLETE:
        return "incomplete"
    return "not_met" if outcome.blocks_submission else "office"
