"""Applications: everything one application holds on one page, counts per status above the list, bulk moves
through screening, the age waiver and the export (docs/program.md §4–5)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries.filters import CountryFilter
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from jip.admin_tools import ReadOnlyInline, bulk_action

from .. import eligibility, services
from ..models import Application, ApplicationStatus, Document
from ..resources import ApplicationResource
from .documents import document_file_link

S = ApplicationStatus


OUTCOME_LABELS = {
    eligibility.PASS: _("Met"),
    eligibility.FAIL: _("Not met"),
    eligibility.WAIVED: _("Waived by the JIP office"),
    eligibility.INCOMPLETE: _("Incomplete"),
}


def _rule_title(rule: str) -> str:
    return eligibility.title(rule) if rule in eligibility.RULE_TITLES else rule


class ApplicationChangeList(ChangeList):
    """The list of applications, with the number in each status above it (one aggregate query)."""

    status_counts: dict | None = None

    def get_results(self, request):
        super().get_results(request)
        self.status_counts = self._status_counts(request)

    def get_queryset(self, request, exclude_parameters=None):
        # The list shows none of the long answers: leave them in the database.
        return (
            super()
            .get_queryset(request, exclude_parameters=exclude_parameters)
            .defer("motivation", "skills", "eligibility", "steps_done", "age_waiver_reason")
        )

    def _status_counts(self, request) -> dict:
        # Every filter and the search apply, except the status filter itself: the office sees the
        # whole pipeline of what it selected, as Django's facets do.
        status_filter = next(
            (f for f in self.filter_specs if getattr(f, "field_path", None) == "status"), None
        )
        queryset = self.get_queryset(
            request, exclude_parameters=status_filter.expected_parameters() if status_filter else None
        )
        counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
        selected = request.GET.get("status__exact")
        rows = [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "query_string": self.get_query_string({"status__exact": value}, ["status__"]),
                "selected": selected == value,
            }
            for value, label in S.choices
        ]
        return {
            "rows": rows,
            "total": sum(counts.values()),
            "all_query_string": self.get_query_string(remove=["status__"]),
            "all_selected": selected is None,
        }


class ApplicationAdminForm(forms.ModelForm):
    """The one thing staff write on an application: a waiver of the age rule, with its reason."""

    waive_age_rule = forms.BooleanField(
        label=_("Waive the age rule"),
        required=False,
        help_text=_(
            "Accepts this applicant outside the cycle's age window. The reason is kept in the audit "
            "trail and the eligibility is evaluated again."
        ),
    )

    class Meta:
        model = Application
        fields = ["age_waiver_reason"]
        widgets = {"age_waiver_reason": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        # Ticking the box, or writing a new reason, asks for a waiver; the reason is what is recorded.
        self.waiver_requested = bool(cleaned.get("waive_age_rule")) or (
            "age_waiver_reason" in self.changed_data
        )
        if self.waiver_requested and not (cleaned.get("age_waiver_reason") or "").strip():
            self.add_error("age_waiver_reason", _("Give the reason for waiving the age rule."))
        return cleaned


class ApplicationActionForm(helpers.ActionForm):
    reason = forms.CharField(label=_("Note for the record (optional)"), required=False, max_length=500)


class DocumentInline(ReadOnlyInline):
    """The documents the office asked for; each is reviewed on its own page (the change link)."""

    model = Document
    show_change_link = True
    readonly_fields = (
        "kind", "status", "file_link", "content_type", "size", "uploaded_at", "reason", "reviewed_at",
    )  # fmt: skip

    @admin.display(description=_("file"))
    def file_link(self, document: Document):
        return document_file_link(document)


APPLICATION_FIELDSETS = (
    (
        None,
        {"fields": ("number", "cycle", "applicant", "status", "submitted_at", "status_changed_at")},
    ),
    (
        _("Personal details"),
        {
            "fields": (
                "family_name",
                "given_names",
                "name_ja",
                "birth_date",
                "age_on_reference_date",
                "nationality",
                "residence_country",
                "phone",
                "city",
            )
        },
    ),
    (
        _("Education"),
        {"fields": ("education_status", "institution", "field_of_study", "degree", "graduation_date")},
    ),
    (_("Languages"), {"fields": ("jlpt_level", "english_evidence", "english_score", "cefr_level")}),
    (_("Course"), {"fields": ("course_preference",)}),
    (_("Motivation and skills"), {"fields": ("motivation", "skills")}),
    (
        _("Declarations"),
        {
            "fields": (
                "participated_before",
                "participated_fiscal_year",
                "agrees_with_purpose",
                "can_dedicate",
                "follows_timetable",
                "can_submit_documents",
                "information_is_true",
            )
        },
    ),
    (
        _("Eligibility"),
        {"fields": ("is_eligible", "eligibility_table", "age_waived", "waive_age_rule", "age_waiver_reason")},
    ),
    (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
)


APPLICATION_STAFF_FIELDS = ("waive_age_rule", "age_waiver_reason")


@admin.register(Application)
class ApplicationAdmin(ExportMixin, SimpleHistoryAdmin):
    form = ApplicationAdminForm
    action_form = ApplicationActionForm
    change_list_template = "admin/applicants/application/change_list.html"
    resource_classes = [ApplicationResource]
    export_formats = [base_formats.CSV, base_formats.XLSX]

    list_display = (
        "number",
        "family_name",
        "given_names",
        "applicant_email",
        "nationality_name",
        "course_preference",
        "jlpt_level",
        "is_eligible",
        "status",
        "submitted_at",
    )
    list_display_links = ("number",)
    show_full_result_count = False  # one count of 20,000 rows less per page
    list_filter = (
        "cycle",
        "status",
        ("nationality", CountryFilter),
        ("residence_country", CountryFilter),
        "course_preference",
        "jlpt_level",
        "english_evidence",
        "is_eligible",
    )
    list_select_related = ("cycle", "applicant")
    search_fields = ("number", "family_name", "given_names", "applicant__email")
    search_help_text = _("Application number, family or given names, or the applicant's e-mail.")
    # Newest submissions first; drafts (never submitted) last on every database.
    ordering = (F("submitted_at").desc(nulls_last=True), "-pk")
    inlines = [DocumentInline]
    fieldsets = APPLICATION_FIELDSETS
    readonly_fields = tuple(
        name for name in flatten_fieldsets(APPLICATION_FIELDSETS) if name not in APPLICATION_STAFF_FIELDS
    )
    actions = [
        "move_to_document_review",
        "request_documents",
        "move_to_office_interview",
        "move_to_pool",
        "reject",
        "mark_withdrawn",
    ]  # and matching's "Refer to positions…", attached by the admin site (jip.site.admin.admin_compose)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle", "applicant")

    @admin.display(description=_("nationality"), ordering="nationality")
    def nationality_name(self, application: Application) -> str:
        # Not the field itself: the admin would rebuild the sorted list of every country twice a row.
        return application.nationality.name if application.nationality else "-"

    def has_add_permission(self, request):
        return False  # applications come from applicants

    def has_delete_permission(self, request, obj=None):
        return False  # an application is withdrawn or not selected, never deleted

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def revert_disabled(self, request, obj=None):
        return True  # history is a record; changes go through the services

    # --- Columns and read-only fields

    @admin.display(description=_("e-mail"), ordering="applicant__email")
    def applicant_email(self, application: Application) -> str:
        return application.applicant.email

    @admin.display(description=_("age on the cycle's reference date"))
    def age_on_reference_date(self, application: Application):
        if not application.birth_date:
            return None
        day = application.cycle.age_reference_date
        return _("%(age)s on %(date)s") % {
            "age": eligibility.age_on(application.birth_date, day),
            "date": date_format(day),
        }

    @admin.display(description=_("eligibility checks"))
    def eligibility_table(self, application: Application):
        outcomes = application.eligibility or []
        if not outcomes:
            return _("Not evaluated yet.")
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td class="outcome-{}">{}</td><td>{}</td></tr>',
            (
                (
                    _rule_title(o.get("rule", "")),
                    o.get("outcome"),
                    OUTCOME_LABELS.get(o.get("outcome"), o.get("outcome")),
                    o.get("reason", ""),
                )
                for o in outcomes
            ),
        )
        return format_html(
            '<table class="jip-eligibility"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Rule"),
            _("Outcome"),
            _("Reason"),
            rows,
        )

    def get_changelist(self, request, **kwargs):
        return ApplicationChangeList

    # --- Moving applications through screening

    def _move(self, request, queryset, status: str) -> None:
        note = request.POST.get("reason", "").strip()
        target = S(status).label

        def move(application: Application) -> None:
            before = application.status
            after = services.application_status_set(
                application=application, status=status, by=request.user, reason=note
            )
            if after.status == before:  # e.g. withdrawn already: the service changed nothing
                raise ValidationError(_("It is “%(status)s” already.") % {"status": target})

        bulk_action(
            self,
            request,
            queryset,
            act=move,
            label=lambda application: application.number or str(application.pk),
            done=ngettext_lazy(
                "%(count)d application moved to “%(status)s”.",
                "%(count)d applications moved to “%(status)s”.",
                "count",
            ),
            refused=ngettext_lazy(
                "%(count)d application could not be moved: %(details)s",
                "%(count)d applications could not be moved: %(details)s",
                "count",
            ),
            params={"status": target},
        )

    @admin.action(description=_("Move to document review"), permissions=["change"])
    def move_to_document_review(self, request, queryset):
        self._move(request, queryset, S.DOCUMENT_REVIEW)

    @admin.action(description=_("Request documents"), permissions=["change"])
    def request_documents(self, request, queryset):
        self._move(request, queryset, S.DOCUMENTS_REQUESTED)

    @admin.action(description=_("Move to office interview"), permissions=["change"])
    def move_to_office_interview(self, request, queryset):
        self._move(request, queryset, S.OFFICE_INTERVIEW)

    @admin.action(description=_("Move to the pool"), permissions=["change"])
    def move_to_pool(self, request, queryset):
        self._move(request, queryset, S.POOL)

    @admin.action(description=_("Reject"), permissions=["change"])
    def reject(self, request, queryset):
        self._move(request, queryset, S.REJECTED)

    @admin.action(description=_("Mark withdrawn"), permissions=["change"])
    def mark_withdrawn(self, request, queryset):
        self._move(request, queryset, S.WITHDRAWN)

    # --- The age waiver: the only write on the change page

    def save_model(self, request, obj, form, change):
        # Nothing is saved directly: the answers are the applicant's, the status moves by actions.
        if not getattr(form, "waiver_requested", False):
            return
        try:
            services.application_age_waive(
                application=obj, reason=form.cleaned_data["age_waiver_reason"], by=request.user
            )
        except ValidationError as exc:
            obj.jip_refused = True
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def response_change(self, request, obj):
        if getattr(obj, "jip_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
