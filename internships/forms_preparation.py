"""Forms of the internship's preparation: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jip.forms import DateInput

from .models import AttendanceStatus, Internship, InternshipStatus, LogisticsItem, LogisticsStatus
from .services.preparation import status_moves_from


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
