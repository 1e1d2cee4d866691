"""The office's export of host companies and positions (CSV, Excel) with django-import-export: export only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from jip.admin_tools import SpreadsheetSafeTextWidget

from .models import HostCompany, Position


def _text(attribute: str, column_name) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column_name, widget=SpreadsheetSafeTextWidget())


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))


COMPANY_EXPORT_FIELDS = (
    "name_ja",
    "name_en",
    "corporate_number",
    "organisation_type",
    "industry",
    "capital_jpy",
    "regular_employees",
    "head_office_prefecture",
    "head_office_city",
    "main_business_in_japan",
    "main_business_prefecture",
    "main_business_city",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_eligible",
    "status",
    "review_reason",
    "reviewed_at",
    "approved_positions",
    "created_at",
)


class HostCompanyResource(resources.ModelResource):
    name_ja = _text("name_ja", _("legal name (Japanese)"))
    name_en = _text("name_en", _("legal name (English)"))
    corporate_number = fields.Field(attribute="corporate_number", column_name=_("corporate number"))
    organisation_type = fields.Field(attribute="organisation_type", column_name=_("type of organisation"))
    industry = fields.Field(attribute="industry", column_name=_("industry (SME Basic Act)"))
    capital_jpy = fields.Field(
        attribute="capital_jpy", column_name=_("capital (yen)"), widget=widgets.IntegerWidget()
    )
    regular_employees = fields.Field(
        attribute="regular_employees", column_name=_("regular employees"), widget=widgets.IntegerWidget()
    )
    head_office_prefecture = fields.Field(
        attribute="head_office_prefecture", column_name=_("head office: prefecture")
    )
    head_office_city = _text("head_office_city", _("head office: city"))
    main_business_in_japan = fields.Field(
        attribute="main_business_in_japan", column_name=_("main business location is in Japan")
    )
    main_business_prefecture = fields.Field(
        attribute="main_business_prefecture", column_name=_("main business location: prefecture")
    )
    main_business_city = _text("main_business_city", _("main business location: city"))
    website = _text("website", _("website"))
    contact_name = _text("contact_name", _("contact person"))
    contact_email = _text("contact_email", _("contact e-mail"))
    contact_phone = _text("contact_phone", _("contact phone"))
    is_eligible = fields.Field(attribute="is_eligible", column_name=_("qualifies"))
    status = fields.Field(attribute="status", column_name=_("status"))
    review_reason = _text("review_reason", _("reason"))
    reviewed_at = fields.Field(
        attribute="reviewed_at", column_name=_("reviewed"), widget=widgets.DateTimeWidget()
    )
    # Annotated by HostCompanyAdmin.get_queryset, as on the list.
    approved_positions = fields.Field(
        attribute="approved_positions",
        column_name=_("approved positions (current cycle)"),
        widget=widgets.IntegerWidget(),
    )
    created_at = fields.Field(
        attribute="created_at", column_name=_("registered"), widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = HostCompany
        fields = COMPANY_EXPORT_FIELDS
        export_order = COMPANY_EXPORT_FIELDS

    # Choices are exported as the words the office reads on screen, not their stored codes.
    def dehydrate_organisation_type(self, company: HostCompany) -> str:
        return str(company.get_organisation_type_display())

    def dehydrate_industry(self, company: HostCompany) -> str:
        return str(company.get_industry_display())

    def dehydrate_head_office_prefecture(self, company: HostCompany) -> str:
        return str(company.get_head_office_prefecture_display())

    def dehydrate_main_business_prefecture(self, company: HostCompany) -> str:
        return str(company.get_main_business_prefecture_display())

    def dehydrate_main_business_in_japan(self, company: HostCompany) -> str:
        return _yes_no(company.main_business_in_japan)

    def dehydrate_is_eligible(self, company: HostCompany) -> str:
        return _yes_no(company.is_eligible)

    def dehydrate_status(self, company: HostCompany) -> str:
        return str(company.get_status_display())

    def dehydrate_approved_positions(self, company: HostCompany) -> int | None:
        return getattr(company, "approved_positions", None)


POSITION_EXPORT_FIELDS = (
    "cycle",
    "company_name_ja",
    "company_name_en",
    "corporate_number",
    "title",
    "status",
    "course",
    "place_prefecture",
    "place_city",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "interns",
    "japanese_level",
    "english_level",
    "role_and_goals",
    "skills",
    "conditions",
    "mentor_name",
    "mentor_title",
    "review_reason",
    "reviewed_at",
    "created_at",
)


class PositionResource(resources.ModelResource):
    cycle = fields.Field(
        attribute="cycle__fiscal_year", column_name=_("fiscal year"), widget=widgets.IntegerWidget()
    )
    company_name_ja = _text("company__name_ja", _("company (Japanese)"))
    company_name_en = _text("company__name_en", _("company (English)"))
    corporate_number = fields.Field(attribute="company__corporate_number", column_name=_("corporate number"))
    title = _text("title", _("title"))
    status = fields.Field(attribute="status", column_name=_("status"))
    course = fields.Field(attribute="course", column_name=_("course"))
    place_prefecture = fields.Field(attribute="place_prefecture", column_name=_("place: prefecture"))
    place_city = _text("place_city", _("place: city"))
    starts_on = fields.Field(attribute="starts_on", column_name=_("starts on"), widget=widgets.DateWidget())
    ends_on = fields.Field(attribute="ends_on", column_name=_("ends on"), widget=widgets.DateWidget())
    hours_per_week = fields.Field(
        attribute="hours_per_week", column_name=_("hours per week"), widget=widgets.IntegerWidget()
    )
    interns = fields.Field(
        attribute="interns", column_name=_("number of interns"), widget=widgets.IntegerWidget()
    )
    japanese_level = fields.Field(attribute="japanese_level", column_name=_("Japanese needed (JLPT)"))
    english_level = fields.Field(attribute="english_level", column_name=_("English needed (CEFR)"))
    role_and_goals = _text("role_and_goals", _("role and goals (internship plan)"))
    skills = _text("skills", _("skills needed"))
    conditions = _text("conditions", _("the company's own conditions"))
    mentor_name = _text("mentor_name", _("internship manager (mentor)"))
    mentor_title = _text("mentor_title", _("mentor's title"))
    review_reason = _text("review_reason", _("reason"))
    reviewed_at = fields.Field(
        attribute="reviewed_at", column_name=_("reviewed"), widget=widgets.DateTimeWidget()
    )
    created_at = fields.Field(
        attribute="created_at", column_name=_("created"), widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = Position
        fields = POSITION_EXPORT_FIELDS
        export_order = POSITION_EXPORT_FIELDS

    def dehydrate_status(self, position: Position) -> str:
        return str(position.get_status_display())

    def dehydrate_course(self, position: Position) -> str:
        return str(position.get_course_display())

    def dehydrate_place_prefecture(self, position: Position) -> str:
        return str(position.get_place_prefecture_display())

    def dehydrate_japanese_level(self, position: Position) -> str:
        return str(position.get_japanese_level_display()) if position.japanese_level is not None else ""

    def dehydrate_english_level(self, position: Position) -> str:
        return str(position.get_english_level_display())
