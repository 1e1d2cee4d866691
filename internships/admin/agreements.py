"""The JIP office's workplace for agreements (docs/program.md §11): templates, agreements, batches,
countersigning.

- Templates: a saved edit is the next version of its kind (`agreement_template_revise`); nothing is edited in
  place, since the versions made from a template name it.
- Agreements: read-only, with their versions and signatures; the list shows at a glance who has not signed
  the latest version and for how many days. The office countersigns on the agreement's page, after the
  other party; "Generate again" makes a new version where the data has changed.
- Generation batches: "Generate all agreements of a cycle" queues the work, and a page that updates itself
  shows its progress.
Every write goes through `internships.services.agreements`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jip import clock
from jip.admin_tools import REFUSALS_LISTED, refusal_details
from jip.http import client_ip
from jip.permissions import admin_view
from jip.rules import is_jip_staff

from ..forms import AgreementBatchForm, AgreementCountersignForm, AgreementTemplateForm
from ..models import (
    Agreement,
    AgreementKind,
    AgreementTemplate,
    AgreementVersion,
    GenerationBatch,
    SignatureParty,
    VersionStatus,
)
from ..presentation import state_label
from ..selectors import agreements as selectors
from ..services import agreements as services

W = selectors.Waiting


def _admin_urls(model_admin: admin.ModelAdmin, routes: list[tuple[str, object, str]]) -> list:
    """Pages of a model admin's own, behind the admin site's login and MFA."""
    return [path(route, admin_view(model_admin.admin_site, view), name=name) for route, view, name in routes]


def _messages_for(model_admin, request, done: int, refused: list[tuple[str, str]], done_message: str) -> None:
    if done:
        model_admin.message_user(request, done_message, messages.SUCCESS)
    if refused:
        model_admin.message_user(request, refusal_details(refused), messages.WARNING)


# --- Templates -------------------------------------------------------------------------------------------


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    form = AgreementTemplateForm
    list_display = (
        "kind",
        "version",
        "title_en",
        "title_ja",
        "is_active",
        "note",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "is_active")
    list_select_related = ("created_by",)
    ordering = ("kind", "-version")
    change_list_template = "admin/internships/agreement_template_change_list.html"
    readonly_fields = ("version", "is_active", "created_by", "created_at")
    change_form_template = "admin/internships/agreement_template_change_form.html"

    class Media:
        css = {"all": ("internships/agreements_admin.css",)}

    def has_delete_permission(self, request, obj=None):
        return False  # versions are the record of what each agreement said

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        made = services.agreement_template_revise(
            kind=data["kind"],
            title_en=data["title_en"],
            title_ja=data["title_ja"],
            body_en=data["body_en"],
            body_ja=data["body_ja"],
            note=data.get("note", ""),
            by=request.user,
        )
        # The page goes on with the version just made (the edited one is left as it was).
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(made, field.attname))

    def get_urls(self):
        routes = [("load-defaults/", self.load_defaults_view, "internships_agreementtemplate_defaults")]
        return _admin_urls(self, routes) + super().get_urls()

    def load_defaults_view(self, request):
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        made = services.agreement_templates_load_defaults(by=request.user)
        if made:
            self.message_user(
                request,
                _("The project's default texts are in use for: %(kinds)s.")
                % {"kinds": ", ".join(str(t.get_kind_display()) for t in made)},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Each kind has a template in use already."), messages.INFO)
        return HttpResponseRedirect(reverse("admin:internships_agreementtemplate_changelist"))

    def changelist_view(self, request, extra_context=None):
        missing = [
            str(label)
            for kind, label in AgreementKind.choices
            if not selectors.agreement_template_active(kind=kind)
        ]
        return super().changelist_view(request, {"missing_kinds": missing, **(extra_context or {})})


# --- Agreements ------------------------------------------------------------------------------------------


class WaitingForFilter(admin.SimpleListFilter):
    title = _("waiting for")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            (W.PARTY, _("the intern or the company")),
            ("intern", _("the intern")),
            ("company", _("the company")),
            (W.OFFICE, _("the office's countersignature")),
            (W.SIGNED, _("nothing: signed by both parties")),
            (W.RENDERING, _("the PDF (being rendered)")),
            (W.FAILED, _("the PDF (rendering failed)")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("intern", "company"):
            return queryset.filter(waiting_for=W.PARTY, kind=value)
        if value:
            return queryset.filter(waiting_for=value)
        return queryset


class DaysWaitingFilter(admin.SimpleListFilter):
    title = _("waiting for a signature")
    parameter_name = "days"

    def lookups(self, request, model_admin):
        return [("7", _("more than 7 days")), ("14", _("more than 14 days")), ("30", _("more than 30 days"))]

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            since = clock.now() - dt.timedelta(days=int(self.value()))
            return queryset.filter(due_since__lt=since)
        return queryset


class AgreementVersionInline(admin.TabularInline):
    model = AgreementVersion
    extra = 0
    can_delete = False
    show_change_link = False
    fields = readonly_fields = (
        "number",
        "status",
        "template",
        "created_at",
        "rendered_at",
        "pdf",
        "signed_by",
        "integrity",
        "batch",
    )
    ordering = ("-number",)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("template", "batch").prefetch_related("signatures")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf(self, version: AgreementVersion):
        if version.status != VersionStatus.READY:
            return version.error[:200] if version.error else "—"
        url = reverse("internships:agreement_version_file", args=[version.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a><br><code title="{}">{}…</code>',
            url, _("Open"), version.sha256, version.sha256[:12],
        )  # fmt: skip

    @admin.display(description=_("signatures"))
    def signed_by(self, version: AgreementVersion):
        signatures = list(version.signatures.all())
        if not signatures:
            return "—"
        return format_html_join(
            "",
            '<div data-party="{}">{}: {} · {} · {} · <code title="{}">{}…</code></div>',
            (
                (
                    s.party,
                    s.get_party_display(),
                    s.typed_name,
                    clock_text(s.signed_at),
                    s.ip_address or "—",
                    s.file_sha256,
                    s.file_sha256[:12],
                )
                for s in signatures
            ),
        )

    @admin.display(description=_("file intact"))
    def integrity(self, version: AgreementVersion):
        if version.status != VersionStatus.READY:
            return "—"
        result = services.agreement_verify(version)
        return format_html(
            '<span class="jip-{}" data-intact="{}" title="{}">{}</span>',
            "ok" if result.intact else "alert",
            "yes" if result.intact else "no",
            result.reason,
            _("Intact") if result.intact else result.reason,
        )


def clock_text(moment) -> str:
    return moment.astimezone(clock.JST).strftime("%Y-%m-%d %H:%M JST") if moment else "—"


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Every agreement and what it waits for: whose signature the latest version lacks, and since when."""

    change_form_template = "admin/internships/agreement_change_form.html"
    change_list_template = "admin/internships/agreement_change_list.html"
    # The reference names the cycle and the kind (JIP2024-I-…: intern, -C-: company); filters offer both.
    list_display = (
        "reference",
        "intern",
        "company",
        "latest_number",
        "state",
        "waiting_since",
        "days_waiting",
    )
    list_display_links = ("reference",)
    list_filter = (WaitingForFilter, DaysWaitingFilter, "kind", "placement__cycle")
    search_fields = (
        "placement__application__family_name",
        "placement__application__given_names",
        "placement__application__number",
        "placement__position__company__name_ja",
        "placement__position__company__name_en",
    )
    search_help_text = _("The intern's name or application number, or the company's names.")
    readonly_fields = ("reference", "kind", "placement", "intern", "company", "cycle", "state", "created_at")
    fields = readonly_fields
    inlines = [AgreementVersionInline]
    actions = ["generate_again"]
    list_per_page = 100

    class Media:
        css = {"all": ("internships/agreements_admin.css",)}

    def get_queryset(self, request):
        # Annotated first: the default ordering sorts on the annotations.
        queryset = selectors.agreements_with_state(self.model._default_manager.get_queryset())
        return queryset.select_related(
            "placement__application", "placement__position__company", "placement__cycle"
        ).order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return [selectors.agreement_state_order(), "due_since", "pk"]

    def has_add_permission(self, request):
        return False  # agreements are generated from placements

    def has_delete_permission(self, request, obj=None):
        return False

    # --- Columns

    @admin.display(description=_("reference"), ordering="placement_id")
    def reference(self, agreement: Agreement) -> str:
        letter = selectors.KIND_LETTER[agreement.kind]
        return f"JIP{agreement.placement.cycle.fiscal_year}-{letter}-{agreement.placement_id:05d}"

    @admin.display(description=_("intern"), ordering="placement__application__family_name")
    def intern(self, agreement: Agreement) -> str:
        return agreement.placement.application.full_name

    @admin.display(description=_("host company"), ordering="placement__position__company__name_en")
    def company(self, agreement: Agreement) -> str:
        return agreement.placement.position.company.name

    @admin.display(description=_("cycle"), ordering="placement__cycle__fiscal_year")
    def cycle(self, agreement: Agreement) -> int:
        return agreement.placement.cycle.fiscal_year

    @admin.display(description=_("version"), ordering="latest_number")
    def latest_number(self, agreement: Agreement):
        return agreement.latest_number or "—"

    @admin.display(description=_("state"), ordering=selectors.agreement_state_order())
    def state(self, agreement: Agreement):
        return format_html(
            '<span class="jip-state jip-state-{}">{}</span>',
            agreement.waiting_for,
            state_label(agreement, for_party=False),
        )

    @admin.display(description=_("intern or company signed"), ordering="party_signed_at")
    def party_signed(self, agreement: Agreement) -> str:
        return clock_text(agreement.party_signed_at)

    @admin.display(description=_("office countersigned"), ordering="office_signed_at")
    def office_signed(self, agreement: Agreement) -> str:
        return clock_text(agreement.office_signed_at)

    @admin.display(description=_("waiting since"), ordering="due_since")
    def waiting_since(self, agreement: Agreement) -> str:
        return clock_text(agreement.due_since) if agreement.due_since else "—"

    @admin.display(description=_("days waiting"), ordering="due_since")
    def days_waiting(self, agreement: Agreement):
        days = selectors.agreement_days_waiting(agreement.due_since)
        return "—" if days is None else days

    # --- Generate again

    @admin.action(
        description=_("Generate again (a new version where the data has changed)"), permissions=["change"]
    )
    def generate_again(self, request, queryset):
        made, unchanged, refused = 0, 0, []
        for agreement in queryset.select_related("placement"):
            latest_before = agreement.latest_id
            try:
                version = services.agreement_generate(
                    placement=agreement.placement, kind=agreement.kind, by=request.user
                )
            except ValidationError as exc:
                refused.append((self.reference(agreement), " ".join(exc.messages)))
            else:
                if version.pk == latest_before:
                    unchanged += 1
                else:
                    made += 1
        _messages_for(
            self,
            request,
            made,
            refused,
            ngettext(
                "%(count)d new version made; it is being rendered.",
                "%(count)d new versions made; they are being rendered.",
                made,
            )
            % {"count": made},
        )
        if unchanged:
            self.message_user(
                request,
                ngettext(
                    "%(count)d agreement had no change of data: no new version.",
                    "%(count)d agreements had no change of data: no new version.",
                    unchanged,
                )
                % {"count": unchanged},
                messages.INFO,
            )

    # --- The office's countersignature, on the agreement's page

    def get_urls(self):
        routes = [("<int:pk>/countersign/", self.countersign_view, "internships_agreement_countersign")]
        return _admin_urls(self, routes) + super().get_urls()

    def _countersign_context(self, request, agreement: Agreement, form=None) -> dict:
        version = selectors.agreement_signable_version(agreement)
        signatures = {s.party: s for s in version.signatures.all()} if version else {}
        other = selectors.PARTY_OF_KIND[agreement.kind]
        can = (
            version is not None
            and other in signatures
            and SignatureParty.OFFICE not in signatures
            and is_jip_staff(request.user)
            and self.has_change_permission(request, agreement)
        )
        if can and form is None:
            form = AgreementCountersignForm(initial={"sha256": version.sha256})
        return {
            "countersign_version": version,
            "countersign_form": form if can else None,
            "countersign_other": other.label,
            "countersign_waiting_other": version is not None and other not in signatures,
            "countersign_done": signatures.get(SignatureParty.OFFICE),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        agreement = self.get_object(request, object_id)
        extra = self._countersign_context(request, agreement) if agreement else {}
        # Nothing on the page is edited: the office's one write here is the countersignature below it.
        extra.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        raise PermissionDenied  # agreements change through generation and signatures only

    def countersign_view(self, request, pk: int):
        agreement = get_object_or_404(Agreement.objects.select_related("placement"), pk=pk)
        if request.method != "POST" or not (
            is_jip_staff(request.user) and self.has_change_permission(request, agreement)
        ):
            raise PermissionDenied
        url = reverse("admin:internships_agreement_change", args=[agreement.pk])
        version = selectors.agreement_signable_version(agreement)
        form = AgreementCountersignForm(request.POST)
        if version is None:
            self.message_user(request, _("There is no version ready to countersign."), messages.ERROR)
            return HttpResponseRedirect(url)
        if form.is_valid() and form.cleaned_data["sha256"] != version.sha256:
            form.add_error(
                None, _("A newer version of this agreement has been made; read and sign that one.")
            )
        if form.is_valid():
            try:
                services.agreement_sign(
                    version=version,
                    party=SignatureParty.OFFICE,
                    user=request.user,
                    typed_name=form.cleaned_data["typed_name"],
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Version %(number)d countersigned for the JIP office; the agreement is concluded.")
                    % {"number": version.number},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(url)
        errors = "; ".join(" ".join(e) for e in form.errors.values())
        self.message_user(request, errors, messages.ERROR)
        return HttpResponseRedirect(url)


# --- Generation batches -------------------------------------------------------------------------------------


@admin.register(GenerationBatch)
class GenerationBatchAdmin(admin.ModelAdmin):
    change_list_template = "admin/internships/agreement_batch_change_list.html"
    list_display = (
        "started",
        "cycle",
        "created_by",
        "total",
        "pending",
        "ready",
        "failed",
        "unchanged",
        "refused_count",
        "progress",
    )
    list_display_links = ("started",)
    list_filter = ("cycle",)
    list_select_related = ("cycle", "created_by")
    readonly_fields = ("cycle", "created_by", "created_at", "total", "unchanged", "refused", "finished_at")
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.agreement_batches_with_counts(super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # started with "Generate all agreements of a cycle"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("started"), ordering="created_at")
    def started(self, batch: GenerationBatch) -> str:
        return clock_text(batch.created_at)

    @admin.display(description=_("being rendered"))
    def pending(self, batch: GenerationBatch) -> int:
        return batch.n_pending

    @admin.display(description=_("ready"))
    def ready(self, batch: GenerationBatch) -> int:
        return batch.n_ready

    @admin.display(description=_("failed"))
    def failed(self, batch: GenerationBatch) -> int:
        return batch.n_failed

    @admin.display(description=_("refused"))
    def refused_count(self, batch: GenerationBatch) -> int:
        return len(batch.refused)

    @admin.display(description=_("progress"))
    def progress(self, batch: GenerationBatch):
        url = reverse("admin:internships_generationbatch_progress", args=[batch.pk])
        return format_html('<a href="{}">{}</a>', url, _("Progress"))

    def get_urls(self):
        routes = [
            ("generate/", self.generate_view, "internships_generationbatch_generate"),
            ("<int:pk>/progress/", self.progress_view, "internships_generationbatch_progress"),
            ("<int:pk>/progress.json", self.progress_json_view, "internships_generationbatch_progress_json"),
        ]
        return _admin_urls(self, routes) + super().get_urls()

    def _may_generate(self, request) -> bool:
        return is_jip_staff(request.user) and request.user.has_perm("internships.add_generationbatch")

    def generate_view(self, request):
        if not self._may_generate(request):
            raise PermissionDenied
        form = AgreementBatchForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                batch = services.agreement_batch_start(cycle=form.cleaned_data["cycle"], by=request.user)
            except ValidationError as exc:
                form.add_error("cycle", exc)
            else:
                return HttpResponseRedirect(
                    reverse("admin:internships_generationbatch_progress", args=[batch.pk])
                )
        missing = [
            str(label)
            for kind, label in AgreementKind.choices
            if not selectors.agreement_template_active(kind=kind)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Generate all agreements of a cycle"),
            "form": form,
            "missing_kinds": missing,
        }
        return TemplateResponse(request, "admin/internships/agreement_batch_generate.html", context)

    def progress_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(GenerationBatch.objects.select_related("cycle", "created_by"), pk=pk)
        progress = selectors.agreement_batch_progress(batch=batch)
        failed = (
            AgreementVersion.objects.filter(batch=batch, status=VersionStatus.FAILED)
            .select_related("agreement__placement__application")
            .order_by("pk")[:REFUSALS_LISTED]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Generating the agreements of %(cycle)s") % {"cycle": batch.cycle.name},
            "batch": batch,
            "progress": progress,
            "failed": failed,
            "started": clock_text(batch.created_at),
            "json_url": reverse("admin:internships_generationbatch_progress_json", args=[batch.pk]),
            "agreements_url": reverse("admin:internships_agreement_changelist")
            + f"?placement__cycle__id__exact={batch.cycle_id}",
        }
        return TemplateResponse(request, "admin/internships/agreement_batch_progress.html", context)

    def progress_json_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(GenerationBatch, pk=pk)
        response = JsonResponse(selectors.agreement_batch_progress(batch=batch).as_json())
        response["Cache-Control"] = "no-store"
        return response
