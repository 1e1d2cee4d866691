"""Host companies: their profile and eligibility as the managers entered them, their managers, invitations
and positions, and the office's review (docs/program.md §6)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jip import clock, selectors
from jip.admin_tools import ReadOnlyInline

from .. import eligibility, services
from ..models import CompanyInvitation, CompanyManager, HostCompany, Position, PositionStatus, ReviewStatus
from ..resources import HostCompanyResource
from .review import ChoicesInUseFilter, ReviewAdmin, ReviewForm

OUTCOME_LABELS = {
    eligibility.PASS: _("Met"),
    eligibility.FAIL: _("Not met"),
    eligibility.INCOMPLETE: _("Incomplete"),
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


class CompanyReviewForm(ReviewForm):
    missing_reason = _("Say why the company is not approved.")

    class Meta(ReviewForm.Meta):
        model = HostCompany


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
