"""The applicant's forms in matching: declining a referral and ranking the positions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Referral


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RankingForm(forms.Form):
    """One number per open referral: 1 is the first choice; empty means "I would not take this position"."""

    def __init__(self, *args, referrals: list[Referral], **kwargs):
        super().__init__(*args, **kwargs)
        self.referrals = referrals
        for referral in referrals:
            self.fields[f"rank_{referral.pk}"] = forms.IntegerField(
                label=f"{referral.position.title} · {referral.position.company.name}",
                required=False,
                min_value=1,
                max_value=len(referrals),
                initial=referral.applicant_rank,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control rank-input"}),
                error_messages={
                    "min_value": _("Use 1 for your first choice."),
                    "max_value": _("Use a number from 1 to %(limit_value)s."),
                    "invalid": _("Enter a whole number."),
                },
            )

    def clean(self):
        cleaned = super().clean()
        seen: dict[int, str] = {}
        for referral in self.referrals:
            name = f"rank_{referral.pk}"
            rank = cleaned.get(name)
            if rank is None:
                continue
            if rank in seen:
                self.add_error(name, _("Two positions cannot share rank %(rank)s.") % {"rank": rank})
            seen[rank] = name
        return cleaned

    def order(self) -> list[int]:
        ranked = [
            (self.cleaned_data[f"rank_{r.pk}"], r.pk)
            for r in self.referrals
            if self.cleaned_data.get(f"rank_{r.pk}") is not None
        ]
        return [pk for _rank, pk in sorted(ranked)]
