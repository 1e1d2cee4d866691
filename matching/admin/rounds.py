"""Matching rounds: run one, read why each applicant was matched where or not at all, record the screening
committee's approval, publish."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Application
from companies.models import Position
from jip.models import ProgramCycle
from jip.permissions import admin_view

from .. import rounds, services
from ..models import Match, MatchingRound, RoundStatus


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
