"""How an applicant fits a position, criterion by criterion, with the reason in words (docs/program.md §8).

The company's own conditions are checked at referral, not at entry: the office sees, for each pair, where
it fits, where it does not (a warning, not a refusal), and what it must check by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from applicants.models import Application, CoursePreference, EnglishEvidence
from companies.models import Position, PositionCourse
from jip.models import CEFRLevel, CourseKind

OK, WARNING, CHECK = "ok", "warning", "check"
_CEFR_ORDER = list(CEFRLevel.values)
_WORD = re.compile(r"[\w+#.]{2,}", re.UNICODE)
# Words too common in skill descriptions to say anything about a fit.
_STOP = frozenset(
    {
        "and", "or", "the", "of", "in", "with", "to", "for", "a", "an", "experience", "skills", "skill",
        "basic", "good", "knowledge", "level", "etc", "using", "use", "years", "year", "work", "working",
        "able",
    }
)  # fmt: skip


@dataclass(frozen=True)
class FitItem:
    criterion: str
    outcome: str
    reason: str

    def as_json(self) -> dict:
        return {"criterion": self.criterion, "outcome": self.outcome, "reason": self.reason}


def courses_for(application: Application, position: Position) -> list[str]:
    """The courses in which this applicant could take this position's places."""
    wanted = (
        {CourseKind.IN_PERSON.value, CourseKind.ONLINE.value}
        if application.course_preference == CoursePreference.BOTH
        else {application.course_preference}
    )
    offered = position.places_by_course()
    ordered = [CourseKind.IN_PERSON.value, CourseKind.ONLINE.value]
    return [c for c in ordered if c in wanted and offered.get(c, 0) > 0]


def _course(application: Application, position: Position) -> FitItem:
    courses = courses_for(application, position)
    if not application.course_preference:
        return FitItem("course", WARNING, _("The applicant has not chosen a course."))
    if not courses:
        return FitItem(
            "course",
            WARNING,
            _("The applicant chose “%(wanted)s”; the position offers “%(offered)s”.")
            % {
                "wanted": application.get_course_preference_display(),
                "offered": PositionCourse(position.course).label,
            },
        )
    labels = ", ".join(str(CourseKind(c).label) for c in courses)
    return FitItem("course", OK, _("Both can take part in: %(courses)s.") % {"courses": labels})


def _japanese(application: Application, position: Position) -> FitItem:
    needed = position.japanese_level
    if not needed:
        return FitItem("japanese", OK, _("The position asks for no level of Japanese."))
    has = application.jlpt_level
    if has and has <= needed:  # N1 = 1 is the highest level
        return FitItem(
            "japanese",
            OK,
            _("JLPT N%(has)s meets the N%(needed)s asked for.") % {"has": has, "needed": needed},
        )
    if has:
        return FitItem(
            "japanese",
            WARNING,
            _("JLPT N%(has)s is below the N%(needed)s asked for.") % {"has": has, "needed": needed},
        )
    return FitItem(
        "japanese", WARNING, _("The applicant has no JLPT level; the position asks for N%(needed)s.")
        % {"needed": needed},
    )  # fmt: skip


def _english(application: Application, position: Position) -> FitItem:
    needed = position.english_level
    if not needed:
        return FitItem("english", OK, _("The position asks for no level of English."))
    evidence = application.english_evidence
    if evidence in (EnglishEvidence.NATIVE, EnglishEvidence.STUDIED_IN_ENGLISH):
        return FitItem(
            "english", OK, _("%(evidence)s: meets the %(needed)s asked for.")
            % {"evidence": application.get_english_evidence_display(), "needed": needed},
        )  # fmt: skip
    if evidence == EnglishEvidence.CEFR and application.cefr_level:
        if _CEFR_ORDER.index(application.cefr_level) >= _CEFR_ORDER.index(needed):
            return FitItem(
                "english", OK, _("CEFR %(has)s meets the %(needed)s asked for.")
                % {"has": application.cefr_level, "needed": needed},
            )  # fmt: skip
        return FitItem(
            "english", WARNING, _("CEFR %(has)s is below the %(needed)s asked for.")
            % {"has": application.cefr_level, "needed": needed},
        )  # fmt: skip
    if evidence and evidence != EnglishEvidence.NONE and application.english_score is not None:
        return FitItem(
            "english", CHECK, _("%(evidence)s %(score)s: compare with the CEFR %(needed)s asked for.")
            % {"evidence": application.get_english_evidence_display(), "score": application.english_score,
               "needed": needed},
        )  # fmt: skip
    return FitItem(
        "english",
        WARNING,
        _("No English evidence; the position asks for CEFR %(needed)s.") % {"needed": needed},
    )


def _words(text: str) -> set[str]:
    return {w for w in (m.group(0).lower().strip(".") for m in _WORD.finditer(text)) if w and w not in _STOP}


def _skills(application: Application, position: Position) -> FitItem:
    if not position.skills.strip():
        return FitItem("skills", OK, _("The position names no particular skills."))
    shared = sorted(_words(position.skills) & _words(f"{application.skills} {application.field_of_study}"))
    if shared:
        return FitItem("skills", OK, _("Skills in common: %(skills)s.") % {"skills": ", ".join(shared[:8])})
    return FitItem(
        "skills", CHECK, _("No skill named by the position appears in the application: read both.")
    )


def _conditions(position: Position) -> FitItem | None:
    if not position.conditions.strip():
        return None
    return FitItem(
        "conditions", CHECK, _("The company's own conditions, to check by hand: %(conditions)s")
        % {"conditions": position.conditions.strip()},
    )  # fmt: skip


def evaluate(application: Application, position: Position) -> list[FitItem]:
    items = [
        _course(application, position),
        _japanese(application, position),
        _english(application, position),
        _skills(application, position),
    ]
    conditions = _conditions(position)
    if conditions is not None:
        items.append(conditions)
    return items


def fits(items: list[FitItem]) -> bool:
    """A pair fits when nothing warns; "check" items are for the office to read, not a misfit."""
    return all(item.outcome != WARNING for item in items)
