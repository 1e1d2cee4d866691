"""Forms of the agreements: signing (a party, the office), a template's new version, a cycle's batch.

They parse input; the services decide (names, versions, hashes, order of signatures).

Forms of the internship's preparation and of the daily reports: they parse input; the services decide.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.models import HostCompany
from jip.forms import DateInput
from jip.models import CourseKind, CourseTerm, ProgramCycle

from .models import (
    AgreementTemplate,
    AttendanceStatus,
    Internship,
    InternshipStatus,
    LogisticsItem,
    LogisticsStatus,
    WorkMode,
)
from .models.daily_reports import MAX_HOURS
from .services.preparation import status_moves_from


class AgreementSignForm(forms.Form):
    """The name typed and the consent ticked; the version and hash say which file the signer read."""

    typed_name = forms.CharField(label=_("Your full name"), max_length=200)
    agree = forms.BooleanField(label=_("I have read this agreement and I agree to it."), required=True)
    version = forms.IntegerField(widget=forms.HiddenInput)
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, name_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["typed_name"].help_text = name_help
        self.fields["typed_name"].widget.attrs.update({"autocomplete": "name", "autocapitalize": "words"})


class AgreementCountersignForm(forms.Form):
    typed_name = forms.CharField(label=_("Your full name"), max_length=200)
    agree = forms.BooleanField(label=_("I countersign this version for the JIP office."), required=True)
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AgreementTemplateForm(forms.ModelForm):
    """A template's texts; saving makes the next version of its kind (earlier ones stay as they were)."""

    class Meta:
        model = AgreementTemplate
        fields = ["kind", "title_en", "title_ja", "body_en", "body_ja", "note"]
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField jip-template-text"}),
            "body_ja": forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField jip-template-text"}),
        }
        help_texts = {
            "body_en": _(
                "Clauses start with a line “## heading”; a blank line ends a paragraph; lines starting with "
                "“- ” make a list. Values of the agreement are written {{ company.name_en }}, "
                '{{ intern.name }}, {{ period.en }}, {{ support.en }} …; {% if course.kind == "online" %} '
                "… {% endif %} chooses text by course."
            ),
            "body_ja": _(
                "The same clauses, in the same order, in Japanese ({{ company.name_ja }}, {{ period.ja }} …)."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        from .services.agreements import agreement_template_check

        texts = {k: cleaned.get(k) or "" for k in ("title_en", "title_ja", "body_en", "body_ja")}
        if all(texts.values()):
            try:
                agreement_template_check(**texts)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
        return cleaned


class AgreementBatchForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=ProgramCycle.objects.order_by("-fiscal_year"), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].label_from_instance = lambda cycle: cycle.name


class PcRequestForm(forms.Form):
    note = forms.CharField(
        label=_("What do you need it for? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LogisticsItemForm(forms.ModelForm):
    """Where an item stands; the service checks the dates and the notes."""

    class Meta:
        model = LogisticsItem
        fields = ["status", "due_on", "done_on", "notes"]
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "done_on": _("Needed when the item is done."),
            "notes": _("Needed when the item is blocked: say what blocks it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = LogisticsStatus.choices  # no empty choice

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "due_on": data.get("due_on"),
            "done_on": data.get("done_on"),
            "notes": data.get("notes") or "",
        }


class InternshipAdminForm(forms.ModelForm):
    """The office's page of an internship: its term and mentor, and the next status with its reason."""

    new_status = forms.ChoiceField(label=_("Change the status to"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the internship ended early."),
    )

    class Meta:
        model = Internship
        fields = ["starts_on", "ends_on", "mentor_name", "mentor_title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        moves = status_moves_from(self.instance.status) if self.instance.pk else frozenset()
        self.fields["new_status"].choices = [("", _("— no change —"))] + [
            (value, label) for value, label in InternshipStatus.choices if value in moves
        ]
        if not moves:
            self.fields["new_status"].disabled = True
            self.fields["new_status"].help_text = _("A finished internship keeps its status.")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("new_status") == InternshipStatus.ENDED_EARLY
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Say why the internship ended early."))
        return cleaned


class AttendanceForm(forms.Form):
    """One choice per participant of an event: present, absent or excused (empty: not recorded)."""

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        for internship in self.participants:
            rows = getattr(internship, "attendance_rows", [])
            self.fields[self.field_name(internship)] = forms.ChoiceField(
                label=str(internship.placement.application.full_name),
                required=False,
                choices=[("", _("not recorded")), *AttendanceStatus.choices],
                initial=rows[0].status if rows else "",
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(internship: Internship) -> str:
        return f"attendance_{internship.pk}"

    def rows(self):
        """Each participant with their field, for the template."""
        return [(internship, self[self.field_name(internship)]) for internship in self.participants]

    def changes(self) -> list[tuple[Internship, str]]:
        """The participants whose attendance was chosen and differs from what is recorded."""
        out = []
        for internship in self.participants:
            chosen = self.cleaned_data.get(self.field_name(internship)) or ""
            rows = getattr(internship, "attendance_rows", [])
            if chosen and chosen != (rows[0].status if rows else ""):
                out.append((internship, chosen))
        return out


class DefaultScheduleForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("cycle"), queryset=None)

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles


# --- Daily reports -------------------------------------------------------------------------------------

# Hours in half hours, chosen with one tap on a phone.
HOURS_CHOICES = [("", "—")] + [(f"{n / 2:.1f}", f"{n / 2:g}") for n in range(1, int(MAX_HOURS * 2) + 1)]


def _text(label, help_text="", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )  # fmt: skip


class DailyReportForm(forms.Form):
    """A day's report. Nothing is required to keep a draft; the service says what a submission needs."""

    hours = forms.TypedChoiceField(
        label=_("Hours worked"), choices=HOURS_CHOICES, coerce=Decimal, empty_value=None, required=False
    )
    mode = forms.ChoiceField(
        label=_("Where I worked"), choices=WorkMode.choices, required=False, widget=forms.RadioSelect
    )
    activities = _text(_("What I did"))
    learned = _text(_("What I learned"))
    questions = _text(
        _("Questions or problems"), _("For the host company or the JIP office (optional)."), rows=2
    )
    next_plan = _text(_("Plan for the next day"), rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("activities", "learned", "next_plan"):
            self.fields[name].widget.attrs["data-needed-to-submit"] = "true"

    @staticmethod
    def initial_for(report, *, mode: str = "", hours: Decimal | None = None) -> dict:
        """The form's values: the report's, or for a new one the course's way of working and the term's
        hours a day."""
        if report is None:
            return {"mode": mode, "hours": f"{hours:.1f}" if hours else ""}
        values = {name: getattr(report, name) for name in ("mode", *TEXT_REPORT_FIELDS)}
        values["hours"] = f"{report.hours:.1f}" if report.hours is not None else ""
        return values


TEXT_REPORT_FIELDS = ("activities", "learned", "questions", "next_plan")


class DailyReportCorrectForm(DailyReportForm):
    """The office's correction of a report: the same fields, and the reason, which is kept in the record."""

    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DailyReportReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment to the intern"),
        help_text=_("Say what to correct or add. The intern reads it with the report."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DailyReportApproveForm(forms.Form):
    """The reports ticked in the company's inbox; the service approves those of the company still waiting."""

    reports = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, report_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(pk, pk) for pk in report_ids]
        self.fields["reports"].error_messages["required"] = _("Tick the reports to approve.")


class MentorForm(forms.Form):
    mentor_name = forms.CharField(label=_("Mentor's name"), max_length=100)
    mentor_title = forms.CharField(label=_("Mentor's title"), max_length=100, required=False)


class ExtraDayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    note = forms.CharField(label=_("What happens that day"), max_length=200)


class DayReopenForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ComplianceFilterForm(forms.Form):
    """The compliance page's filters: cycle, course, term, host company, and reports waiting longer than."""

    WAITING = [("", _("any")), ("0", _("a report waiting")), ("2", _("more than 2 working days")),
               ("5", _("more than 5 working days"))]  # fmt: skip

    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=ProgramCycle.objects.none(), required=False)
    course = forms.ChoiceField(label=_("Course"), required=False)
    term = forms.ModelChoiceField(label=_("Term"), queryset=CourseTerm.objects.none(), required=False)
    company = forms.ModelChoiceField(
        label=_("Host company"), queryset=HostCompany.objects.none(), required=False
    )
    waiting = forms.ChoiceField(label=_("Waiting for the company"), choices=WAITING, required=False)

    def __init__(self, *args, cycle: ProgramCycle | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = ProgramCycle.objects.order_by("-fiscal_year")
        self.fields["cycle"].label_from_instance = lambda c: c.name
        self.fields["course"].choices = [("", _("any")), *CourseKind.choices]
        if cycle is not None:
            self.fields["term"].queryset = (
                CourseTerm.objects.filter(course__cycle=cycle)
                .select_related("course")
                .order_by("course__kind", "number")
            )
            self.fields["term"].label_from_instance = lambda t: f"{t.course.get_kind_display()} · {t.number}"
            hosting = Internship.objects.filter(placement__cycle=cycle).values(
                "placement__position__company_id"
            )
            self.fields["company"].queryset = HostCompany.objects.filter(pk__in=hosting).order_by("name_en")
            self.fields["company"].label_from_instance = lambda c: c.name
