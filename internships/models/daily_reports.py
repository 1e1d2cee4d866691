"""Daily reports (日報) during the internship, the days they are for, and the office's follow-up
(docs/daily-reports.md; docs/program.md, "During the internship").

The intern writes one report per activity day; the host company approves it or returns it with a comment;
the office watches compliance, records the mid-term interview (中間面談) and may reopen, correct or
approve a day on the company's behalf. What varies by cycle (the late-writing limit, the reminder time, how
long a report may wait for the company, the closure days) is data here, edited in the admin.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models import HostCompany
from jip.models import ProgramCycle

from .placements import Internship


class DailyReportSettings(models.Model):
    """The cycle's rules for daily reports; a cycle without a row uses the defaults of these fields."""

    cycle = models.OneToOneField(
        ProgramCycle, on_delete=models.CASCADE, related_name="daily_report_settings", verbose_name=_("cycle")
    )
    late_limit_days = models.PositiveSmallIntegerField(
        _("late-writing limit (days)"),
        default=3,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "An intern may write a missed day up to this many days after it; later, only the JIP office can "
            "reopen the day."
        ),
    )
    reminder_time = models.TimeField(
        _("intern reminder time"),
        default=dt.time(18, 0),
        help_text=_(
            "On an activity day with no report submitted, the intern is reminded at this time in their own "
            "time zone."
        ),
    )
    company_waiting_days = models.PositiveSmallIntegerField(
        _("company waiting limit (working days)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("The host company is reminded of a report that has waited longer than this."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("daily-report settings")
        verbose_name_plural = _("daily-report settings")

    def __str__(self) -> str:
        return str(self.cycle)


class ClosurePeriod(models.Model):
    """Days on which no report is expected: the JIP office's for every intern of the cycle (e.g. 29 December –
    3 January), or one host company's own (e.g. Obon)."""

    cycle = models.ForeignKey(
        ProgramCycle, on_delete=models.CASCADE, related_name="closure_periods", verbose_name=_("cycle")
    )
    company = models.ForeignKey(
        HostCompany, on_delete=models.CASCADE, null=True, blank=True, related_name="closure_periods",
        verbose_name=_("host company"), help_text=_("Empty: the JIP office's closure, for every intern."),
    )  # fmt: skip
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure period")
        verbose_name_plural = _("closure periods")
        ordering = ["cycle", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ja if (get_language() or "").startswith("ja") else self.name_en

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A closure cannot end before it starts.")})


class ExtraActivityDay(models.Model):
    """A day outside the usual ones (a Saturday event) on which the intern works and writes a report."""

    internship = models.ForeignKey(
        Internship, on_delete=models.CASCADE, related_name="extra_days", verbose_name=_("internship")
    )
    day = models.DateField(_("day"))
    note = models.CharField(_("what happens that day"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("extra activity day")
        verbose_name_plural = _("extra activity days")
        ordering = ["internship", "day"]
        constraints = [
            models.UniqueConstraint(fields=["internship", "day"], name="one_extra_day_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.note}"


class DailyReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class WorkMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


HALF_HOUR = Decimal("0.5")
MAX_HOURS = Decimal(12)  # a report counts hours in half hours, up to a long day


class DailyReport(models.Model):
    """The intern's report of one activity day, on the intern's local date. Approved, it is locked."""

    internship = models.ForeignKey(
        Internship, on_delete=models.PROTECT, related_name="daily_reports", verbose_name=_("internship")
    )
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=16, choices=DailyReportStatus.choices, default=DailyReportStatus.DRAFT
    )
    hours = models.DecimalField(
        _("hours"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(HALF_HOUR), MaxValueValidator(MAX_HOURS)],
    )  # fmt: skip
    mode = models.CharField(_("worked"), max_length=16, choices=WorkMode.choices, blank=True)
    activities = models.TextField(_("what I did"), max_length=4000, blank=True)
    learned = models.TextField(_("what I learned"), max_length=4000, blank=True)
    questions = models.TextField(_("questions or problems"), max_length=4000, blank=True)
    next_plan = models.TextField(_("plan for the next day"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    is_late = models.BooleanField(
        _("written late"), default=False, help_text=_("First submitted after its day, in the intern's time.")
    )
    company_comment = models.TextField(_("comment of the host company"), max_length=4000, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip
    approved_on_behalf = models.BooleanField(
        _("approved by the JIP office"), default=False, help_text=_("Approved on the host company's behalf.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["internship", "day"]
        constraints = [
            models.UniqueConstraint(fields=["internship", "day"], name="one_daily_report_per_day"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="daily_report_waiting")]

    def __str__(self) -> str:
        return f"{self.internship} · {self.day}"

    @property
    def is_locked(self) -> bool:
        return self.status == DailyReportStatus.APPROVED


class DayReopening(models.Model):
    """The JIP office lets the intern write a day past the late-writing limit, until a given day."""

    internship = models.ForeignKey(
        Internship, on_delete=models.CASCADE, related_name="reopened_days", verbose_name=_("internship")
    )
    day = models.DateField(_("day"))
    writable_until = models.DateField(_("writable until"))
    reason = models.TextField(_("reason"), max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("reopened"), auto_now=True)

    class Meta:
        verbose_name = _("reopened day")
        verbose_name_plural = _("reopened days")
        ordering = ["internship", "day"]
        constraints = [
            models.UniqueConstraint(fields=["internship", "day"], name="one_reopening_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.internship} · {self.day}"


class MidTermInterview(models.Model):
    """The office's mid-term interview (中間面談) with an intern; a concern stays open until it is closed."""

    internship = models.ForeignKey(
        Internship, on_delete=models.PROTECT, related_name="mid_term_interviews", verbose_name=_("internship")
    )
    held_on = models.DateField(_("held on"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    notes = models.TextField(_("notes"), max_length=8000, blank=True)
    has_concern = models.BooleanField(_("concern"), default=False)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    concern_closed_on = models.DateField(
        _("concern closed on"), null=True, blank=True, help_text=_("Empty while the concern is open.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mid-term interview")
        verbose_name_plural = _("mid-term interviews")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.internship} · {self.held_on}"

    @property
    def concern_is_open(self) -> bool:
        return self.has_concern and self.concern_closed_on is None


class ReminderKind(models.TextChoices):
    INTERN = "intern", _("Intern: today's report")
    COMPANY = "company", _("Host company: a report waiting")
    OFFICE = "office", _("JIP office: weekly digest")


class DailyReportReminder(models.Model):
    """A reminder that went out, written before its mail under a unique constraint, so overlapping runs of
    the schedule send nothing twice: an intern's once per day, a company's once per report, the office's
    digest once per cycle and week."""

    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    internship = models.ForeignKey(
        Internship, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    cycle = models.ForeignKey(ProgramCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    day = models.DateField(_("day"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily-report reminder")
        verbose_name_plural = _("daily-report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "day"], condition=Q(kind="intern"), name="one_intern_reminder_per_day"
            ),
            models.UniqueConstraint(
                fields=["report"], condition=Q(kind="company"), name="one_company_reminder_per_report"
            ),
            models.UniqueConstraint(
                fields=["cycle", "day"], condition=Q(kind="office"), name="one_office_digest_per_week"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.day or self.report_id}"
