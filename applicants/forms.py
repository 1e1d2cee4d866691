"""The entry form, one ModelForm per step; each rejects bad input with a message beside the field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jip import clock
from jip.forms import DateInput

from .models import Application, EnglishEvidence

LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' .\-]+$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,24}$")


class StepForm(forms.ModelForm):
    """A step of the entry form, rendered by crispy without its own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class PersonalForm(StepForm):
    class Meta:
        model = Application
        fields = [
            "family_name", "given_names", "name_ja", "birth_date",
            "nationality", "residence_country", "phone", "city",
        ]  # fmt: skip
        widgets = {"birth_date": DateInput()}
        help_texts = {
            "family_name": _("As in your passport, in Latin letters."),
            "given_names": _("As in your passport, in Latin letters."),
            "phone": _("With the country code, e.g. +84 90 123 4567."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("family_name", "given_names", "birth_date", "nationality", "residence_country", "phone"):
            self.fields[name].required = True

    def _latin(self, name: str) -> str:
        value = " ".join(self.cleaned_data[name].split())
        if not LATIN_NAME.match(value):
            raise forms.ValidationError(_("Use Latin letters only, as in your passport."))
        return value

    def clean_family_name(self):
        return self._latin("family_name")

    def clean_given_names(self):
        return self._latin("given_names")

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = clock.today_jst()
        if value > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if value < dt.date(today.year - 100, 1, 1):
            raise forms.ValidationError(_("Check the year of your date of birth."))
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not PHONE.match(value):
            raise forms.ValidationError(_("Give a phone number with digits only, e.g. +84 90 123 4567."))
        return value


class EducationForm(StepForm):
    class Meta:
        model = Application
        fields = ["education_status", "institution", "field_of_study", "degree", "graduation_date"]
        widgets = {"education_status": forms.RadioSelect, "graduation_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
        self.fields["education_status"].choices = self.fields["education_status"].choices[1:]

    def clean(self):
        data = super().clean()
        status, date = data.get("education_status"), data.get("graduation_date")
        today = clock.today_jst()
        if status == "graduate" and date and date > today:
            self.add_error("graduation_date", _("A graduate's graduation date cannot be in the future."))
        if status == "student" and date and date < today - dt.timedelta(days=366):
            self.add_error("graduation_date", _("Give the date you expect to graduate."))
        if date and date.year < today.year - 60:
            self.add_error("graduation_date", _("Check the year of your graduation."))
        return data


# Valid score ranges per test, and the step a score moves in.
SCORE_RULES = {
    EnglishEvidence.IELTS: (Decimal(0), Decimal(9), Decimal("0.5")),
    EnglishEvidence.TOEFL_IBT: (Decimal(0), Decimal(120), Decimal(1)),
    EnglishEvidence.TOEIC: (Decimal(10), Decimal(990), Decimal(5)),
}


class LanguagesForm(StepForm):
    jlpt_level = forms.TypedChoiceField(
        label=_("JLPT level"),
        choices=[("", _("None"))]
        + [(str(v), label) for v, label in Application._meta.get_field("jlpt_level").choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The highest level you have passed; N1 is the highest."),
    )

    class Meta:
        model = Application
        fields = ["jlpt_level", "english_evidence", "english_score", "cefr_level"]
        help_texts = {
            "english_evidence": _("Choose “None” if you have no English test and did not study in English."),
            "english_score": _("For IELTS, TOEFL iBT or TOEIC."),
            "cefr_level": _("If you chose CEFR level."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["english_evidence"].required = True
        if self.instance.jlpt_level is not None:
            self.initial["jlpt_level"] = str(self.instance.jlpt_level)

    def clean(self):
        data = super().clean()
        evidence = data.get("english_evidence")
        score = data.get("english_score")
        if evidence in SCORE_RULES:
            low, high, step = SCORE_RULES[evidence]
            if score is None:
                self.add_error("english_score", _("Give your score."))
            elif not (low <= score <= high) or (score - low) % step:
                self.add_error(
                    "english_score",
                    _("%(test)s scores run from %(low)s to %(high)s, in steps of %(step)s.")
                    % {"test": EnglishEvidence(evidence).label, "low": low, "high": high, "step": step},
                )
        else:
            data["english_score"] = None
        if evidence == EnglishEvidence.CEFR:
            if not data.get("cefr_level"):
                self.add_error("cefr_level", _("Give your CEFR level."))
        else:
            data["cefr_level"] = ""
        return data


class CourseForm(StepForm):
    class Meta:
        model = Application
        fields = ["course_preference"]
        widgets = {"course_preference": forms.RadioSelect}
        help_texts = {"course_preference": _("You may apply for both courses.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["course_preference"]
        field.required = True
        field.choices = field.choices[1:]


class MotivationForm(StepForm):
    class Meta:
        model = Application
        fields = ["motivation", "skills"]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 6}),
            "skills": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "motivation": _(
                "Why this program, and what you want to do in a Japanese company (50 to 4,000 characters)."
            ),
            "skills": _("Your skills, work or research experience and qualifications."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True

    def clean_motivation(self):
        value = self.cleaned_data["motivation"].strip()
        if len(value) < 50:
            raise forms.ValidationError(_("Tell us a little more: at least 50 characters."))
        return value


YES_NO = [(True, _("Yes")), (False, _("No"))]


class DeclarationsForm(StepForm):
    participated_before = forms.TypedChoiceField(
        label=_("Have you taken part in the Japan Internship Program before?"),
        choices=YES_NO,
        coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Application
        fields = [
            "participated_before", "participated_fiscal_year", "agrees_with_purpose", "can_dedicate",
            "follows_timetable", "can_submit_documents", "information_is_true",
        ]  # fmt: skip
        labels = {
            "participated_fiscal_year": _("If yes, in which fiscal year?"),
            "agrees_with_purpose": _(
                "I agree with the purpose of the program and will cooperate in the globalisation of Japanese "
                "companies, their overseas business and their networks with overseas universities."
            ),
            "can_dedicate": _("I can dedicate myself to the training and the internship at the company."),
            "follows_timetable": _("I can take part according to the timetable set by the JIP office."),
            "can_submit_documents": _(
                "I can submit a certificate of enrollment or graduation, a recommendation letter from my "
                "university, and certificates of my qualifications."
            ),
            "information_is_true": _("The information I give is true and complete."),
        }

    def clean(self):
        data = super().clean()
        if data.get("participated_before") and not data.get("participated_fiscal_year"):
            self.add_error("participated_fiscal_year", _("Give the fiscal year you took part in."))
        if not data.get("participated_before"):
            data["participated_fiscal_year"] = None
        return data


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[StepForm]


ENTRY_STEPS = [
    Step("personal", _("Personal details"), PersonalForm),
    Step("education", _("Education"), EducationForm),
    Step("languages", _("Languages"), LanguagesForm),
    Step("course", _("Course"), CourseForm),
    Step("motivation", _("Motivation and skills"), MotivationForm),
    Step("declarations", _("Declarations"), DeclarationsForm),
]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.JIP_MAX_UPLOAD_BYTES // 2**20
        self.fields["file"].help_text = _("PDF, JPEG or PNG, at most %(limit)s MB.") % {"limit": limit}
