"""The JIP office's workplace for host companies and their internship positions (docs/program.md §6–7).

Staff read what the company's managers entered and never edit it: registration and the profile are the
managers', in the company portal. The office's one write is the review of a company or a position, and it
goes through `companies.services` (checked, audited, mailed, and held to the cycle's company cap); the admin
only parses the request, calls the service and reports the outcome.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from jip import clock, selectors
from jip.admin_tools import ReadOnlyInline, bulk_action
from jip.models import ProgramCycle

from . import eligibility, services
from .models import (
    CompanyInvitation,
    CompanyManager,
    HostCompany,
    Position,
    PositionStatus,
    ReviewStatus,
)
from .resources import HostCompanyResource, PositionResource

APPROVE, REJECT = "approve", "reject"

OUTCOME_LABELS = {
    eligibility.PASS: _("Met"),
    eligibility.FAIL: _("Not met"),
    eligibility.INCOMPLETE: _("Incomplete"),
}


def _titled(filter_class: type, title) -> type:
    """A list filter under a title of its own (a company's field seen from the list of positions)."""

    def __init__(self, *args, **kwargs):
        filter_class.__init__(self, *args, **kwargs)
        self.title = title

    return type(f"Titled{filter_class.__name__}", (filter_class,), {"__init__": __init__})


class ChoicesInUseFilter(admin.ChoicesFieldListFilter):
    """Only the choices some row holds, read in one query: 47 prefectures would make a long sidebar for the
    60–100 host companies of a cycle."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.in_use = set(model._default_manager.order_by().values_list(field_path, flat=True).distinct())

    def choices(self, changelist):
        options = super().choices(changelist)
        yield next(options)  # "All"
        # The parent offers one option per choice, in the order of the choices.
        for (value, _label), option in zip(self.field.flatchoices, options, strict=False):
            if value in self.in_use or option["selected"]:
                yield option


def cycles_with_hosting(cycles=None):
    """Cycles, each with `hosting`: how many host companies have an approved position in it (the cap's count,
    as `services.position_review` counts it), in one aggregate query."""
    cycles = ProgramCycle.objects.all() if cycles is None else cycles
    return cycles.annotate(
        hosting=Count(
            "positions__company", filter=Q(positions__status=PositionStatus.APPROVED), distinct=True
        )
    )


def cap_status(cycle: ProgramCycle) -> dict:
    return {
        "cycle": cycle,
        "hosting": cycle.hosting,
        "cap": cycle.company_cap,
        "reached": cycle.hosting >= cycle.company_cap,
        "text": _("%(cycle)s: %(hosting)s of %(cap)s host companies have an approved position.")
        % {"cycle": cycle.name, "hosting": cycle.hosting, "cap": cycle.company_cap},
    }


def eligibility_table(outcomes: list[dict]):
    """Each rule as a row: its title, the outcome in words and the reason kept with it."""
    if not outcomes:
        return _("Not evaluated yet.")
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="outcome-{}">{}</td><td>{}</td></tr>',
        (
            (
                eligibility.title(o["rule"]) if o.get("rule") in eligibility.RULE_TITLES else o.get("rule"),
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


class ReviewActionForm(helpers.ActionForm):
    reason = forms.CharField(label=_("Reason (required to reject)"), required=False, max_length=1000)


class ReviewForm(forms.ModelForm):
    """The one write on a company's or a position's page: approve it, or reject it with the reason the
    managers will read. What they entered is shown, never offered for editing."""

    missing_reason: str  # the service's words, shown beside the field

    decision = forms.ChoiceField(
        label=capfirst(_("decision")),
        required=False,
        # "Reject" of an application reads "not hired" in Japanese; a company or position is "not approved".
        choices=[
            ("", _("— no decision —")),
            (APPROVE, _("Approve")),
            (REJECT, pgettext_lazy("company or position review", "Reject")),
        ],
    )
    reason = forms.CharField(
        label=capfirst(_("reason")),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to reject; the company's managers read it in their e-mail."),
    )

    class Meta:
        fields: list[str] = []

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", self.missing_reason)
        elif not decision and (cleaned.get("reason") or "").strip():
            self.add_error("decision", _("Choose “Approve” or “Reject” to record a reason."))
        return cleaned


class CompanyReviewForm(ReviewForm):
    missing_reason = _("Say why the company is not approved.")

    class Meta(ReviewForm.Meta):
        model = HostCompany


class PositionReviewForm(ReviewForm):
    missing_reason = _("Say why the position is not approved.")

    class Meta(ReviewForm.Meta):
        model = Position


class ReviewAdmin(ExportMixin, SimpleHistoryAdmin):
    """What the company and the position admins share: read-only pages, review by action or on the page,
    export of the filtered list, history without revert, no add and no delete."""

    action_form = ReviewActionForm
    export_formats = [base_formats.CSV, base_formats.XLSX]
    actions = ["approve", "reject"]
    statuses: dict[bool, models.TextChoices]  # approve → the status it leads to

    class Media:
        css = {"all": ("admin_jip/admin.css",)}

    def has_add_permission(self, request, obj=None):
        return False  # companies register themselves; positions are described by their managers

    def has_delete_permission(self, request, obj=None):
        return False  # a company or a position is not approved or withdrawn, never deleted

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def revert_disabled(self, request, obj=None):
        return True  # history is a record; changes go through the services

    def get_readonly_fields(self, request, obj=None):
        return tuple(name for name in flatten_fieldsets(self.fieldsets) if name not in ("decision", "reason"))

    # --- Review, by action on the list

    def review_call(self, obj, *, approve: bool, reason: str, by):
        raise NotImplementedError

    def row_label(self, obj) -> str:
        return str(obj)

    # Plural messages keyed on "count" (ngettext_lazy): what was done, by approve; what was refused and why.
    done_messages: dict[bool, Any]
    refused_message: Any

    def _decide(self, obj, *, approve: bool, reason: str, by) -> None:
        target = self.statuses[approve]
        # The service would write, audit and mail the same decision again; a new reason is news, though.
        if obj.status == target and (approve or reason.strip() == obj.review_reason):
            raise ValidationError(
                _("It is “%(status)s” already.") % {"status": target.label}, code="unchanged"
            )
        self.review_call(obj, approve=approve, reason=reason, by=by)

    def _review(self, request, queryset, *, approve: bool) -> None:
        reason = request.POST.get("reason", "")
        bulk_action(
            self,
            request,
            queryset,
            act=lambda obj: self._decide(obj, approve=approve, reason=reason, by=request.user),
            label=self.row_label,
            done=self.done_messages[approve],
            refused=self.refused_message,
        )

    @admin.action(description=_("Approve"), permissions=["change"])
    def approve(self, request, queryset):
        self._review(request, queryset, approve=True)

    @admin.action(description=_("Reject (reason required)"), permissions=["change"])
    def reject(self, request, queryset):
        self._review(request, queryset, approve=False)

    # --- Review, on the page

    def save_model(self, request, obj, form, change):
        # Nothing is saved directly: the profile is the managers', the status moves through the service.
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            self._decide(
                obj, approve=decision == APPROVE, reason=form.cleaned_data.get("reason", ""), by=request.user
            )
        except ValidationError as exc:
            obj.jip_refused = True
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def response_change(self, request, obj):
        if getattr(obj, "jip_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


# --- Host companies -------------------------------------------------------------------------------


class CompanyManagerInline(ReadOnlyInline):
    """Who acts for the company; managers join by invitation, in the company portal."""

    model = CompanyManager
    readonly_fields = ("email", "full_name", "language", "added_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").order_by("added_at", "pk")

    @admin.display(description=_("e-mail"))
    def email(self, membership: CompanyManager) -> str:
        return membership.user.email

    @admin.display(description=_("name"))
    def full_name(self, membership: CompanyManager) -> str:
        return membership.user.get_full_name()

    @admin.display(description=_("language"))
    def language(self, membership: CompanyManager) -> str:
        return membership.user.get_preferred_language_display()


class CompanyInvitationInline(ReadOnlyInline):
    """Invitations the managers sent; the link's token is never stored, only its hash, which is not shown."""

    model = CompanyInvitation
    readonly_fields = ("email", "invited_by", "created_at", "expires_at", "state")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("invited_by", "accepted_by")

    @admin.display(description=_("state"))
    def state(self, invitation: CompanyInvitation) -> str:
        if invitation.accepted_at:
            return _("Accepted by %(email)s") % {
                "email": invitation.accepted_by.email if invitation.accepted_by else "—"
            }
        if invitation.revoked_at:
            return _("Revoked")
        if invitation.expires_at <= clock.now():
            return _("Expired")
        return _("Waiting")


class PositionInline(ReadOnlyInline):
    """The company's positions in every cycle; each is reviewed on its own page (the change link)."""

    model = Position
    show_change_link = True
    readonly_fields = ("title", "cycle", "course", "place_prefecture", "interns", "status", "reviewed_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle")


class HostCompanyChangeList(ChangeList):
    """The list of host companies, naming the cycle whose approved positions it counts."""

    def get_results(self, request):
        super().get_results(request)
        self.current_cycle = selectors.cycle_current_for(request)  # read once per request, with the rows


COMPANY_FIELDSETS = (
    (
        None,
        {"fields": ("name_ja", "name_en", "corporate_number", "status", "review_reason", "reviewed_at")},
    ),
    (
        _("Eligibility"),
        {"fields": ("is_eligible", "eligibility_table")},
    ),
    (
        _("Organisation"),
        {
            "fields": (
                "organisation_type",
                "industry",
                "capital",
                "regular_employees",
                "business_description",
                "overseas_plans",
            )
        },
    ),
    (
        _("Locations"),
        {
            "fields": (
                "head_office_prefecture",
                "head_office_city",
                "main_business_in_japan",
                "main_business_prefecture",
                "main_business_city",
            )
        },
    ),
    (_("Contact"), {"fields": ("website", "contact_name", "contact_email", "contact_phone")}),
    (_("Review"), {"fields": ("decision", "reason")}),
    (_("Record"), {"fields": ("created_at",), "classes": ("collapse",)}),
)


@admin.register(HostCompany)
class HostCompanyAdmin(ReviewAdmin):
    form = CompanyReviewForm
    change_list_template = "admin/companies/hostcompany/change_list.html"
    resource_classes = [HostCompanyResource]
    statuses = {True: ReviewStatus.APPROVED, False: ReviewStatus.REJECTED}

    list_display = (
        "name_ja",
        "name_en",
        "corporate_number",
        "main_business_prefecture",
        "industry",
        "capital",
        "regular_employees",
        "is_eligible",
        "status",
        "approved_positions",
    )
    list_display_links = ("name_ja", "name_en")
    list_filter = (
        "status",
        "is_eligible",
        ("main_business_prefecture", ChoicesInUseFilter),
        ("head_office_prefecture", ChoicesInUseFilter),
        "industry",
        "organisation_type",
    )
    search_fields = ("name_ja", "name_en", "corporate_number", "contact_email", "managers__user__email")
    search_help_text = _("Names, corporate number, contact e-mail or a manager's e-mail.")
    inlines = [CompanyManagerInline, CompanyInvitationInline, PositionInline]
    fieldsets = COMPANY_FIELDSETS

    def get_queryset(self, request):
        # The positions approved in the current cycle, counted in the same query as the rows.
        cycle = selectors.cycle_current_for(request)
        approved = (
            Position.objects.filter(company=OuterRef("pk"), cycle=cycle, status=PositionStatus.APPROVED)
            .order_by()
            .values("company")
            .annotate(n=Count("pk"))
            .values("n")
        )
        count = Coalesce(Subquery(approved, output_field=IntegerField()), 0) if cycle else Value(0)
        return super().get_queryset(request).annotate(approved_positions=count)

    def get_changelist(self, request, **kwargs):
        return HostCompanyChangeList

    @admin.display(description=_("capital (yen)"), ordering="capital_jpy")
    def capital(self, company: HostCompany) -> str:
        return "" if company.capital_jpy is None else f"¥{intcomma(company.capital_jpy)}"

    @admin.display(description=_("approved positions (current cycle)"), ordering="approved_positions")
    def approved_positions(self, company: HostCompany) -> int:
        return company.approved_positions

    @admin.display(description=_("eligibility checks"))
    def eligibility_table(self, company: HostCompany):
        return eligibility_table(company.eligibility or [])

    def review_call(self, company, *, approve, reason, by):
        services.company_review(company=company, approve=approve, reason=reason, by=by)

    def row_label(self, company: HostCompany) -> str:
        return company.name

    done_messages = {
        True: ngettext_lazy(
            "%(count)d host company approved.", "%(count)d host companies approved.", "count"
        ),
        False: ngettext_lazy(
            "%(count)d host company not approved; its managers are told why.",
            "%(count)d host companies not approved; their managers are told why.",
            "count",
        ),
    }
    refused_message = ngettext_lazy(
        "%(count)d host company could not be reviewed: %(details)s",
        "%(count)d host companies could not be reviewed: %(details)s",
        "count",
    )


# --- Positions ------------------------------------------------------------------------------------


class PositionChangeList(ChangeList):
    """The list of positions, with the company cap above it: of the filtered cycle, or the current one."""

    cap_status: dict | None = None

    def get_results(self, request):
        super().get_results(request)
        cycle_id = request.GET.get("cycle__id__exact", "")
        cycles = (
            ProgramCycle.objects.filter(pk=int(cycle_id))
            if cycle_id.isdigit()
            else selectors.cycles_published()
        )
        cycle = cycles_with_hosting(cycles).first()
        self.cap_status = cap_status(cycle) if cycle else None


POSITION_FIELDSETS = (
    (
        None,
        {
            "fields": (
                "title",
                "company",
                "company_qualifies",
                "cycle",
                "cycle_cap",
                "status",
                "review_reason",
                "reviewed_at",
            )
        },
    ),
    (
        _("Internship plan"),
        {
            "fields": (
                "role_and_goals",
                "course",
                "place_prefecture",
                "place_city",
                "starts_on",
                "ends_on",
                "hours_per_week",
                "interns",
                "mentor_name",
                "mentor_title",
            )
        },
    ),
    (_("What the company asks"), {"fields": ("skills", "japanese_level", "english_level", "conditions")}),
    (_("Review"), {"fields": ("decision", "reason")}),
    (_("Record"), {"fields": ("created_at",), "classes": ("collapse",)}),
)


@admin.register(Position)
class PositionAdmin(ReviewAdmin):
    form = PositionReviewForm
    change_list_template = "admin/companies/position/change_list.html"
    resource_classes = [PositionResource]
    statuses = {True: PositionStatus.APPROVED, False: PositionStatus.REJECTED}

    list_display = (
        "title",
        "company_name",
        "cycle",
        "course",
        "place_prefecture",
        "japanese_level",
        "english_level",
        "interns",
        "status",
    )
    list_filter = (
        "cycle",
        "status",
        "course",
        ("place_prefecture", ChoicesInUseFilter),
        "japanese_level",
        "english_level",
        ("company__industry", _titled(admin.ChoicesFieldListFilter, _("company's industry"))),
        ("company__is_eligible", _titled(admin.BooleanFieldListFilter, _("company qualifies (SME)"))),
    )
    list_select_related = ("company", "cycle")
    search_fields = ("title", "company__name_ja", "company__name_en")
    search_help_text = _("The position's title or the company's names.")
    fieldsets = POSITION_FIELDSETS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company", "cycle")

    def get_changelist(self, request, **kwargs):
        return PositionChangeList

    @admin.display(description=_("company"), ordering="company__name_en")
    def company_name(self, position: Position):
        url = reverse("admin:companies_hostcompany_change", args=[position.company_id])
        return format_html('<a href="{}">{}</a>', url, position.company.name)

    @admin.display(description=_("company qualifies (SME)"), boolean=True)
    def company_qualifies(self, position: Position) -> bool | None:
        return position.company.is_eligible

    @admin.display(description=_("company cap"))
    def cycle_cap(self, position: Position) -> str:
        cycle = cycles_with_hosting().get(pk=position.cycle_id)
        return cap_status(cycle)["text"]

    def review_call(self, position, *, approve, reason, by):
        services.position_review(position=position, approve=approve, reason=reason, by=by)

    def row_label(self, position: Position) -> str:
        return f"{position.title} ({position.company.name})"

    done_messages = {
        True: ngettext_lazy("%(count)d position approved.", "%(count)d positions approved.", "count"),
        False: ngettext_lazy(
            "%(count)d position not approved; the company's managers are told why.",
            "%(count)d positions not approved; the companies' managers are told why.",
            "count",
        ),
    }
    refused_message = ngettext_lazy(
        "%(count)d position could not be reviewed: %(details)s",
        "%(count)d positions could not be reviewed: %(details)s",
        "count",
    )
