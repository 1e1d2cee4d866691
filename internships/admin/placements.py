"""The JIP office's workplace for placements and their internships (docs/program.md §10, §12).

A placement is made by the matching service when both sides accept; the office reads it here and never edits
it. An internship's term, mentor and status change through `internships.services.preparation` (checked and
audited); ending an internship early needs the reason. The admin parses the request, calls the service and
reports the outcome.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from jip.admin_tools import ReadOnlyInline, bulk_action
from matching.models import Placement

from ..forms import InternshipAdminForm
from ..models import Attendance, Internship, InternshipStatus, LogisticsItem, LogisticsStatus
from ..services import preparation as services

S = InternshipStatus


def intern_name(placement: Placement) -> str:
    application = placement.application
    return application.full_name or application.applicant.email


# --- Placements ----------------------------------------------------------------------------------------


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    """Final placements: read here, made by the matching service."""

    list_display = (
        "application_number",
        "intern",
        "company",
        "position",
        "course",
        "fiscal_year",
        "internship_link",
        "created_at",
    )
    list_display_links = ("application_number",)
    list_filter = (
        "cycle",
        "course",
        ("internship__status", admin.ChoicesFieldListFilter),
        ("position__company", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("cycle", "application__applicant", "position__company", "internship")
    search_fields = (
        "application__number",
        "application__family_name",
        "application__given_names",
        "application__applicant__email",
        "position__company__name_ja",
        "position__company__name_en",
    )
    search_help_text = _("Application number, the intern's names or e-mail, or the company's names.")
    fields = (
        "match",
        "cycle",
        "application",
        "position",
        "company",
        "course",
        "internship_link",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # the matching service makes placements

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    @admin.display(description=_("application"), ordering="application__number")
    def application_number(self, placement: Placement) -> str:
        return placement.application.number or str(placement.application_id)

    @admin.display(description=_("intern"), ordering="application__family_name")
    def intern(self, placement: Placement) -> str:
        return intern_name(placement)

    @admin.display(description=_("company"), ordering="position__company__name_en")
    def company(self, placement: Placement) -> str:
        return placement.position.company.name

    @admin.display(description=_("FY"), ordering="cycle__fiscal_year")
    def fiscal_year(self, placement: Placement) -> int:
        return placement.cycle.fiscal_year

    @admin.display(description=_("internship"), ordering="internship__status")
    def internship_link(self, placement: Placement):
        internship = getattr(placement, "internship", None)
        if internship is None:
            return "—"
        url = reverse("admin:internships_internship_change", args=[internship.pk])
        return format_html('<a href="{}">{}</a>', url, internship.get_status_display())


# --- Internships ---------------------------------------------------------------------------------------


class LogisticsItemInline(ReadOnlyInline):
    """The intern's checklist; each item is kept on its own page (the change link)."""

    model = LogisticsItem
    show_change_link = True
    readonly_fields = ("kind", "status", "due_on", "done_on", "notes", "requested_at", "updated_at")


class AttendanceInline(ReadOnlyInline):
    """The events the intern attended; attendance is recorded on each event's attendance page."""

    model = Attendance
    readonly_fields = ("event", "status", "recorded_by", "recorded_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event__term", "recorded_by")


class InternshipActionForm(helpers.ActionForm):
    reason = forms.CharField(label=_("Reason (required to end early)"), required=False, max_length=2000)


INTERNSHIP_FIELDSETS = (
    (
        None,
        {
            "fields": (
                "intern",
                "company",
                "position",
                "cycle",
                "course",
                "status",
                "status_changed_at",
                "ended_reason",
                "participant_page",
            )
        },
    ),
    (_("Term and mentor"), {"fields": ("starts_on", "ends_on", "mentor_name", "mentor_title")}),
    (_("Status"), {"fields": ("new_status", "reason")}),
)


@admin.register(Internship)
class InternshipAdmin(SimpleHistoryAdmin):
    form = InternshipAdminForm
    action_form = InternshipActionForm
    list_display = (
        "intern",
        "company",
        "fiscal_year",
        "course",
        "starts_on",
        "ends_on",
        "mentor_name",
        "status",
        "open_items",
        "blocked_items",
    )
    list_display_links = ("intern",)
    list_filter = (
        "placement__cycle",
        "placement__course",
        "status",
        ("placement__position__company", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = (
        "placement__cycle",
        "placement__application__applicant",
        "placement__position__company",
    )
    search_fields = (
        "placement__application__number",
        "placement__application__family_name",
        "placement__application__given_names",
        "placement__application__applicant__email",
        "placement__position__company__name_ja",
        "placement__position__company__name_en",
        "mentor_name",
    )
    search_help_text = _(
        "Application number, the intern's names or e-mail, the company's names or the mentor."
    )
    fieldsets = INTERNSHIP_FIELDSETS
    readonly_fields = (
        "intern",
        "company",
        "position",
        "cycle",
        "course",
        "status",
        "status_changed_at",
        "ended_reason",
        "participant_page",
    )
    inlines = [LogisticsItemInline, AttendanceInline]
    actions = ["mark_in_progress", "mark_completed", "mark_ended_early", "create_checklist"]

    def get_queryset(self, request):
        open_statuses = [LogisticsStatus.TO_DO, LogisticsStatus.IN_PROGRESS, LogisticsStatus.BLOCKED]
        return (
            super()
            .get_queryset(request)
            .select_related(
                "placement__cycle", "placement__application__applicant", "placement__position__company"
            )
            .annotate(
                open_count=Count("logistics", filter=Q(logistics__status__in=open_statuses)),
                blocked_count=Count("logistics", filter=Q(logistics__status=LogisticsStatus.BLOCKED)),
            )
        )

    def has_add_permission(self, request):
        return False  # an internship starts with its placement

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    # --- Columns

    @admin.display(description=_("intern"), ordering="placement__application__family_name")
    def intern(self, internship: Internship) -> str:
        return intern_name(internship.placement)

    @admin.display(description=_("company"), ordering="placement__position__company__name_en")
    def company(self, internship: Internship) -> str:
        return internship.placement.position.company.name

    @admin.display(description=_("position"))
    def position(self, internship: Internship) -> str:
        return internship.placement.position.title

    @admin.display(description=_("cycle"), ordering="placement__cycle__fiscal_year")
    def cycle(self, internship: Internship) -> str:
        return internship.placement.cycle.name

    @admin.display(description=_("FY"), ordering="placement__cycle__fiscal_year")
    def fiscal_year(self, internship: Internship) -> int:
        return internship.placement.cycle.fiscal_year

    @admin.display(description=_("course"), ordering="placement__course")
    def course(self, internship: Internship) -> str:
        return internship.placement.get_course_display()

    @admin.display(description=_("open items"), ordering="open_count")
    def open_items(self, internship: Internship) -> int:
        return internship.open_count

    @admin.display(description=_("blocked"), ordering="blocked_count")
    def blocked_items(self, internship: Internship) -> int:
        return internship.blocked_count

    @admin.display(description=_("as the intern sees it"))
    def participant_page(self, internship: Internship):
        url = reverse("internships:internship_detail", args=[internship.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open the intern's page")
        )

    # --- Status, by action on the list

    def _move(self, request, queryset, status: str) -> None:
        reason = request.POST.get("reason", "")
        bulk_action(
            self,
            request,
            queryset,
            act=lambda internship: services.internship_status_set(
                internship=internship, status=status, by=request.user, reason=reason
            ),
            label=lambda internship: intern_name(internship.placement),
            done=ngettext_lazy(
                "%(count)d internship is now “%(status)s”.",
                "%(count)d internships are now “%(status)s”.",
                "count",
            ),
            refused=ngettext_lazy(
                "%(count)d internship could not be changed: %(details)s",
                "%(count)d internships could not be changed: %(details)s",
                "count",
            ),
            params={"status": S(status).label},
        )

    @admin.action(description=_("Mark in progress"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._move(request, queryset, S.IN_PROGRESS)

    @admin.action(description=_("Mark completed"), permissions=["change"])
    def mark_completed(self, request, queryset):
        self._move(request, queryset, S.COMPLETED)

    @admin.action(description=_("Mark ended early (reason required)"), permissions=["change"])
    def mark_ended_early(self, request, queryset):
        self._move(request, queryset, S.ENDED_EARLY)

    @admin.action(description=_("Create the missing checklist items"), permissions=["change"])
    def create_checklist(self, request, queryset):
        made = 0
        for internship in queryset.select_related("placement"):
            made += len(services.internship_checklist_create(internship=internship, by=request.user))
        self.message_user(
            request,
            ngettext("%(count)d checklist item created.", "%(count)d checklist items created.", made)
            % {"count": made},
            messages.SUCCESS if made else messages.INFO,
        )

    # --- Term, mentor and status, on the page

    def save_model(self, request, obj, form, change):
        # Nothing is saved directly: the term and the mentor, then the status, go through the services.
        data = form.cleaned_data
        try:
            services.internship_details_update(
                internship=obj,
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                mentor_name=data.get("mentor_name") or "",
                mentor_title=data.get("mentor_title") or "",
                by=request.user,
            )
            if data.get("new_status"):
                services.internship_status_set(
                    internship=obj,
                    status=data["new_status"],
                    by=request.user,
                    reason=data.get("reason") or "",
                )
        except ValidationError as exc:
            obj.jip_refused = True
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def response_change(self, request, obj):
        if getattr(obj, "jip_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
