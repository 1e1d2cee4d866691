"""Host companies, the managers who act for them, their invitations, and internship positions.

Rules: docs/program.md §6–7 (FY2024 call): small and medium-sized enterprises by the SME Basic Act, with their
main business location in Japan; industry associations, non-profit organisations and local governments
excluded.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jip.models import CEFRLevel, JLPTLevel, ProgramCycle

from .prefectures import Prefecture


class OrganisationType(models.TextChoices):
    STOCK_COMPANY = "kabushiki_kaisha", _("Stock company (kabushiki kaisha)")
    LIMITED_COMPANY = "godo_kaisha", _("Limited liability company (godo kaisha)")
    OTHER_COMPANY = "other_company", _("Other company or partnership")
    SOLE_PROPRIETOR = "sole_proprietor", _("Sole proprietor")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    NON_PROFIT = "non_profit", _("Non-profit organisation")
    LOCAL_GOVERNMENT = "local_government", _("Local government")


# Not eligible as host companies (FY2024 call).
EXCLUDED_ORGANISATION_TYPES = frozenset(
    {OrganisationType.INDUSTRY_ASSOCIATION, OrganisationType.NON_PROFIT, OrganisationType.LOCAL_GOVERNMENT}
)


class Industry(models.TextChoices):
    """Industry groups of the SME Basic Act, Article 2."""

    MANUFACTURING_AND_OTHERS = "manufacturing", _("Manufacturing, construction, transport and others")
    WHOLESALE = "wholesale", _("Wholesale")
    SERVICES = "services", _("Services")
    RETAIL = "retail", _("Retail")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class HostCompany(models.Model):
    name_ja = models.CharField(_("legal name (Japanese)"), max_length=200)
    name_en = models.CharField(_("legal name (English)"), max_length=200)
    corporate_number = models.CharField(_("corporate number"), max_length=13, unique=True)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=24, choices=OrganisationType.choices, blank=True
    )
    industry = models.CharField(
        _("industry (SME Basic Act)"), max_length=16, choices=Industry.choices, blank=True
    )
    business_description = models.TextField(_("business"), max_length=2000, blank=True)
    capital_jpy = models.PositiveBigIntegerField(
        _("capital (yen)"), null=True, blank=True, validators=[MaxValueValidator(10**13)]
    )
    regular_employees = models.PositiveIntegerField(
        _("regular employees"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    head_office_prefecture = models.CharField(
        _("head office: prefecture"), max_length=2, choices=Prefecture.choices, blank=True
    )
    head_office_city = models.CharField(_("head office: city"), max_length=100, blank=True)
    main_business_in_japan = models.BooleanField(_("main business location is in Japan"), default=True)
    main_business_prefecture = models.CharField(
        _("main business location: prefecture"), max_length=2, choices=Prefecture.choices, blank=True
    )
    main_business_city = models.CharField(_("main business location: city"), max_length=100, blank=True)
    overseas_plans = models.TextField(_("overseas business plans"), max_length=2000, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    eligibility = models.JSONField(_("eligibility outcomes"), default=list, blank=True)
    is_eligible = models.BooleanField(_("qualifies"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True, null=True)
    history = HistoricalRecords(excluded_fields=["eligibility"])

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
    """A user who manages a host company in the company portal; a user manages one company."""

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
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="unique_company_manager"),
            models.UniqueConstraint(fields=["user"], name="one_company_per_manager"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"


class CompanyInvitation(models.Model):
    """An invitation for a colleague to manage the company: for one address, used once, until it expires."""

    company = models.ForeignKey(
        HostCompany, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("manager invitation")
        verbose_name_plural = _("manager invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class PositionCourse(models.TextChoices):
    IN_PERSON = "in_person", _("In-person internship in Japan")
    ONLINE = "online", _("Online internship")
    BOTH = "both", _("Both")


class PositionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", pgettext_lazy("position", "Withdrawn")


class Position(models.Model):
    """An internship position a host company offers in a cycle: its internship plan and what it asks."""

    company = models.ForeignKey(
        HostCompany, on_delete=models.CASCADE, related_name="positions", verbose_name=_("company")
    )
    cycle = models.ForeignKey(
        ProgramCycle, on_delete=models.PROTECT, related_name="positions", verbose_name=_("cycle")
    )
    title = models.CharField(_("title"), max_length=150)
    role_and_goals = models.TextField(_("role and goals (internship plan)"), max_length=4000)
    course = models.CharField(_("course"), max_length=16, choices=PositionCourse.choices)
    place_prefecture = models.CharField(
        _("place: prefecture"), max_length=2, choices=Prefecture.choices, blank=True
    )
    place_city = models.CharField(_("place: city"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    skills = models.TextField(_("skills needed"), max_length=2000, blank=True)
    japanese_level = models.PositiveSmallIntegerField(
        _("Japanese needed (JLPT)"), choices=JLPTLevel.choices, null=True, blank=True
    )
    english_level = models.CharField(
        _("English needed (CEFR)"), max_length=2, choices=CEFRLevel.choices, blank=True
    )
    conditions = models.TextField(_("the company's own conditions"), max_length=2000, blank=True)
    interns = models.PositiveSmallIntegerField(
        _("number of interns"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # A position offering both courses says how many of its places are online; the rest are in person.
    interns_online = models.PositiveSmallIntegerField(
        _("of which online (for both courses)"), default=0, blank=True, validators=[MaxValueValidator(20)]
    )
    mentor_name = models.CharField(_("internship manager (mentor)"), max_length=100)
    mentor_title = models.CharField(_("mentor's title"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PositionStatus.choices, default=PositionStatus.SUBMITTED
    )
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self) -> str:
        return self.title

    def places_by_course(self) -> dict[str, int]:
        """The places per course, which matching fills separately (docs/program.md §7, §10)."""
        if self.course == PositionCourse.BOTH:
            online = min(self.interns_online, self.interns)
            return {
                PositionCourse.IN_PERSON.value: self.interns - online,
                PositionCourse.ONLINE.value: online,
            }
        return {self.course: self.interns}
