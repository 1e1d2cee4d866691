"""The program-cycle core every app refers to, and the user account.

Everything year-specific is data of a `ProgramCycle`, never a constant in code (docs/program.md §1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from . import clock


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. Every sign-up is an applicant; company managers and JIP staff are roles on top."""

    username = None  # type: ignore[assignment]  # AbstractUser's field removed, as Django documents
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs expect AbstractUser's username-based manager; this one creates users by e-mail.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class CountryListCategory(models.TextChoices):
    LDC = "LDC", _("Least developed country")
    OTHER_LIC = "OTHER_LIC", _("Other low-income country")
    LMIC = "LMIC", _("Lower middle-income country or territory")
    UMIC = "UMIC", _("Upper middle-income country or territory")


class EligibleCountryList(models.Model):
    """A published list of eligible countries, e.g. the OECD DAC List of ODA Recipients (2024–2025 flows)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligible-country list")
        verbose_name_plural = _("eligible-country lists")
        ordering = ["-code"]

    def __str__(self) -> str:
        return self.name


class EligibleCountry(models.Model):
    country_list = models.ForeignKey(
        EligibleCountryList, on_delete=models.CASCADE, related_name="countries", verbose_name=_("list")
    )
    country = CountryField(_("country"))
    name_on_list = models.CharField(_("name on the list"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=CountryListCategory.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligible country")
        verbose_name_plural = _("eligible countries")
        ordering = ["name_on_list"]
        constraints = [
            models.UniqueConstraint(fields=["country_list", "country"], name="unique_country_per_list"),
        ]

    def __str__(self) -> str:
        return self.name_on_list


class JLPTLevel(models.IntegerChoices):
    """JLPT levels; N1 is the highest, so a *lower* number is a *higher* level."""

    N1 = 1, "N1"
    N2 = 2, "N2"
    N3 = 3, "N3"
    N4 = 4, "N4"
    N5 = 5, "N5"


class CEFRLevel(models.TextChoices):
    """CEFR levels in ascending order, so a level's index compares proficiency."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class ProgramCycle(models.Model):
    """One fiscal year of the program: its window, rules and schedule, all data (docs/program.md §1)."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public site.")
    )
    application_opens_on = models.DateField(_("applications open on"))
    application_deadline = models.DateField(
        _("application deadline"), help_text=_("Applications close at the end of this day, Japan time (JST).")
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), default=40)
    age_reference_date = models.DateField(
        _("age reference date"), help_text=_("Applicants' age is taken on this date.")
    )
    excluded_participation_from_fy = models.PositiveSmallIntegerField(
        _("earlier participation excluded from FY"), null=True, blank=True
    )
    excluded_participation_to_fy = models.PositiveSmallIntegerField(
        _("earlier participation excluded to FY"), null=True, blank=True
    )
    jlpt_minimum = models.PositiveSmallIntegerField(
        _("minimum JLPT level"),
        choices=JLPTLevel.choices,
        default=JLPTLevel.N3,
        help_text=_("This level or higher satisfies the Japanese-language rule."),
    )
    ielts_minimum = models.DecimalField(
        _("minimum IELTS band"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(9)],
        help_text=_("Empty: any score with a certificate shows English proficiency."),
    )
    toefl_ibt_minimum = models.PositiveSmallIntegerField(
        _("minimum TOEFL iBT score"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    toeic_minimum = models.PositiveSmallIntegerField(
        _("minimum TOEIC score"), null=True, blank=True, validators=[MaxValueValidator(990)]
    )
    cefr_minimum = models.CharField(
        _("minimum CEFR level"), max_length=2, blank=True, choices=CEFRLevel.choices
    )
    company_cap = models.PositiveIntegerField(
        _("company cap"), help_text=_("The largest number of host companies with an approved position.")
    )
    country_list = models.ForeignKey(
        EligibleCountryList, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("country list")
    )
    excluded_countries = CountryField(
        _("excluded countries"),
        multiple=True,
        blank=True,
        help_text=_("Countries on the list whose citizens this cycle does not accept."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program cycle")
        verbose_name_plural = _("program cycles")
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ja if (get_language() or "").startswith("ja") else self.name_en

    @property
    def deadline_at(self) -> dt.datetime:
        return clock.end_of_day_jst(self.application_deadline)

    @property
    def opens_at(self) -> dt.datetime:
        return dt.datetime.combine(self.application_opens_on, dt.time.min, tzinfo=clock.JST)

    def clean(self) -> None:
        errors = {}
        opens, deadline = self.application_opens_on, self.application_deadline
        if opens and deadline and deadline < opens:
            errors["application_deadline"] = _("The deadline cannot be before the window opens.")
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = _("The maximum age cannot be below the minimum age.")
        low, high = self.excluded_participation_from_fy, self.excluded_participation_to_fy
        if (low is None) != (high is None):
            errors["excluded_participation_to_fy"] = _("Give both ends of the excluded years, or neither.")
        elif low is not None and high is not None and high < low:
            errors["excluded_participation_to_fy"] = _("The last excluded year cannot be before the first.")
        if errors:
            raise ValidationError(errors)


class CourseKind(models.TextChoices):
    IN_PERSON = "in_person", _("In-person internship in Japan")
    ONLINE = "online", _("Online internship")


class Course(models.Model):
    """A course the cycle offers, with its activity-support rate (FY2024: ¥3,000/day in person)."""

    cycle = models.ForeignKey(
        ProgramCycle, on_delete=models.CASCADE, related_name="courses", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CourseKind.choices)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    support_rate_jpy_per_day = models.PositiveIntegerField(
        _("activity support (yen per day)"), validators=[MaxValueValidator(1_000_000)]
    )
    paid_in_local_currency = models.BooleanField(
        _("paid in local currency"),
        default=False,
        help_text=_("Paid as the equivalent of the yen rate in the intern's local currency."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["cycle", "kind"]
        constraints = [models.UniqueConstraint(fields=["cycle", "kind"], name="unique_course_kind_per_cycle")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.cycle.fiscal_year})"

    @property
    def description(self) -> str:
        return self.description_ja if (get_language() or "").startswith("ja") else self.description_en


class CourseTerm(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="terms", verbose_name=_("course")
    )
    number = models.PositiveSmallIntegerField(_("term number"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    activity_days = models.PositiveSmallIntegerField(_("activity days"), null=True, blank=True)
    hours_per_day = models.PositiveSmallIntegerField(
        _("hours per day"), null=True, blank=True, validators=[MaxValueValidator(24)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course term")
        verbose_name_plural = _("course terms")
        ordering = ["course", "number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="unique_term_number")]

    def __str__(self) -> str:
        return f"{self.course} — {self.number}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A term cannot end before it starts.")})


class MilestoneKind(models.TextChoices):
    INFORMATION_SESSION = "information_session", _("Information session")
    APPLICATION_DEADLINE = "application_deadline", _("Application deadline")
    SCREENING = "screening", _("Screening")
    INTERVIEWS = "interviews", _("Interviews")
    RESULTS = "results", _("Results")
    PRE_TRAINING = "pre_training", _("Pre-training")
    INTERNSHIP = "internship", _("Internship")
    FOLLOW_UP_TRAINING = "follow_up_training", _("Follow-up training")
    WRAP_UP_PRESENTATION = "wrap_up_presentation", _("Wrap-up presentation")


class Milestone(models.Model):
    """A step of the cycle's schedule; dates not yet announced stay empty."""

    cycle = models.ForeignKey(
        ProgramCycle, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=MilestoneKind.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_ja = models.CharField(_("note (Japanese)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["cycle", "order", "starts_on"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def note(self) -> str:
        return self.note_ja if (get_language() or "").startswith("ja") else self.note_en

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A milestone cannot end before it starts.")})


class AuditEntry(models.Model):
    """One state change made through a service: who did what to which record, and why."""

    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("record type"), max_length=64)
    target_id = models.CharField(_("record id"), max_length=64)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"
