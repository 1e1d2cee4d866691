"""The office's export of applications (CSV, Excel) with django-import-export: export only, never import."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from jip.admin_tools import SpreadsheetSafeTextWidget

from .models import Application

EXPORT_FIELDS = (
    "number",
    "cycle",
    "status",
    "family_name",
    "given_names",
    "email",
    "nationality",
    "residence_country",
    "birth_date",
    "education_status",
    "institution",
    "field_of_study",
    "degree",
    "graduation_date",
    "jlpt_level",
    "english_evidence",
    "english_score",
    "cefr_level",
    "course_preference",
    "is_eligible",
    "age_waived",
    "submitted_at",
)


def _text(attribute: str, column_name) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column_name, widget=SpreadsheetSafeTextWidget())


class ApplicationResource(resources.ModelResource):
    number = fields.Field(attribute="number", column_name=_("application number"))
    cycle = fields.Field(
        attribute="cycle__fiscal_year", column_name=_("fiscal year"), widget=widgets.IntegerWidget()
    )
    status = fields.Field(attribute="status", column_name=_("status"))
    family_name = _text("family_name", _("family name"))
    given_names = _text("given_names", _("given names"))
    email = _text("applicant__email", _("e-mail"))
    nationality = fields.Field(attribute="nationality", column_name=_("nationality"))
    residence_country = fields.Field(attribute="residence_country", column_name=_("country of residence"))
    birth_date = fields.Field(
        attribute="birth_date", column_name=_("date of birth"), widget=widgets.DateWidget()
    )
    education_status = fields.Field(attribute="education_status", column_name=_("student or graduate"))
    institution = _text("institution", _("university or institution"))
    field_of_study = _text("field_of_study", _("field of study"))
    degree = fields.Field(attribute="degree", column_name=_("degree"))
    graduation_date = fields.Field(
        attribute="graduation_date", column_name=_("graduation date"), widget=widgets.DateWidget()
    )
    jlpt_level = fields.Field(attribute="jlpt_level", column_name=_("JLPT level"))
    english_evidence = fields.Field(attribute="english_evidence", column_name=_("English proficiency"))
    english_score = fields.Field(
        attribute="english_score", column_name=_("English test score"), widget=widgets.DecimalWidget()
    )
    cefr_level = fields.Field(attribute="cefr_level", column_name=_("CEFR level"))
    course_preference = fields.Field(attribute="course_preference", column_name=_("course"))
    is_eligible = fields.Field(attribute="is_eligible", column_name=_("eligible"))
    age_waived = fields.Field(attribute="age_waived", column_name=_("age rule waived"))
    submitted_at = fields.Field(
        attribute="submitted_at", column_name=_("submitted"), widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = Application
        fields = EXPORT_FIELDS
        export_order = EXPORT_FIELDS

    # Choices are exported as the words the office reads on screen, not their stored codes.
    def dehydrate_status(self, application: Application) -> str:
        return str(application.get_status_display())

    def dehydrate_nationality(self, application: Application) -> str:
        return str(application.nationality.name) if application.nationality else ""

    def dehydrate_residence_country(self, application: Application) -> str:
        return str(application.residence_country.name) if application.residence_country else ""

    def dehydrate_education_status(self, application: Application) -> str:
        return str(application.get_education_status_display())

    def dehydrate_degree(self, application: Application) -> str:
        return str(application.get_degree_display())

    def dehydrate_jlpt_level(self, application: Application) -> str:
        return str(application.get_jlpt_level_display()) if application.jlpt_level is not None else ""

    def dehydrate_english_evidence(self, application: Application) -> str:
        return str(application.get_english_evidence_display())

    def dehydrate_course_preference(self, application: Application) -> str:
        return str(application.get_course_preference_display())

    def dehydrate_is_eligible(self, application: Application) -> str:
        return _yes_no(application.is_eligible)

    def dehydrate_age_waived(self, application: Application) -> str:
        return _yes_no(application.age_waived)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))
