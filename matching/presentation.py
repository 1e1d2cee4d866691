"""How matching's facts read on a page: the fit of a pair, in the office's words and in the company's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from applicants.models import Application
from companies.models import Position

from . import fit as pair_fit

FIT_TITLES = {
    "course": gettext_lazy("Course"),
    "japanese": gettext_lazy("Japanese"),
    "english": gettext_lazy("English"),
    "skills": gettext_lazy("Skills"),
    "conditions": gettext_lazy("Company's conditions"),
}
# The company reads its own conditions as its own.
COMPANY_FIT_TITLES = {**FIT_TITLES, "conditions": gettext_lazy("Your own conditions")}
FIT_BADGES = {"ok": "jip-fit-ok", "warning": "jip-fit-warning", "check": "jip-fit-check"}


def fit_rows(application: Application, position: Position, *, titles: dict = FIT_TITLES) -> list[dict]:
    """Each criterion of the pair's fit (`matching.fit`): its title, outcome, reason and badge."""
    return [
        {"title": titles.get(i.criterion, i.criterion), "outcome": i.outcome, "reason": i.reason,
         "css": FIT_BADGES[i.outcome]}
        for i in pair_fit.evaluate(application, position)
    ]  # fmt: skip
