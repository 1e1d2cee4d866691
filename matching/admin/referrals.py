"""Referrals: the office refers applications from the pool to positions, seeing how each pair fits (an action
of the applications list, attached by the admin site), and reads every referral with its interview."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applicants.models import ApplicationStatus
from companies.models import Position, PositionStatus, ReviewStatus
from jip.admin_tools import ReadOnlyStackedInline

from .. import services
from ..models import Interview, Referral
from ..presentation import fit_rows


class ReferForm(forms.Form):
    positions = forms.ModelMultipleChoiceField(
        queryset=Position.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Positions"),
        error_messages={"required": gettext_lazy("Choose at least one position.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the company (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, cycle_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["positions"].queryset = (
            Position.objects.filter(
                cycle_id__in=cycle_ids, status=PositionStatus.APPROVED, company__status=ReviewStatus.APPROVED
            )
            .select_related("company")
            .order_by("company__name_en", "title")
        )
        self.fields["positions"].label_from_instance = lambda p: (
            f"{p.title} · {p.company.name} · {p.get_course_display()}"
        )


def refer_to_positions(modeladmin, request: HttpRequest, queryset):
    """The office refers the selected applications (in the pool) to one or more positions, after seeing
    for each pair how it fits, with its warnings."""
    applications = list(queryset.select_related("cycle").order_by("number"))
    referable = [a for a in applications if a.status == ApplicationStatus.POOL]
    not_referable = [a for a in applications if a.status != ApplicationStatus.POOL]
    if not referable:
        modeladmin.message_user(
            request, _("Only applications in the pool can be referred."), messages.WARNING
        )
        return None
    cycle_ids = {a.cycle_id for a in referable}
    submitted = "preview" in request.POST or "confirm" in request.POST
    form = ReferForm(request.POST if submitted else None, cycle_ids=cycle_ids)
    pairs = []
    if form.is_bound and form.is_valid():
        positions = list(form.cleaned_data["positions"])
        if request.POST.get("confirm") == "1":
            outcome = services.referrals_create(
                applications=referable, positions=positions, by=request.user, note=form.cleaned_data["note"]
            )
            if outcome.created:
                modeladmin.message_user(
                    request,
                    ngettext("%(count)d referral made.", "%(count)d referrals made.", len(outcome.created))
                    % {"count": len(outcome.created)},
                    messages.SUCCESS,
                )
            for application, position, reason in outcome.refused:
                modeladmin.message_user(
                    request, f"{application.number} → {position.title}: {reason}", messages.WARNING
                )
            return None
        existing = set(
            Referral.objects.filter(application__in=referable, position__in=positions).values_list(
                "application_id", "position_id"
            )
        )
        for application in referable:
            for position in positions:
                rows = fit_rows(application, position)
                pairs.append(
                    {"application": application, "position": position, "fit": rows,
                     "warns": any(r["outcome"] == "warning" for r in rows),
                     "existing": (application.pk, position.pk) in existing}
                )  # fmt: skip
    return TemplateResponse(
        request,
        "admin/matching/refer.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Refer applications to positions"),
            "opts": modeladmin.model._meta,
            "applications": referable,
            "not_referable": not_referable,
            "form": form,
            "pairs": pairs,
            "selected": [a.pk for a in applications],
            "action": "refer_to_positions",
        },
    )


refer_to_positions.short_description = gettext_lazy("Refer to positions…")


refer_to_positions.allowed_permissions = ("change",)


class InterviewInline(ReadOnlyStackedInline):
    model = Interview
    readonly_fields = ("mode", "place", "status", "chosen_slot", "outcome", "outcome_note", "decline_reason")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = (
        "application_number", "applicant_name", "position", "company", "status", "fits", "company_rank",
        "applicant_rank", "interview_status", "referred_at",
    )  # fmt: skip
    list_filter = ("application__cycle", "status", "fits", "interview__status", "interview__outcome")
    list_select_related = ("application", "position__company", "interview")
    search_fields = (
        "application__number",
        "application__family_name",
        "position__title",
        "position__company__name_en",
    )
    readonly_fields = (
        "application", "position", "status", "status_reason", "fit_table", "note", "referred_by",
        "referred_at", "company_rank", "applicant_rank", "company_note",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [InterviewInline]
    ordering = ("-referred_at", "-id")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Application"), ordering="application__number")
    def application_number(self, referral: Referral) -> str:
        return referral.application.number or "—"

    @admin.display(description=gettext_lazy("Name"))
    def applicant_name(self, referral: Referral) -> str:
        return f"{referral.application.family_name} {referral.application.given_names}"

    @admin.display(description=gettext_lazy("Company"))
    def company(self, referral: Referral) -> str:
        return referral.position.company.name

    @admin.display(description=gettext_lazy("Interview"))
    def interview_status(self, referral: Referral) -> str:
        interview = getattr(referral, "interview", None)
        return interview.get_status_display() if interview else "—"

    @admin.display(description=gettext_lazy("Fit"))
    def fit_table(self, referral: Referral):
        rows = fit_rows(referral.application, referral.position)
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join(
                "", '<tr><th>{}</th><td><span class="{}">{}</span></td><td>{}</td></tr>',
                ((r["title"], r["css"], r["outcome"], r["reason"]) for r in rows),
            ),
        )  # fmt: skip
