"""The internship of a placement: what follows once matching has made the placement final (docs/program.md
§10–15). The placement itself is matching's (`matching.models.Placement`); its internship starts with it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from matching.models import Placement


class InternshipStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


class Internship(models.Model):
    """The internship of a final placement: its term, its mentor and where it stands."""

    placement = models.OneToOneField(
        Placement, on_delete=models.PROTECT, related_name="internship", verbose_name=_("placement")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    mentor_name = models.CharField(_("internship manager (mentor)"), max_length=100, blank=True)
    mentor_title = models.CharField(_("mentor's title"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=InternshipStatus.choices, default=InternshipStatus.PREPARING
    )
    ended_reason = models.TextField(_("why it ended early"), max_length=2000, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.placement)
