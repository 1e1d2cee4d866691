"""The company side of matching: filter the candidates, score them, propose interview slots, record the
outcome, rank the candidates of a position and answer a match.

Each form rejects bad input with a message beside the field; the services check again and the views put
their errors beside the same fields (the field names are the keys the services use).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jip import clock
from jip.models import JLPTLevel

from ..models import InterviewMode, InterviewOutcome, ScoreCriterion
from ..services import MAX_SLOTS

# What datetime-local inputs send (seconds when the browser adds them), and what people type by hand.
SLOT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
SLOT_HORIZON = dt.timedelta(days=366)  # a slot further away is a typo of the year
MAX_RANK = 999


# --- The list of candidates ----------------------------------------------------------------------------


class CandidateFilterForm(forms.Form):
    """The list's filters and order, read from the query string; a bad value falls back to its default."""

    STATUSES = [
        ("", _("All")),
        ("referred", _("Referred")),
        ("interview", _("Interview proposed or held")),
        ("no_interview", _("No interview yet")),
        ("declined", _("Declined by the applicant")),
    ]
    SORTS = [
        ("rank", _("Your rank")),
        ("newest", _("Newest referral")),
        ("name", _("Name")),
        ("jlpt", _("Japanese (JLPT)")),
    ]
    DEFAULTS = {"position": None, "status": "", "jlpt": None, "sort": "rank"}

    position = forms.TypedChoiceField(label=_("Position"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUSES)
    jlpt = forms.TypedChoiceField(
        label=_("Japanese"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, data=None, *, positions=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["position"].choices = [
            ("", _("All positions")),
            *[(p.pk, f"{p.title} ({p.cycle.name})") for p in positions],
        ]
        self.fields["jlpt"].choices = [
            ("", gettext("Any level")),
            *[(level.value, gettext("%(level)s or higher") % {"level": level.label}) for level in JLPTLevel],
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def values(self) -> dict:
        """The filters to apply: each valid value given, else its default (a stale link still works)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name] if name in cleaned and cleaned[name] not in ("", None) else default
            for name, default in self.DEFAULTS.items()
        }


# --- One candidate: scores, interview, outcome ---------------------------------------------------------


SCORE_CHOICES = [("", "—"), (1, _("1 – weak")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 – strong"))]


class CandidateScoreForm(forms.Form):
    """A score from 1 to 5 on each criterion (empty: not scored) and the company's own note."""

    note = forms.CharField(
        label=_("Your note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by your company's managers and the JIP office, never by the applicant."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = {
            criterion.value: forms.TypedChoiceField(
                label=criterion.label, required=False, coerce=int, empty_value=None, choices=SCORE_CHOICES
            )
            for criterion in ScoreCriterion
        }
        self.fields = {**criteria, "note": self.fields["note"]}

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            **{score.criterion: score.score for score in referral.scores.all()},
            "note": referral.company_note,
        }

    def scores(self) -> dict[str, int | None]:
        return {criterion: self.cleaned_data[criterion] for criterion in ScoreCriterion.values}


class SlotsInput(forms.Widget):
    """Several datetime-local inputs sharing one name; the template draws them (MAX_SLOTS boxes)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class SlotsField(forms.Field):
    """Up to MAX_SLOTS dates and times, typed in Japan time (JST), each in the future; empty boxes skipped."""

    widget = SlotsInput
    default_error_messages = {
        "invalid": _("“%(value)s” is not a date and time; use the date picker (e.g. 2025-09-01 10:00)."),
        "required": _("Propose at least one slot."),
        "too_many": _("Propose at most %(n)s slots."),
        "past": _("Every slot must be in the future: %(value)s JST has passed."),
        "too_far": _("%(value)s JST is more than a year away: check the year."),
    }

    def to_python(self, value) -> list[dt.datetime]:
        texts = [str(v).strip() for v in (value or []) if str(v).strip()]
        if len(texts) > MAX_SLOTS:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"n": MAX_SLOTS}
            )
        slots = []
        for text in texts:
            parsed = None
            for fmt in SLOT_FORMATS:
                try:
                    parsed = dt.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            if parsed is None:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": text[:40]}
                )
            slots.append(parsed)
        return slots

    def validate(self, value: list[dt.datetime]) -> None:
        if not value and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        # Compared as Japan wall-clock times: no aware arithmetic on a year-1 typo (it would overflow).
        now = clock.now().astimezone(clock.JST).replace(tzinfo=None)
        for slot in value:
            shown = slot.strftime("%Y-%m-%d %H:%M")
            if slot <= now:
                raise forms.ValidationError(self.error_messages["past"], code="past", params={"value": shown})
            if slot - now > SLOT_HORIZON:
                raise forms.ValidationError(
                    self.error_messages["too_far"], code="too_far", params={"value": shown}
                )

    def clean(self, value) -> list[dt.datetime]:
        slots = super().clean(value)
        return [slot.replace(tzinfo=clock.JST) for slot in slots]  # JST has no daylight saving


class InterviewProposalForm(forms.Form):
    """Online or on site, where, how long, and one to five slots for the applicant to choose from."""

    mode = forms.ChoiceField(
        label=_("Online or on site"), choices=InterviewMode.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label=_("Place or meeting link"),
        max_length=300,
        help_text=_("The address on site, or the link of the online meeting (Zoom, Teams, Meet…)."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=10,
        max_value=240,
        initial=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    slots = SlotsField(label=_("Slots (Japan time, JST)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].help_text = gettext(
            "Up to %(n)s dates and times in Japan Standard Time (JST); the applicant sees them in JST "
            "and chooses one."
        ) % {"n": MAX_SLOTS}

    @classmethod
    def initial_for(cls, interview) -> dict:
        if interview is None:
            return {"mode": InterviewMode.ONLINE, "duration_minutes": 30}
        slots = list(interview.slots.all())
        now = clock.now()
        return {
            "mode": interview.mode,
            "place": interview.place,
            "duration_minutes": slots[0].duration_minutes if slots else 30,
            "slots": [s.starts_at.astimezone(clock.JST) for s in slots if s.starts_at > now],
        }

    def slot_values(self) -> list[str]:
        """What the MAX_SLOTS boxes show: the values sent back (bound) or the current slots, then blanks."""
        if self.is_bound:
            values = [str(v) for v in (self.data.getlist("slots") if hasattr(self.data, "getlist") else [])]
        else:
            values = [s.strftime("%Y-%m-%dT%H:%M") for s in self.initial.get("slots", [])]
        values = [v for v in values if v.strip()][:MAX_SLOTS]
        return values + [""] * (MAX_SLOTS - len(values))

    def slot_min(self) -> str:
        return clock.now().astimezone(clock.JST).strftime("%Y-%m-%dT%H:%M")


class InterviewOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=InterviewOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For your company and the JIP office; the applicant does not see them."),
    )

    @classmethod
    def initial_for(cls, interview) -> dict:
        if interview is None or not interview.outcome:
            return {}
        return {"outcome": interview.outcome, "note": interview.outcome_note}


# --- Ranking and answers -------------------------------------------------------------------------------


class RankingForm(forms.Form):
    """One number per candidate of a position: 1 is the first choice, empty means "would not host".

    The numbers give the order only; they are renumbered 1, 2, 3… when saved.
    """

    def __init__(self, *args, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.referrals = list(referrals)
        for referral in self.referrals:
            self.fields[self.field_name(referral)] = forms.IntegerField(
                label=referral.application.number,
                required=False,
                min_value=1,
                max_value=MAX_RANK,
                initial=referral.company_rank,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "class": "form-control rank-input", "data-rank": ""}
                ),
            )

    @staticmethod
    def field_name(referral) -> str:
        return f"rank_{referral.pk}"

    def clean(self):
        cleaned = super().clean()
        given = {name: value for name, value in cleaned.items() if value is not None}
        for rank, count in Counter(given.values()).items():
            if count > 1:
                for name, value in given.items():
                    if value == rank:
                        self.add_error(name, _("Rank %(rank)s is given more than once.") % {"rank": rank})
        return cleaned

    def order(self) -> list[int]:
        """The referral ids, best first, as `company_ranking_set` takes them."""
        ranked = [
            (self.cleaned_data[self.field_name(r)], r.pk)
            for r in self.referrals
            if self.cleaned_data.get(self.field_name(r)) is not None
        ]
        return [pk for _rank, pk in sorted(ranked)]

    def rows(self) -> list[tuple]:
        return [(referral, self[self.field_name(referral)]) for referral in self.referrals]


class MatchAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )

    def accepts(self) -> bool:
        return self.cleaned_data["answer"] == "accept"
