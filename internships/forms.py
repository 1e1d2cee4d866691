"""Forms of the agreements: signing (a party, the office), a template's new version, a cycle's batch.

They parse input; the services decide (names, versions, hashes, order of signatures).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jip.models import ProgramCycle

from .models import AgreementTemplate


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
