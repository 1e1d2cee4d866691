"""The JIP office's workplace for the daily reports (docs/daily-reports.md; docs/program.md §13): compliance
across a cycle with its XLSX export, each intern's calendar, reopening a day, correcting a report and
approving it on the host company's behalf (always with a reason, audited), the mid-term interviews with open
concerns first, and the cycle's settings and closure days.

Every write goes through `internships.services.daily_reports`; the admin parses the request, calls the
service and reports. The admin site lets in only JIP staff with an authenticator (jip.admin_site).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from jip import selectors as cycle_selectors
from jip.admin_tools import bulk_action
from jip.models import ProgramCycle
from jip.permissions import admin_view

from ..forms import ComplianceFilterForm, DailyReportCorrectForm, DailyReportForm, DayReopenForm, ExtraDayForm
from ..models import (
    ClosurePeriod,
    DailyReport,
    DailyReportSettings,
    Internship,
    MidTermInterview,
)
from ..presentation import STATE_BADGES, calendar_context, state_labels
from ..resources import ComplianceResource
from ..selectors import daily_reports as selectors
from ..services import daily_reports as services
from .placements import intern_name

ADMIN_CSS = {"all": ("admin_jip/admin.css", "internships/daily_reports.css")}


# --- Daily reports -------------------------------------------------------------------------------------


class ApproveOnBehalfForm(helpers.ActionForm):
    reason = forms.CharField(
        label=_("Reason (required to approve for the company)"), required=False, max_length=2000
    )


@admin.register(DailyReport)
class DailyReportAdmin(SimpleHistoryAdmin):
    """Every report, read here; corrected on its own page, approved for the company by action (reason)."""

    action_form = ApproveOnBehalfForm
    list_display = (
        "intern",
        "company",
        "day",
        "status",
        "hours",
        "is_late",
        "submitted_at",
        "approved_on_behalf",
    )
    list_display_links = ("day",)
    list_filter = (
        "internship__placement__cycle",
        "internship__placement__course",
        "status",
        "is_late",
        "approved_on_behalf",
        ("internship__placement__position__company", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = (
        "internship__placement__application__applicant",
        "internship__placement__position__company",
    )
    search_fields = (
        "internship__placement__application__number",
        "internship__placement__application__family_name",
        "internship__placement__application__given_names",
        "internship__placement__position__company__name_ja",
        "internship__placement__position__company__name_en",
    )
    search_help_text = _("Application number, the intern's names or the company's names.")
    date_hierarchy = "day"
    fields = (
        "intern_link",
        "company",
        "day",
        "status",
        "hours",
        "mode",
        "activities",
        "learned",
        "questions",
        "next_plan",
        "is_late",
        "first_submitted_at",
        "submitted_at",
        "company_comment",
        "reviewed_at",
        "reviewed_by",
        "approved_on_behalf",
        "correct_link",
    )
    readonly_fields = fields
    actions = ["approve_on_behalf"]
    change_list_template = "admin/internships/daily_report_change_list.html"

    class Media:
        css = ADMIN_CSS

    def has_add_permission(self, request):
        return False  # interns write their reports

    def has_delete_permission(self, request, obj=None):
        return False  # a report is part of the intern's record; the office corrects it

    def revert_disabled(self, request, obj=None):
        return True

    @admin.display(description=_("intern"), ordering="internship__placement__application__family_name")
    def intern(self, report: DailyReport) -> str:
        return intern_name(report.internship.placement)

    @admin.display(description=_("company"), ordering="internship__placement__position__company__name_en")
    def company(self, report: DailyReport) -> str:
        return report.internship.placement.position.company.name

    @admin.display(description=_("intern"))
    def intern_link(self, report: DailyReport):
        url = reverse("admin:internships_dailyreport_intern", args=[report.internship_id])
        return format_html('<a href="{}">{}</a>', url, intern_name(report.internship.placement))

    @admin.display(description=_("correct"))
    def correct_link(self, report: DailyReport):
        url = reverse("admin:internships_dailyreport_correct", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, _("Correct this report (with a reason)"))

    @admin.action(description=_("Approve on the company's behalf (reason required)"), permissions=["change"])
    def approve_on_behalf(self, request, queryset):
        reason = request.POST.get("reason", "")

        def approve(report: DailyReport) -> None:
            services.daily_report_approve_on_behalf(report=report, reason=reason, by=request.user)

        def label(report: DailyReport) -> str:
            return f"{intern_name(report.internship.placement)} {date_format(report.day, 'DATE_FORMAT')}"

        bulk_action(
            self,
            request,
            queryset.select_related("internship__placement__application__applicant"),
            act=approve,
            label=label,
            done=ngettext_lazy(
                "%(count)d report approved for the company.",
                "%(count)d reports approved for the company.",
                "count",
            ),
            refused=ngettext_lazy(
                "%(count)d report could not be approved: %(details)s",
                "%(count)d reports could not be approved: %(details)s",
                "count",
            ),
        )

    # --- Pages of their own: compliance, an intern's calendar, a report's correction

    def get_urls(self):
        return [
            path(
                "compliance/",
                admin_view(self.admin_site, self.compliance_view),
                name="internships_dailyreport_compliance",
            ),
            path(
                "intern/<int:pk>/",
                admin_view(self.admin_site, self.intern_view),
                name="internships_dailyreport_intern",
            ),
            path(
                "<int:pk>/correct/",
                admin_view(self.admin_site, self.correct_view),
                name="internships_dailyreport_correct",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, title: str, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def compliance_view(self, request):
        """Per intern of the cycle: expected, submitted, approved, returned, late and missing days, filtered,
        with the export of what is shown."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        cycles = list(ProgramCycle.objects.order_by("-fiscal_year"))
        chosen = request.GET.get("cycle", "")
        cycle = next((c for c in cycles if str(c.pk) == chosen), None)
        if cycle is None:
            current = cycle_selectors.cycle_current_for(request)
            cycle = next((c for c in cycles if current and c.pk == current.pk), cycles[0] if cycles else None)
        form = ComplianceFilterForm(request.GET or None, cycle=cycle, initial={"cycle": cycle})
        filters = form.cleaned_data if form.is_valid() else {}
        waiting = filters.get("waiting") or ""
        rows = (
            selectors.compliance_rows(
                cycle=cycle,
                course=filters.get("course") or "",
                term=filters.get("term"),
                company_id=filters["company"].pk if filters.get("company") else None,
                waiting_more_than=int(waiting) if waiting else None,
            )
            if cycle
            else []
        )
        if request.GET.get("export") == "xlsx":
            if not self.has_export_permission(request):
                raise PermissionDenied
            content = base_formats.XLSX().export_data(ComplianceResource().export(rows))
            response = HttpResponse(
                content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            year = cycle.fiscal_year if cycle else ""
            response["Content-Disposition"] = f'attachment; filename="daily-report-compliance-FY{year}.xlsx"'
            return response
        query = request.GET.copy()
        query["export"] = "xlsx"
        totals = {
            name: sum(getattr(row, name) for row in rows)
            for name in (
                "expected",
                "expected_so_far",
                "submitted",
                "approved",
                "returned",
                "draft",
                "late",
                "missing",
                "written_late",
            )
        }
        context = self._context(
            request,
            _("Daily-report compliance"),
            cycle=cycle,
            form=form,
            rows=rows,
            totals=totals,
            export_url=f"{request.path}?{query.urlencode()}",
            can_export=self.has_export_permission(request),
        )
        return TemplateResponse(request, "admin/internships/daily_report_compliance.html", context)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def intern_view(self, request, pk: int):
        """One intern's calendar and reports, with the office's powers: reopen a day, add an extra day."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        internship = get_object_or_404(
            Internship.objects.select_related(
                "placement__cycle", "placement__application__applicant", "placement__position__company"
            ),
            pk=pk,
        )
        can_change = self.has_change_permission(request)
        reopen_form = DayReopenForm(
            request.POST if request.POST.get("do") == "reopen" else None, prefix="reopen"
        )
        extra_form = ExtraDayForm(request.POST if request.POST.get("do") == "extra" else None, prefix="extra")
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            form = reopen_form if request.POST.get("do") == "reopen" else extra_form
            if form.is_valid():
                try:
                    if form is reopen_form:
                        reopening = services.day_reopen(
                            internship=internship, by=request.user, **form.cleaned_data
                        )
                        text = _("%(day)s is reopened: the intern can write it until %(until)s.") % {
                            "day": date_format(reopening.day, "DATE_FORMAT"),
                            "until": date_format(reopening.writable_until, "DATE_FORMAT"),
                        }
                    else:
                        extra = services.extra_day_add(
                            internship=internship, by=request.user, **form.cleaned_data
                        )
                        text = _("%(day)s is an extra activity day now.") % {
                            "day": date_format(extra.day, "DATE_FORMAT")
                        }
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    self.message_user(request, text, messages.SUCCESS)
                    return HttpResponseRedirect(request.path)
        calendar = selectors.report_calendar(internship=internship)
        labels = state_labels()
        reports = list(reversed(calendar.reports))
        for report in reports:
            report.state_label, report.state_badge = labels[report.status], STATE_BADGES[report.status]
        interviews = MidTermInterview.objects.filter(internship=internship).select_related("staff")
        context = self._context(
            request,
            _("Daily reports: %(name)s") % {"name": intern_name(internship.placement)},
            internship=internship,
            reports=reports,
            can_change=can_change,
            **calendar_context(
                calendar,
                day_url=lambda day, entry: (
                    reverse("admin:internships_dailyreport_change", args=[entry.report.pk])
                    if entry.report
                    else ""
                ),
            ),
            reopen_form=reopen_form,
            extra_form=extra_form,
            interviews=interviews,
        )
        return TemplateResponse(request, "admin/internships/daily_report_intern.html", context)

    def correct_view(self, request, pk: int):
        """The office corrects a report (an approved one too) with the reason, which the record keeps."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(
            DailyReport.objects.select_related("internship__placement__application__applicant"), pk=pk
        )
        if request.method == "POST":
            form = DailyReportCorrectForm(request.POST)
            if form.is_valid():
                try:
                    services.daily_report_correct(
                        report=report,
                        data=form.cleaned_data,
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    self.message_user(request, _("The report is corrected."), messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:internships_dailyreport_intern", args=[report.internship_id])
                    )
        else:
            form = DailyReportCorrectForm(initial=DailyReportForm.initial_for(report))
        context = self._context(
            request,
            _("Correct the report of %(day)s") % {"day": date_format(report.day, "DATE_FORMAT")},
            report=report,
            form=form,
            intern=intern_name(report.internship.placement),
        )
        return TemplateResponse(request, "admin/internships/daily_report_correct.html", context)


# --- Mid-term interviews -------------------------------------------------------------------------------


class OpenConcernFilter(admin.SimpleListFilter):
    title = _("concern")
    parameter_name = "concern"

    def lookups(self, request, model_admin):
        return [("open", _("Open concern")), ("closed", _("Resolved concern")), ("none", _("No concern"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(selectors.open_concern_q())
        if self.value() == "closed":
            return queryset.filter(has_concern=True, concern_closed_on__isnull=False)
        if self.value() == "none":
            return queryset.filter(has_concern=False)
        return queryset


@admin.register(MidTermInterview)
class MidTermInterviewAdmin(SimpleHistoryAdmin):
    """The office's mid-term interviews (中間面談); the interns with an open concern first."""

    list_display = (
        "intern",
        "company",
        "held_on",
        "staff",
        "concern_open",
        "follow_up_on",
        "concern_closed_on",
    )
    list_display_links = ("intern", "held_on")
    list_filter = ("internship__placement__cycle", "internship__placement__course", OpenConcernFilter)
    list_select_related = (
        "internship__placement__application__applicant",
        "internship__placement__position__company",
        "staff",
    )
    search_fields = (
        "internship__placement__application__number",
        "internship__placement__application__family_name",
        "internship__placement__application__given_names",
        "notes",
    )
    fields = ("internship", "held_on", "staff", "notes", "has_concern", "follow_up_on", "concern_closed_on")

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        # Annotated before the admin orders it: the open concerns first (get_ordering).
        open_first = Case(
            When(selectors.open_concern_q(), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return MidTermInterview.objects.annotate(open_first=open_first).order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["open_first", "follow_up_on", "-held_on", "-pk"]  # open concerns first, the nearest follow-up

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("staff", request.user.pk)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "internship":
            kwargs["queryset"] = Internship.objects.select_related(
                "placement__application__applicant"
            ).order_by("-placement__cycle__fiscal_year", "placement__application__family_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # part of the intern's record

    def revert_disabled(self, request, obj=None):
        return True

    @admin.display(description=_("intern"), ordering="internship__placement__application__family_name")
    def intern(self, interview: MidTermInterview) -> str:
        return intern_name(interview.internship.placement)

    @admin.display(description=_("company"), ordering="internship__placement__position__company__name_en")
    def company(self, interview: MidTermInterview) -> str:
        return interview.internship.placement.position.company.name

    @admin.display(description=_("open concern"), boolean=True, ordering="open_first")
    def concern_open(self, interview: MidTermInterview) -> bool:
        return interview.concern_is_open

    def save_model(self, request, obj, form, change):
        try:
            services.mid_term_interview_save(interview=obj, by=request.user)
        except ValidationError as exc:
            obj.jip_refused = True
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "jip_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(obj, "jip_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


# --- The cycle's settings and closure days -------------------------------------------------------------


@admin.register(DailyReportSettings)
class DailyReportSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("cycle", "late_limit_days", "reminder_time", "company_waiting_days")
    list_select_related = ("cycle",)
    fields = ("cycle", "late_limit_days", "reminder_time", "company_waiting_days")

    def save_model(self, request, obj, form, change):
        services.daily_report_settings_save(settings=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # without its row a cycle uses the defaults; change them instead

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(ClosurePeriod)
class ClosurePeriodAdmin(SimpleHistoryAdmin):
    list_display = ("name_en", "name_ja", "cycle", "company", "starts_on", "ends_on")
    list_filter = ("cycle", ("company", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("cycle", "company")
    fields = ("cycle", "company", "starts_on", "ends_on", "name_en", "name_ja")
    date_hierarchy = "starts_on"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "company":
            from companies.models import HostCompany

            kwargs["queryset"] = HostCompany.objects.order_by("name_en")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.closure_period_save(period=obj, by=request.user)

    def delete_model(self, request, obj):
        services.closure_period_delete(period=obj, by=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions

    def revert_disabled(self, request, obj=None):
        return True
