"""The JIP office's workplace for preparing the internship (docs/program.md §12): the program's events and
their attendance, every intern's logistics checklist, and the blockers across a cycle.

Every write goes through `internships.services.preparation` (checked and audited): an event is saved or
deleted by a service, attendance is recorded for each participant on the event's attendance page, and a
checklist item is updated on its own page. The admin parses the request, calls the service and reports.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from jip import clock
from jip import selectors as cycle_selectors
from jip.admin_tools import refusal_details
from jip.models import CourseTerm, ProgramCycle
from jip.permissions import admin_view

from ..forms import AttendanceForm, DefaultScheduleForm, LogisticsItemForm
from ..models import LogisticsItem, LogisticsStatus, ProgramEvent
from ..presentation import when_in
from ..selectors import preparation as selectors
from ..services import preparation as services
from .placements import intern_name

ADMIN_CSS = {"all": ("admin_jip/admin.css",)}


# --- Program events ------------------------------------------------------------------------------------


@admin.register(ProgramEvent)
class ProgramEventAdmin(SimpleHistoryAdmin):
    list_display = (
        "summary",
        "cycle",
        "course",
        "term_number",
        "starts_at",
        "ends_at",
        "place",
        "attendance",
    )
    list_display_links = ("summary",)
    list_filter = ("cycle", "course", "kind")
    list_select_related = ("cycle", "term")
    search_fields = ("title", "place", "notes")
    search_help_text = _("The event's title, place or notes.")
    date_hierarchy = "starts_at"
    fields = (
        "cycle",
        "course",
        "term",
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "notes",
        "attendance",
    )
    readonly_fields = ("attendance",)
    change_list_template = "admin/internships/preparation_event_change_list.html"

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return selectors.events_with_counts(super().get_queryset(request).select_related("cycle", "term"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "term":  # each term's name reads its course and cycle
            kwargs["queryset"] = CourseTerm.objects.select_related("course__cycle").order_by(
                "-course__cycle__fiscal_year", "course__kind", "number"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("event"), ordering="kind")
    def summary(self, event: ProgramEvent) -> str:
        return event.summary

    @admin.display(description=_("FY"), ordering="cycle__fiscal_year")
    def fiscal_year(self, event: ProgramEvent) -> int:
        return event.cycle.fiscal_year

    @admin.display(description=_("term"), ordering="term__number")
    def term_number(self, event: ProgramEvent):
        return event.term.number if event.term_id else "—"

    @admin.display(description=_("attendance"))
    def attendance(self, event: ProgramEvent):
        if event.pk is None:
            return "—"
        url = reverse("admin:internships_programevent_attendance", args=[event.pk])
        present, recorded = getattr(event, "present", None), getattr(event, "recorded", None)
        if recorded is None:
            return format_html('<a href="{}">{}</a>', url, _("Record attendance"))
        label = _("%(present)d present of %(recorded)d recorded") % {"present": present, "recorded": recorded}
        return format_html('<a href="{}">{}</a>', url, label)

    # --- Writes through the services

    def save_model(self, request, obj, form, change):
        services.program_event_save(event=obj, by=request.user)

    def delete_model(self, request, obj):
        services.program_event_delete(event=obj, by=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one event at a time, from its page, through the service
        return actions

    def has_delete_permission(self, request, obj=None):
        # An event with attendance recorded is part of the interns' record; it is moved, not deleted.
        if obj is not None and obj.attendances.exists():
            return False
        return super().has_delete_permission(request, obj)

    # --- Pages of their own: attendance, and the default schedule of a cycle

    def get_urls(self):
        return [
            path(
                "<int:pk>/attendance/",
                admin_view(self.admin_site, self.attendance_view),
                name="internships_programevent_attendance",
            ),
            path(
                "default-schedule/",
                admin_view(self.admin_site, self.default_schedule_view),
                name="internships_programevent_default",
            ),
            *super().get_urls(),
        ]

    def attendance_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = get_object_or_404(ProgramEvent.objects.select_related("cycle", "term"), pk=pk)
        participants = list(selectors.event_participants(event=event))
        can_record = self.has_change_permission(request, event)
        form = AttendanceForm(request.POST if request.method == "POST" else None, participants=participants)
        if request.method == "POST":
            if not can_record:
                raise PermissionDenied
            if form.is_valid():
                done, refused = 0, []
                for internship, status in form.changes():
                    try:
                        services.event_attendance_record(
                            event=event, internship=internship, status=status, by=request.user
                        )
                    except ValidationError as exc:
                        refused.append((intern_name(internship.placement), " ".join(exc.messages)))
                    else:
                        done += 1
                if done:
                    self.message_user(
                        request,
                        ngettext("%(count)d attendance recorded.", "%(count)d attendances recorded.", done)
                        % {"count": done},
                        messages.SUCCESS,
                    )
                if refused:
                    self.message_user(request, refusal_details(refused), messages.WARNING)
                if not done and not refused:
                    self.message_user(request, _("Nothing was changed."), messages.INFO)
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Attendance: %(event)s") % {"event": event.summary},
            "event": event,
            "when": when_in(event.starts_at, event.ends_at, clock.JST),
            "form": form,
            "can_record": can_record,
            "has_begun": event.starts_at <= clock.now(),
        }
        return TemplateResponse(request, "admin/internships/preparation_attendance.html", context)

    def default_schedule_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        cycles = ProgramCycle.objects.order_by("-fiscal_year")
        current = cycle_selectors.cycle_current_for(request)
        form = DefaultScheduleForm(
            request.POST if request.method == "POST" else None,
            cycles=cycles,
            initial={"cycle": current.pk if current else None},
        )
        if request.method == "POST" and form.is_valid():
            cycle = form.cleaned_data["cycle"]
            made = services.events_schedule_default(cycle=cycle, by=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d event created from the cycle's dates.",
                    "%(count)d events created from the cycle's dates.",
                    len(made),
                )
                % {"count": len(made)}
                if made
                else _("No event created: the cycle's milestones and terms carry no new dates."),
                messages.SUCCESS if made else messages.INFO,
            )
            url = reverse("admin:internships_programevent_changelist")
            return HttpResponseRedirect(f"{url}?cycle__id__exact={cycle.pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Default schedule of a cycle"),
            "form": form,
        }
        return TemplateResponse(request, "admin/internships/preparation_default_schedule.html", context)


# --- Logistics -----------------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = {"due_on__lt": clock.today_jst(), "status__in": selectors.OPEN_STATUSES}
        if self.value() == "yes":
            return queryset.filter(**overdue)
        if self.value() == "no":
            return queryset.exclude(**overdue)
        return queryset


@admin.register(LogisticsItem)
class LogisticsItemAdmin(SimpleHistoryAdmin):
    form = LogisticsItemForm
    list_display = (
        "intern",
        "company",
        "cycle",
        "course",
        "kind",
        "status",
        "due_on",
        "done_on",
        "is_overdue",
        "requested_at",
        "updated_at",
    )
    list_display_links = ("intern", "kind")
    list_filter = (
        "internship__placement__cycle",
        "internship__placement__course",
        "kind",
        "status",
        OverdueFilter,
    )
    list_select_related = (
        "internship__placement__cycle",
        "internship__placement__application__applicant",
        "internship__placement__position__company",
    )
    search_fields = (
        "internship__placement__application__number",
        "internship__placement__application__family_name",
        "internship__placement__application__given_names",
        "internship__placement__position__company__name_ja",
        "internship__placement__position__company__name_en",
        "notes",
    )
    search_help_text = _("Application number, the intern's names, the company's names or the notes.")
    fieldsets = (
        (
            None,
            {"fields": ("internship_link", "company", "kind", "requested_at", "updated_by", "updated_at")},
        ),
        (_("Where it stands"), {"fields": ("status", "due_on", "done_on", "notes")}),
    )
    readonly_fields = ("internship_link", "company", "kind", "requested_at", "updated_by", "updated_at")
    change_list_template = "admin/internships/preparation_logistics_change_list.html"

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related, "updated_by")

    def has_add_permission(self, request):
        return False  # each internship's checklist is made by the service, with its placement

    def has_delete_permission(self, request, obj=None):
        return False  # an item that does not apply is "not needed"

    def revert_disabled(self, request, obj=None):
        return True

    @admin.display(description=_("intern"), ordering="internship__placement__application__family_name")
    def intern(self, item: LogisticsItem) -> str:
        return intern_name(item.internship.placement)

    @admin.display(description=_("internship"))
    def internship_link(self, item: LogisticsItem):
        url = reverse("admin:internships_internship_change", args=[item.internship_id])
        return format_html('<a href="{}">{}</a>', url, intern_name(item.internship.placement))

    @admin.display(description=_("company"), ordering="internship__placement__position__company__name_en")
    def company(self, item: LogisticsItem) -> str:
        return item.internship.placement.position.company.name

    @admin.display(description=_("FY"), ordering="internship__placement__cycle__fiscal_year")
    def cycle(self, item: LogisticsItem) -> int:
        return item.internship.placement.cycle.fiscal_year

    @admin.display(description=_("course"), ordering="internship__placement__course")
    def course(self, item: LogisticsItem) -> str:
        return item.internship.placement.get_course_display()

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, item: LogisticsItem) -> bool:
        return selectors.item_is_overdue(item, clock.today_jst())

    def save_model(self, request, obj, form, change):
        # Nothing is saved directly: the service checks the dates and notes, and records who changed what.
        try:
            services.logistics_item_update(item=obj, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            obj.jip_refused = True
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def response_change(self, request, obj):
        if getattr(obj, "jip_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # --- The blockers across a cycle

    def get_urls(self):
        return [
            path(
                "blockers/",
                admin_view(self.admin_site, self.blockers_view),
                name="internships_logisticsitem_blockers",
            ),
            *super().get_urls(),
        ]

    def blockers_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        cycles = list(ProgramCycle.objects.order_by("-fiscal_year"))
        chosen = request.GET.get("cycle", "")
        cycle = next((c for c in cycles if str(c.pk) == chosen), None)
        if cycle is None:
            current = cycle_selectors.cycle_current_for(request)
            cycle = next((c for c in cycles if current and c.pk == current.pk), cycles[0] if cycles else None)
        today = clock.today_jst()
        items = list(selectors.logistics_blockers(cycle=cycle, today=today)) if cycle else []
        rows = [
            {
                "item": item,
                "intern": intern_name(item.internship.placement),
                "company": item.internship.placement.position.company.name,
                "course": item.internship.placement.get_course_display(),
                "blocked": item.status == LogisticsStatus.BLOCKED,
                "days_overdue": (today - item.due_on).days if selectors.item_is_overdue(item, today) else 0,
                "url": reverse("admin:internships_logisticsitem_change", args=[item.pk]),
                "internship_url": reverse("admin:internships_internship_change", args=[item.internship_id]),
            }
            for item in items
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Blockers across the cycle"),
            "cycles": cycles,
            "cycle": cycle,
            "today": today,
            "rows": rows,
            "blocked_count": sum(1 for row in rows if row["blocked"]),
            "overdue_count": sum(1 for row in rows if row["days_overdue"]),
        }
        return TemplateResponse(request, "admin/internships/preparation_blockers.html", context)
