"""The company portal's forms: the company profile, a position, an invitation.

Each rejects bad input with a message beside the field; the services check again and their errors are put
beside the same fields by the views.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jip.forms import DateInput

from .corporate_number import normalise, validate_corporate_number
from .models import HostCompany, Position

MAX_CAPITAL_JPY = 10**13  # ten trillion yen: above any SME, so a typo (extra zeros) is caught here
MAX_EMPLOYEES = 1_000_000


@dataclass(frozen=True)
class Section:
    """A titled group of fields, shown as a card."""

    title: str
    fields: tuple[str, ...]
    help: str = ""


class SectionedForm(forms.ModelForm):
    """A ModelForm shown in sections, each field rendered by crispy in a column as wide as WIDTHS says."""

    SECTIONS: tuple[Section, ...] = ()
    WIDTHS: dict[str, str] = {}

    def sections(self) -> list[dict]:
        return [
            {
                "title": section.title,
                "help": section.help,
                "fields": [(self[name], self.WIDTHS.get(name, "col-12")) for name in section.fields],
            }
            for section in self.SECTIONS
        ]

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class GroupedNumberInput(forms.TextInput):
    """A text box for a large whole number, shown with thousands separators (30,000,000), digits keyboard."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        return f"{value:,}" if isinstance(value, int) else super().format_value(value)


class LenientIntegerField(forms.IntegerField):
    """A whole number typed the way people type it: with separators, in full-width digits, with ¥ or 円."""

    widget = GroupedNumberInput

    TYPED = str.maketrans("０１２３４５６７８９－", "0123456789-", ",，、 \u3000¥￥円人名")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(self.TYPED)
        return super().to_python(value)


class CompanyProfileForm(SectionedForm):
    """The company profile a manager registers and keeps up to date (services.PROFILE_FIELDS)."""

    website = forms.URLField(
        label=capfirst(HostCompany._meta.get_field("website").verbose_name),
        required=False,
        assume_scheme="https",  # "sample-seiko.example" is taken as https://
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = HostCompany
        fields = [
            "name_ja", "name_en", "corporate_number", "website", "business_description",
            "organisation_type", "industry", "capital_jpy", "regular_employees",
            "head_office_prefecture", "head_office_city", "main_business_in_japan",
            "main_business_prefecture", "main_business_city",
            "overseas_plans",
            "contact_name", "contact_email", "contact_phone",
        ]  # fmt: skip
        field_classes = {"capital_jpy": LenientIntegerField, "regular_employees": LenientIntegerField}
        widgets = {
            "corporate_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "capital_jpy": GroupedNumberInput(),
            "regular_employees": GroupedNumberInput(),
            "business_description": forms.Textarea(attrs={"rows": 3}),
            "overseas_plans": forms.Textarea(attrs={"rows": 4}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "name_ja": _("As registered, e.g. 株式会社サンプル精工."),
            "name_en": _("As you write it in English, e.g. Sample Seiko Co., Ltd."),
            "corporate_number": _(
                "The 13-digit number from the National Tax Agency (法人番号). Hyphens and spaces are fine."
            ),
            "capital_jpy": _("In yen, e.g. 30,000,000 for ¥30 million."),
            "regular_employees": _(
                "Regular employees as the SME Basic Act counts them (常時使用する従業員)."
            ),
            "industry": _("The industry group of the SME Basic Act that your main business belongs to."),
            "main_business_in_japan": _("Host companies must have their main business location in Japan."),
            "overseas_plans": _(
                "Markets, partners or offices abroad you plan, and how an intern could help."
            ),
            "contact_name": _("The person the JIP office contacts about the internship."),
        }

    SECTIONS = (
        Section(_("Company"), ("name_ja", "name_en", "corporate_number", "website", "business_description")),
        Section(
            _("Small or medium-sized enterprise"),
            ("organisation_type", "industry", "capital_jpy", "regular_employees"),
            _(
                "The SME Basic Act's test: by industry, the capital or the number of regular employees at "
                "most the limit. Industry associations, non-profit organisations and local governments "
                "cannot host interns in this program."
            ),
        ),
        Section(
            _("Locations"),
            (
                "head_office_prefecture",
                "head_office_city",
                "main_business_in_japan",
                "main_business_prefecture",
                "main_business_city",
            ),
        ),
        Section(_("Overseas business"), ("overseas_plans",)),
        Section(_("Contact"), ("contact_name", "contact_email", "contact_phone")),
    )
    WIDTHS = {
        "name_ja": "col-md-6", "name_en": "col-md-6", "corporate_number": "col-md-6", "website": "col-md-6",
        "organisation_type": "col-md-6", "industry": "col-md-6", "capital_jpy": "col-md-6",
        "regular_employees": "col-md-6", "head_office_prefecture": "col-md-6", "head_office_city": "col-md-6",
        "main_business_prefecture": "col-md-6", "main_business_city": "col-md-6",
        "contact_name": "col-md-6", "contact_phone": "col-md-6", "contact_email": "col-md-6",
    }  # fmt: skip

    REQUIRED = (
        "name_ja", "name_en", "organisation_type", "industry", "capital_jpy", "regular_employees",
        "head_office_prefecture", "head_office_city", "contact_name", "contact_email",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED:
            self.fields[name].required = True
        number = self.fields["corporate_number"]
        number.max_length, number.validators = 40, []  # hyphens and spaces are removed in clean
        number.widget.attrs.pop("maxlength", None)
        # Messages a person understands, not "Ensure this value is less than or equal to 10000000000000".
        self.fields["capital_jpy"].validators = [
            MinValueValidator(0, message=_("The capital cannot be negative.")),
            MaxValueValidator(
                MAX_CAPITAL_JPY, message=_("This is more than ten trillion yen: check the number of zeros.")
            ),
        ]
        self.fields["regular_employees"].validators = [
            MinValueValidator(0, message=_("The number of employees cannot be negative.")),
            MaxValueValidator(MAX_EMPLOYEES, message=_("This is more than a million employees: check it.")),
        ]

    def clean_corporate_number(self) -> str:
        value = normalise(self.cleaned_data["corporate_number"])
        validate_corporate_number(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("main_business_in_japan") and not data.get("main_business_prefecture"):
            self.add_error(
                "main_business_prefecture", _("Give the prefecture of the main business location.")
            )
        return data

    def validate_unique(self):
        """A corporate number registered already is refused by the service, in its words, beside the field."""


class PositionForm(SectionedForm):
    """An internship position (services.POSITION_FIELDS)."""

    class Meta:
        model = Position
        fields = [
            "title", "role_and_goals", "course", "place_prefecture", "place_city", "starts_on", "ends_on",
            "hours_per_week", "interns", "interns_online", "skills", "japanese_level", "english_level",
            "conditions", "mentor_name", "mentor_title",
        ]  # fmt: skip
        widgets = {
            "course": forms.RadioSelect,
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "role_and_goals": forms.Textarea(attrs={"rows": 6}),
            "skills": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "role_and_goals": _(
                "What the intern will do and learn: real work experience, not lectures or simple repetitive "
                "work."
            ),
            "place_prefecture": _("Needed for an in-person internship."),
            "interns": _("The program places about one intern per company."),
            "interns_online": _(
                "Only for a position offering both courses: how many of its places are online; "
                "the others are in person."
            ),
            "japanese_level": _("N1 is the highest level."),
            "conditions": _(
                "Anything else a candidate must meet; the office checks it when it refers candidates."
            ),
        }

    SECTIONS = (
        Section(
            _("The internship"),
            (
                "title",
                "role_and_goals",
                "course",
                "place_prefecture",
                "place_city",
                "starts_on",
                "ends_on",
                "hours_per_week",
                "interns",
                "interns_online",
            ),
        ),
        Section(_("What you ask of the intern"), ("skills", "japanese_level", "english_level", "conditions")),
        Section(_("Mentor"), ("mentor_name", "mentor_title")),
    )
    WIDTHS = {
        "place_prefecture": "col-md-6", "place_city": "col-md-6", "starts_on": "col-6 col-md-3",
        "ends_on": "col-6 col-md-3", "hours_per_week": "col-6 col-md-3", "interns": "col-6 col-md-3",
        "interns_online": "col-6 col-md-3", "japanese_level": "col-md-6", "english_level": "col-md-6",
        "mentor_name": "col-md-6", "mentor_title": "col-md-6",
    }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        course = self.fields["course"]
        course.choices = [c for c in course.choices if c[0]]
        for name in ("japanese_level", "english_level"):
            field = self.fields[name]
            field.choices = [("", _("None"))] + [
                (value, _("%(level)s or higher") % {"level": label})
                for value, label in field.choices
                if value
            ]
        interns = self.fields["interns"]
        interns.validators = [
            MinValueValidator(1, message=_("A position has at least one intern.")),
            MaxValueValidator(20, message=_("At most 20 interns for one position.")),
        ]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of your colleague"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("They receive a link to sign up or log in with this address; it works once, for 7 days."),
    )
