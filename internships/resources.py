"""The office's exports of the internships app (django-import-export, export only): compliance."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from jip.admin_tools import SpreadsheetSafeTextWidget as TypedTextWidget


def _number(attribute: str, column_name) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widgets.IntegerWidget(coerce_to_string=False)
    )


class ComplianceResource(resources.Resource):
    """One row per intern of `internships.selectors.daily_reports.compliance_rows`, as the page shows it."""

    application = fields.Field(
        attribute="internship__placement__application__number", column_name=_("application")
    )
    intern = fields.Field(attribute="intern_name", column_name=_("intern"), widget=TypedTextWidget())
    company = fields.Field(attribute="company_name", column_name=_("host company"), widget=TypedTextWidget())
    course = fields.Field(attribute="internship__placement__get_course_display", column_name=_("course"))
    starts_on = fields.Field(
        attribute="internship__starts_on", column_name=_("starts on"), widget=widgets.DateWidget("%Y-%m-%d")
    )
    ends_on = fields.Field(
        attribute="internship__ends_on", column_name=_("ends on"), widget=widgets.DateWidget("%Y-%m-%d")
    )
    status = fields.Field(attribute="internship__get_status_display", column_name=_("status"))
    expected = _number("expected", _("expected days (term)"))
    expected_so_far = _number("expected_so_far", _("expected days so far"))
    submitted = _number("submitted", _("days submitted"))
    approved = _number("approved", _("days approved"))
    returned = _number("returned", _("days returned"))
    draft = _number("draft", _("days in draft"))
    late = _number("late", _("days late"))
    missing = _number("missing", _("days missing"))
    written_late = _number("written_late", _("reports written late"))
    waiting_days = _number("waiting_days", _("waiting for the company (working days)"))
    open_concern = fields.Field(
        attribute="open_concern",
        column_name=_("open concern"),
        widget=widgets.BooleanWidget(coerce_to_string=False),
    )

    class Meta:
        fields = (
            "application",
            "intern",
            "company",
            "course",
            "starts_on",
            "ends_on",
            "status",
            "expected",
            "expected_so_far",
            "submitted",
            "approved",
            "returned",
            "draft",
            "late",
            "missing",
            "written_late",
            "waiting_days",
            "open_concern",
        )
