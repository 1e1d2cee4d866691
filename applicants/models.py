"""The applicant's application (entry) for a cycle, its documents, eligibility outcomes and reminders.

Rules: docs/program.md §3–5. An application is complete only when submitted; drafts are kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from jip.models import CEFRLevel, JLPTLevel, ProgramCycle


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
    OFFICE_INTERVIEW = "office_interview", _("Office interview")
    POOL = "pool", _("In the pool (ready to refer)")
    REJECTED = "rejected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EducationStatus(models.TextChoices):
    STUDENT = "student", _("Student")
    GRADUATE = "graduate", _("Graduate")


class Degree(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")
    OTHER = "other", _("Other higher education")


class EnglishEvidence(models.TextChoices):
    NONE = "none", _("None")
    IELTS = "ielts", _("IELTS")
    TOEFL_IBT = "toefl_ibt", _("TOEFL iBT")
    TOEIC = "toeic", _("TOEIC")
    CEFR = "cefr", _("CEFR level")
    NATIVE = "native", _("Native speaker of English")
    STUDIED_IN_ENGLISH = "studied_in_english", _("Studied in English")


class CoursePreference(models.TextChoices):
    IN_PERSON = "in_person", _("In-person internship in Japan")
    ONLINE = "online", _("Online internship")
    BOTH = "both", _("Both (either course)")


class Application(models.Model):
    """One applicant's entry for one cycle: a draft until submitted, then screened by the office."""

    cycle = models.ForeignKey(
        ProgramCycle, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cycle")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    number = models.CharField(_("application number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    steps_done = models.JSONField(_("steps completed"), default=list, blank=True)

    # Personal details
    family_name = models.CharField(_("family name (Latin letters)"), max_length=100, blank=True)
    given_names = models.CharField(_("given names (Latin letters)"), max_length=150, blank=True)
    name_ja = models.CharField(_("name in Japanese (optional)"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    residence_country = CountryField(_("country of residence"), blank=True)
    phone = models.CharField(_("phone (with country code)"), max_length=32, blank=True)
    city = models.CharField(_("city of residence"), max_length=100, blank=True)

    # Education
    education_status = models.CharField(
        _("student or graduate"), max_length=16, choices=EducationStatus.choices, blank=True
    )
    institution = models.CharField(_("university or institution"), max_length=200, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=150, blank=True)
    degree = models.CharField(_("degree"), max_length=16, choices=Degree.choices, blank=True)
    graduation_date = models.DateField(_("graduation date (or expected)"), null=True, blank=True)

    # Languages
    jlpt_level = models.PositiveSmallIntegerField(
        _("JLPT level"), choices=JLPTLevel.choices, null=True, blank=True
    )
    english_evidence = models.CharField(
        _("English proficiency"), max_length=24, choices=EnglishEvidence.choices, blank=True
    )
    english_score = models.DecimalField(
        _("English test score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(990)],
    )
    cefr_level = models.CharField(_("CEFR level"), max_length=2, choices=CEFRLevel.choices, blank=True)

    # Course
    course_preference = models.CharField(
        _("course"), max_length=16, choices=CoursePreference.choices, blank=True
    )

    # Motivation and skills
    motivation = models.TextField(_("motivation"), max_length=4000, blank=True)
    skills = models.TextField(_("skills and experience"), max_length=4000, blank=True)

    # Declarations
    participated_before = models.BooleanField(_("took part in the program before"), null=True, blank=True)
    participated_fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year of earlier participation"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    agrees_with_purpose = models.BooleanField(_("agrees with the program's purpose"), default=False)
    can_dedicate = models.BooleanField(_("can dedicate themselves to the program"), default=False)
    follows_timetable = models.BooleanField(_("can follow the office's timetable"), default=False)
    can_submit_documents = models.BooleanField(
        _("can submit the certificates and the recommendation letter"), default=False
    )
    information_is_true = models.BooleanField(_("declares the information true"), default=False)

    # Eligibility, as last evaluated (and frozen at submission)
    eligibility = models.JSONField(_("eligibility outcomes"), default=list, blank=True)
    is_eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    age_waived = models.BooleanField(_("age rule waived"), default=False)
    age_waiver_reason = models.TextField(_("reason for waiving the age rule"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "eligibility"])

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "applicant"], name="one_application_per_cycle"),
        ]
        indexes = [
            models.Index(fields=["cycle", "status"]),
            models.Index(fields=["family_name"]),
            # The office's list: newest submissions first, a page at a time. On PostgreSQL the index is
            # made NULLS LAST, as the admin orders (migration 0003; SQLite has no such index).
            models.Index(fields=["-submitted_at", "-id"], name="application_newest_first"),
        ]

    def __str__(self) -> str:
        name = f"{self.family_name} {self.given_names}".strip() or self.applicant.email
        return f"{self.number or _('draft')} — {name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV (curriculum vitae)")
    ENROLLMENT_OR_GRADUATION = "certificate", _("Certificate of enrollment or graduation")
    RECOMMENDATION = "recommendation", _("Recommendation letter")
    LANGUAGE_CERTIFICATE = "language", _("Language certificate")
    QUALIFICATION = "qualification", _("Qualification certificate")


class DocumentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    UPLOADED = "uploaded", _("Uploaded, awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Please send again")


def document_upload_to(instance: Document, filename: str) -> str:
    # The stored name is ours; the applicant's file name is kept only as text.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class Document(models.Model):
    """A document the office asked for, and the file the applicant sent."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.REQUESTED
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=32, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    uploaded_at = models.DateTimeField(_("uploaded"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_document_per_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReminderSent(models.Model):
    """A deadline reminder that went out: one row per application and day, so none goes twice."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("application")
    )
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(fields=["application", "days_before"], name="one_reminder_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} −{self.days_before}d"
