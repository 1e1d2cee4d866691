"""What the company and the position admins share: the review of a company or a position, by action on the
list or on its page, through `companies.services`; read-only pages, export, history without revert."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from jip.admin_tools import bulk_action

APPROVE, REJECT = "approve", "reject"


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
