"""Host companies and the managers who act for them (PROGRAM.md §5).

The foundation keeps only what the company-manager role needs; registration, SME eligibility and
positions arrive with the companies issue.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HostCompany(models.Model):
    name_ja = models.CharField(_("legal name (Japanese)"), max_length=200)
    name_en = models.CharField(_("legal name (English)"), max_length=200)
    corporate_number = models.CharField(_("corporate number"), max_length=13, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("host company")
        verbose_name_plural = _("host companies")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ja if (get_language() or "").startswith("ja") else self.name_en


class CompanyManager(models.Model):
    """A user who manages a host company in the company portal."""

    company = models.ForeignKey(
        HostCompany, on_delete=models.CASCADE, related_name="managers", verbose_name=_("company")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_memberships",
        verbose_name=_("user"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company manager")
        verbose_name_plural = _("company managers")
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="unique_company_manager")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"
