"""Documents the office asked for: each is accepted, or sent back with the reason the applicant reads
(docs/program.md §5). Files are private: only the checking view serves them."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from jip.admin_tools import bulk_action

from .. import services
from ..models import Document, DocumentStatus


def document_file_link(document: Document):
    """The file's name, linked to the view that checks access before serving it (files are private)."""
    if not document.file:
        return _("no file yet")
    name = document.original_name or _("(unnamed file)")
    try:
        url = reverse("applicants:document_file", args=[document.pk])
    except NoReverseMatch:  # the checking view is not mounted: the name only, never a storage path
        return name
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, name)


ACCEPT, REJECT = "accept", "reject"


class DocumentReviewForm(forms.ModelForm):
    """Accept a document, or send it back with the reason the applicant will read."""

    decision = forms.ChoiceField(
        label=_("decision"),
        required=False,
        choices=[("", _("— no decision —")), (ACCEPT, _("Accept")), (REJECT, _("Reject (send again)"))],
    )

    class Meta:
        model = Document
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reason": _("Needed to send a document back; the applicant reads it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.status == DocumentStatus.REQUESTED:
            self.fields["decision"].disabled = True
            self.fields["decision"].help_text = _("Nothing has been uploaded for this document yet.")

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the document must be sent again."))
        elif not decision and "reason" in self.changed_data:
            self.add_error("decision", _("Choose “Accept” or “Reject (send again)” to record a reason."))
        return cleaned


class DocumentActionForm(helpers.ActionForm):
    reason = forms.CharField(label=_("Reason (to send documents back)"), required=False, max_length=1000)


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    form = DocumentReviewForm
    action_form = DocumentActionForm
    list_display = (
        "application_number",
        "applicant_name",
        "kind",
        "status",
        "file_link",
        "uploaded_at",
        "reviewed_at",
    )
    list_display_links = ("kind",)
    list_filter = ("status", "kind", "application__cycle")
    list_select_related = ("application",)
    search_fields = (
        "application__number",
        "application__family_name",
        "application__given_names",
        "application__applicant__email",
    )
    search_help_text = _("Application number, the applicant's names or e-mail.")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "application",
                    "kind",
                    "status",
                    "file_link",
                    "content_type",
                    "size",
                    "sha256",
                    "requested_at",
                    "uploaded_at",
                    "reviewed_at",
                )
            },
        ),
        (_("Review"), {"fields": ("decision", "reason")}),
    )
    readonly_fields = (
        "application",
        "kind",
        "status",
        "file_link",
        "content_type",
        "size",
        "sha256",
        "requested_at",
        "uploaded_at",
        "reviewed_at",
    )
    actions = ["accept", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__applicant")

    def has_add_permission(self, request):
        return False  # the office asks for documents with the "Request documents" action

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    @admin.display(description=_("application"), ordering="application__number")
    def application_number(self, document: Document) -> str:
        return document.application.number or ""

    @admin.display(description=_("applicant"), ordering="application__family_name")
    def applicant_name(self, document: Document) -> str:
        return document.application.full_name

    @admin.display(description=_("file"))
    def file_link(self, document: Document):
        return document_file_link(document)

    def _review(self, request, queryset, *, accept: bool) -> None:
        reason = request.POST.get("reason", "")
        bulk_action(
            self,
            request,
            queryset,
            act=lambda document: services.document_review(
                document=document, accept=accept, reason=reason, by=request.user
            ),
            label=lambda document: f"{document.application.number} {document}",
            done=ngettext_lazy("%(count)d document accepted.", "%(count)d documents accepted.", "count")
            if accept
            else ngettext_lazy(
                "%(count)d document sent back to the applicant.",
                "%(count)d documents sent back to the applicant.",
                "count",
            ),
            refused=ngettext_lazy(
                "%(count)d document could not be reviewed: %(details)s",
                "%(count)d documents could not be reviewed: %(details)s",
                "count",
            ),
        )

    @admin.action(description=_("Accept"), permissions=["change"])
    def accept(self, request, queryset):
        self._review(request, queryset, accept=True)

    @admin.action(description=_("Reject (send again)"), permissions=["change"])
    def reject(self, request, queryset):
        self._review(request, queryset, accept=False)

    def save_model(self, request, obj, form, change):
        # The review is the only write here, and it goes through the service.
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            services.document_review(
                document=obj,
                accept=decision == ACCEPT,
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except ValidationError as exc:
            obj.jip_refused = True
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def response_change(self, request, obj):
        if getattr(obj, "jip_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
