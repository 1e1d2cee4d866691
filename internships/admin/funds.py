"""The JIP office's workplace for the activity-support funds (docs/funds.md; docs/program.md §14): the cycle's
settings, the exchange rates and the interns' payout currencies, each saved through its service and audited;
the statements, read only here, generated for a cycle on the worker, confirmed and marked paid by action.

Every write goes through `internships.services.funds`; the admin parses the request, calls the service and
reports. The admin site lets in only JIP staff with an authenticator (jip.admin_site).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from jip.admin_tools import ReadOnlyInlineMixin, bulk_action
from jip.models import ProgramCycle
from jip.permissions import admin_view
from jip.rules import is_jip_staff

from ..models import ExchangeRate, FundSettings, PayoutCurrency, Statement, StatementLine
from ..services import funds as services
from .placements import intern_name

# --- What the office enters -----------------------------------------------------------------------------


@admin.register(FundSettings)
class FundSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("cycle", "statement_period", "rounding")
    list_select_related = ("cycle",)
    fields = ("cycle", "statement_period", "rounding")

    def save_model(self, request, obj, form, change):
        services.fund_settings_save(settings=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # without its row a cycle uses the defaults; change them instead

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ("currency", "month", "yen_per_unit", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    fields = ("currency", "month", "yen_per_unit", "source")

    def save_model(self, request, obj, form, change):
        services.exchange_rate_save(rate=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # statements copy the rate they used; a wrong rate is corrected, audited

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(PayoutCurrency)
class PayoutCurrencyAdmin(SimpleHistoryAdmin):
    list_display = ("intern", "currency")
    list_select_related = ("internship__placement__application",)
    autocomplete_fields = ("internship",)
    fields = ("internship", "currency")

    @admin.display(description=_("intern"))
    def intern(self, payout: PayoutCurrency) -> str:
        return intern_name(payout.internship.placement)

    def save_model(self, request, obj, form, change):
        services.payout_currency_save(payout=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True


# --- Statements -----------------------------------------------------------------------------------------


class StatementLineInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = StatementLine
    readonly_fields = ("day", "reason", "name_en", "name_ja")


class PaymentFields(forms.Form):
    """The payment's date and reference, given next to the action "Mark paid"."""

    paid_on = forms.DateField(
        label=_("payment date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    payment_reference = forms.CharField(label=_("payment reference"), max_length=100, required=False)


class MarkPaidForm(helpers.ActionForm, PaymentFields):
    pass


class GenerateForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("cycle"), queryset=ProgramCycle.objects.order_by("-fiscal_year"))


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Every statement, read only: generated for a cycle, confirmed (frozen), marked paid by action."""

    change_list_template = "admin/internships/fund_statement_change_list.html"
    action_form = MarkPaidForm
    actions = ("confirm", "mark_paid")
    list_display = (
        "intern",
        "kind",
        "period_start",
        "period_end",
        "state",
        "counted_days",
        "yen_total",
        "currency",
        "amount",
        "paid_on",
    )
    list_filter = ("state", "kind", "currency", "internship__placement__cycle")
    # The intern's name, and the row's label (str) that the action checkbox reads.
    list_select_related = ("internship__placement__application__applicant", "internship__placement__position")
    search_fields = ("internship__placement__application__family_name", "payment_reference")
    inlines = (StatementLineInline,)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Statement._meta.fields]

    @admin.display(description=_("intern"), ordering="internship__placement__application__family_name")
    def intern(self, statement: Statement) -> str:
        return intern_name(statement.internship.placement)

    def has_add_permission(self, request):
        return False  # statements are generated

    def has_delete_permission(self, request, obj=None):
        return False  # a statement is corrected by a new one, never deleted

    def _label(self, statement: Statement) -> str:
        return f"{intern_name(statement.internship.placement)} {statement.period_start:%Y-%m}"

    @admin.action(description=_("Confirm the selected statements (they are frozen)"), permissions=["change"])
    def confirm(self, request, queryset):
        bulk_action(
            self,
            request,
            queryset.select_related("internship__placement__application"),
            act=lambda statement: services.statement_confirm(statement=statement, by=request.user),
            label=self._label,
            done=ngettext_lazy("%(count)d statement confirmed.", "%(count)d statements confirmed.", "count"),
            refused=ngettext_lazy(
                "%(count)d statement not confirmed: %(details)s",
                "%(count)d statements not confirmed: %(details)s",
                "count",
            ),
        )

    @admin.action(
        description=_("Mark the selected statements paid (date and reference)"), permissions=["change"]
    )
    def mark_paid(self, request, queryset):
        form = PaymentFields(request.POST)
        if not form.is_valid() or not form.cleaned_data.get("paid_on"):
            self.message_user(request, _("Give the payment date."), messages.ERROR)
            return None
        paid_on, reference = form.cleaned_data["paid_on"], form.cleaned_data.get("payment_reference") or ""
        bulk_action(
            self,
            request,
            queryset.select_related("internship__placement__application"),
            act=lambda statement: services.statement_mark_paid(
                statement=statement, by=request.user, paid_on=paid_on, reference=reference
            ),
            label=self._label,
            done=ngettext_lazy(
                "%(count)d statement marked paid.", "%(count)d statements marked paid.", "count"
            ),
            refused=ngettext_lazy(
                "%(count)d statement not marked paid: %(details)s",
                "%(count)d statements not marked paid: %(details)s",
                "count",
            ),
        )
        return None

    def get_urls(self):
        view = admin_view(self.admin_site, self.generate_view)
        return [path("generate/", view, name="internships_statement_generate"), *super().get_urls()]

    def generate_view(self, request):
        """The office picks a cycle; its statements are generated on the worker (once each: idempotent)."""
        if not (is_jip_staff(request.user) and self.has_change_permission(request)):
            raise PermissionDenied
        form = GenerateForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            cycle = form.cleaned_data["cycle"]
            services.fund_statements_generate_queue(cycle=cycle, by=request.user)
            self.message_user(
                request,
                _("The statements of %(cycle)s are being generated; reload this list in a moment.")
                % {"cycle": cycle.name},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:internships_statement_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Generate the statements of a cycle"),
            "form": form,
        }
        return TemplateResponse(request, "admin/internships/fund_statement_generate.html", context)
