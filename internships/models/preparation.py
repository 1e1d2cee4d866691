"""Preparing the internship: the program's events and each intern's logistics (docs/program.md §12)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jip.models import CourseKind, CourseTerm, ProgramCycle

from .placements import Internship


class EventKind(models.TextChoices):
    PRE_TRAINING = "pre_training", _("Pre-training")
    KICK_OFF = "kick_off", _("Kick-off")
    MID_TERM_INTERVIEW = "mid_term_interview", _("Mid-term interview")
    FOLLOW_UP_TRAINING = "follow_up_training", _("Follow-up training")
    WRAP_UP_PRESENTATION = "wrap_up_presentation", _("Wrap-up presentation")


class ProgramEvent(models.Model):
    """An event of the cycle's schedule, for one course or (course empty) for every intern; an event of one
    term of a course (a kick-off, a mid-term interview) is for the interns whose internship falls in it."""

    cycle = models.ForeignKey(
        ProgramCycle, on_delete=models.PROTECT, related_name="events", verbose_name=_("cycle")
    )
    course = models.CharField(_("course"), max_length=16, choices=CourseKind.choices, blank=True)
    term = models.ForeignKey(
        CourseTerm, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        verbose_name=_("term"), help_text=_("Only for the interns of this term of the course."),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place or meeting link"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program event")
        verbose_name_plural = _("program events")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        """The event's name in the active language: its kind, its term, and the title staff gave it."""
        text = str(self.get_kind_display())
        term = self.term  # no query when the event has no term
        if term is not None:
            text += " · " + gettext("term %(number)s") % {"number": term.number}
        return f"{text}: {self.title}" if self.title else text

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("An event must end after it starts.")
        term = self.term
        if term is not None:
            if not self.course or term.course.kind != self.course:
                errors["term"] = _("Choose the course of this term.")
            elif self.cycle_id is not None and term.course.cycle_id != self.cycle_id:
                errors["term"] = _("This term belongs to another cycle.")
        if errors:
            raise ValidationError(errors)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    event = models.ForeignKey(ProgramEvent, on_delete=models.CASCADE, related_name="attendances")
    internship = models.ForeignKey(Internship, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "internship"], name="one_attendance_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_status_display()}"


class LogisticsKind(models.TextChoices):
    VISA = "visa", _("Visa support")
    FLIGHTS = "flights", _("Round-trip flights")
    ACCOMMODATION = "accommodation", _("Accommodation")
    INSURANCE = "insurance", _("Internship insurance")
    PC = "pc", _("PC")


class LogisticsStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
    NOT_NEEDED = "not_needed", _("Not needed")


class LogisticsItem(models.Model):
    """One item of an intern's preparation checklist."""

    internship = models.ForeignKey(Internship, on_delete=models.CASCADE, related_name="logistics")
    kind = models.CharField(_("item"), max_length=16, choices=LogisticsKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=LogisticsStatus.choices, default=LogisticsStatus.TO_DO
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    requested_at = models.DateTimeField(_("requested by the intern"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("logistics item")
        verbose_name_plural = _("logistics items")
        ordering = ["internship", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["internship", "kind"], name="one_item_of_a_kind_per_internship"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"
