"""The JIP office's matching workplace: referrals with their fit, fixed pairs, and matching rounds
(run, read the reasons, approve with the screening committee's decision, publish)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applicants.models import Application, ApplicationStatus
from companies.models import Position, PositionStatus, ReviewStatus
from jip.admin_tools import ReadOnlyStackedInline
from jip.models import ProgramCycle
from jip.permissions import admin_view

from . import fit as pair_fit
from . import rounds, services
from .models import Interview, Match, MatchingRound, PairConstraint, Referral, RoundStatus

FIT_TITLES = {
    "course": gettext_lazy("Course"),
    "japanese": gettext_lazy("Japanese"),
    "english": gettext_lazy("English"),
    "skills": gettext_lazy("Skills"),
    "conditions": gettext_lazy("Company's conditions"),
}
FIT_BADGES = {"ok": "jip-fit-ok", "warning": "jip-fit-warning", "check": "jip-fit-check"}


def fit_rows(application: Application, position: Position) -> list[dict]:
    return [
        {"title": FIT_TITLES.get(i.criterion, i.criterion), "outcome": i.outcome, "reason": i.reason,
         "css": FIT_BADGES[i.outcome]}
        for i in pair_fit.evaluate(application, position)
    ]  # fmt: skip


# --- Referring from the pool (an action of the applications list) ----------------------------------


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


# --- Referrals ---------------------------------------------------------------------------------------


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


# --- Fixed pairs ---------------------------------------------------------------------------------------


class PairConstraintForm(forms.ModelForm):
    class Meta:
        model = PairConstraint
        fields = ("application", "position", "kind", "course", "reason")


@admin.register(PairConstraint)
class PairConstraintAdmin(admin.ModelAdmin):
    form = PairConstraintForm
    list_display = ("kind", "application", "position", "course", "reason", "created_by", "created_at")
    list_filter = ("cycle", "kind")
    list_select_related = ("application", "position", "created_by")
    autocomplete_fields = ("application", "position")

    def has_change_permission(self, request, obj=None):
        return obj is None  # a fixed pair is removed and made again, never edited

    def save_model(self, request, obj, form, change):
        try:
            constraint = services.pair_constraint_set(
                application=obj.application, position=obj.position, kind=obj.kind, reason=obj.reason,
                by=request.user, course=obj.course,
            )  # fmt: skip
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            obj.pk = None
            return
        obj.pk = constraint.pk

    def delete_model(self, request, obj):
        services.pair_constraint_remove(constraint=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for constraint in queryset:
            services.pair_constraint_remove(constraint=constraint, by=request.user)


# --- Rounds -----------------------------------------------------------------------------------------


class RunRoundForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=ProgramCycle.objects.all(), label=gettext_lazy("Cycle"))


class ApproveForm(forms.Form):
    committee_note = forms.CharField(
        label=gettext_lazy("Screening committee's decision"),
        help_text=gettext_lazy("The date of the committee's meeting and its reference."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


UNMATCHED_SHOWN = 500


@admin.register(MatchingRound)
class MatchingRoundAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "matched", "is_stable", "run_at", "run_by", "published_at")
    list_filter = ("cycle", "status")
    list_select_related = ("cycle", "run_by")
    change_list_template = "admin/matching/matchinground/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(match_count=Count("matches"))

    @admin.display(description=gettext_lazy("Matched"), ordering="match_count")
    def matched(self, matching_round: MatchingRound) -> int:
        return matching_round.match_count

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [
            path("run/", admin_view(self.admin_site, self.run_view), name="matching_matchinground_run"),
            path(
                "<int:pk>/approve/",
                admin_view(self.admin_site, self.approve_view),
                name="matching_matchinground_approve",
            ),
            path(
                "<int:pk>/publish/",
                admin_view(self.admin_site, self.publish_view),
                name="matching_matchinground_publish",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "run_form": RunRoundForm()}
        return super().changelist_view(request, extra_context)

    def run_view(self, request):
        if request.method != "POST" or not self.has_change_permission(request):
            return HttpResponseRedirect(reverse("admin:matching_matchinground_changelist"))
        form = RunRoundForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("Choose the cycle to match."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:matching_matchinground_changelist"))
        matching_round = services.round_run(cycle=form.cleaned_data["cycle"], by=request.user)
        self.message_user(
            request,
            _("Round %(number)s has been run: %(matched)s matched. It is a proposal until the screening "
              "committee approves it and you publish it.")
            % {"number": matching_round.number, "matched": matching_round.report["figures"]["matched"]},
            messages.SUCCESS,
        )  # fmt: skip
        return HttpResponseRedirect(reverse("admin:matching_matchinground_change", args=[matching_round.pk]))

    def approve_view(self, request, pk: int):
        matching_round = get_object_or_404(MatchingRound, pk=pk)
        if request.method == "POST" and self.has_change_permission(request, matching_round):
            form = ApproveForm(request.POST)
            if form.is_valid():
                try:
                    services.round_approve(
                        matching_round=matching_round,
                        note=form.cleaned_data["committee_note"],
                        by=request.user,
                    )
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(request, _("The committee's approval is recorded."), messages.SUCCESS)
            else:
                self.message_user(request, _("Record the committee's decision."), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:matching_matchinground_change", args=[pk]))

    def publish_view(self, request, pk: int):
        matching_round = get_object_or_404(MatchingRound, pk=pk)
        if request.method == "POST" and self.has_change_permission(request, matching_round):
            try:
                services.round_publish(matching_round=matching_round, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("The round is published: applicants and companies are told by e-mail."),
                    messages.SUCCESS,
                )  # fmt: skip
        return HttpResponseRedirect(reverse("admin:matching_matchinground_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        matching_round = get_object_or_404(
            MatchingRound.objects.select_related("cycle", "run_by"), pk=object_id
        )
        matches = list(
            Match.objects.filter(round=matching_round)
            .select_related("application", "position__company", "placement")
            .order_by("position__company__name_en", "position__title", "application__number")
        )
        report = matching_round.report or {}
        unmatched_ids = [int(k) for k in list((report.get("unmatched") or {}).keys())[:UNMATCHED_SHOWN]]
        position_ids = {m.position_id for m in matches}
        for reasons in (report.get("unmatched") or {}).values():
            position_ids.update(r["unit"][0] for r in reasons if r.get("unit"))
        for match in matches:
            position_ids.update(r["unit"][0] for r in match.explanation if r.get("unit"))
        positions = Position.objects.in_bulk(position_ids)
        unmatched_apps = Application.objects.in_bulk(unmatched_ids)
        context = {
            **self.admin_site.each_context(request),
            "title": str(matching_round),
            "opts": self.model._meta,
            "original": matching_round,
            "round": matching_round,
            "figures": report.get("figures", {}),
            "messages_in_words": [
                {"level": m.get("level"), "text": rounds.describe_message(m)}
                for m in report.get("messages", [])
            ],
            "blocking_pairs": report.get("blocking_pairs", []),
            "matches": [
                {"match": m, "why": [rounds.describe_reason(r, positions) for r in m.explanation]}
                for m in matches
            ],
            "unmatched": [
                {
                    "application": unmatched_apps.get(int(k)),
                    "why": [rounds.describe_reason(r, positions) for r in v],
                }
                for k, v in list((report.get("unmatched") or {}).items())[:UNMATCHED_SHOWN]
            ],
            "unmatched_total": len(report.get("unmatched") or {}),
            "approve_form": ApproveForm(),
            "can_approve": matching_round.status == RoundStatus.PROPOSED,
            "can_publish": matching_round.status == RoundStatus.APPROVED,
            "accepted_both": sum(1 for m in matches if hasattr(m, "placement")),
            "declined": sum(1 for m in matches if "declined" in (m.applicant_decision, m.company_decision)),
        }
        return TemplateResponse(request, "admin/matching/matchinground/detail.html", context)
