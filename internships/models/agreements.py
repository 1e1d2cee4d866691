"""Agreements: the JIP office's with the host company and with the intern (docs/program.md §11).

A template (bilingual, versioned) gives the text; generating an agreement first saves a snapshot of its
data as a new version, then a Celery task renders the PDF, stores it privately and keeps its SHA-256.
Each party signs one exact version; a new version needs signing again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jip.models import ProgramCycle
from matching.models import Placement


class AgreementKind(models.TextChoices):
    COMPANY = "company", _("JIP office and host company")
    INTERN = "intern", _("JIP office and intern")


class AgreementTemplate(models.Model):
    """The text of one kind of agreement, in English and Japanese; a saved edit is a new version."""

    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    body_ja = models.TextField(_("text (Japanese)"))
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_template_version_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Agreement(models.Model):
    """One agreement of a placement, of one kind; its versions hold the snapshots and the PDFs."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("placement")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind"], name="one_agreement_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.placement}"


class GenerationBatch(models.Model):
    """Staff generate every agreement of a cycle at once and watch the batch's progress."""

    cycle = models.ForeignKey(ProgramCycle, on_delete=models.PROTECT, related_name="agreement_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    total = models.PositiveIntegerField(_("agreements"), default=0)
    # Agreements whose data had not changed since their last version: nothing new to render.
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # Placements that could not be generated, with the reason: {"placement": id, "kind": …, "reason": …}.
    refused = models.JSONField(_("refused"), default=list, blank=True)
    finished_at = models.DateTimeField(_("all queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("generation batch")
        verbose_name_plural = _("generation batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.created_at:%Y-%m-%d %H:%M}"


class VersionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be rendered")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Rendering failed")


def agreement_upload_to(instance: "AgreementVersion", filename: str) -> str:
    return f"agreements/{instance.agreement_id}/v{instance.number}-{filename}"


class AgreementVersion(models.Model):
    """A snapshot of an agreement's data and its rendered PDF; never overwritten once made."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("template")
    )
    snapshot = models.JSONField(_("data"), default=dict)
    snapshot_sha256 = models.CharField(_("data SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.PENDING
    )
    file = models.FileField(_("PDF"), upload_to=agreement_upload_to, blank=True, max_length=200)
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    batch = models.ForeignKey(
        GenerationBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    # The parties are told once that this version is ready to sign (a retried task mails nobody twice).
    notified_at = models.DateTimeField(_("parties told"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_number_per_agreement_version"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class SignatureParty(models.TextChoices):
    INTERN = "intern", _("Intern")
    COMPANY = "company", _("Host company")
    OFFICE = "office", _("JIP office")


class AgreementSignature(models.Model):
    """Who signed which exact file, when and from where."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(_("party"), max_length=16, choices=SignatureParty.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    typed_name = models.CharField(_("name typed"), max_length=200)
    signed_at = models.DateTimeField(_("signed"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file signed"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_signature_per_party_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.typed_name}"
