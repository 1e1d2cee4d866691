"""Forms of the agreements: signing (a party, the office), a template's new version, a cycle's batch.

They parse input; the services decide (names, versions, hashes, order of signatures).

Forms of the internship's preparation: they parse input; the services decide.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jip.forms import DateInput
from jip.models import ProgramCycle

from .models import (
    AgreementTemplate,
    AttendanceStatus,
    Internship,
    InternshipStatus,
    LogisticsItem,
    LogisticsStatus,
)
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
