"""Referrals, interviews, preferences and matching rounds (docs/program.md §8–10).

The office refers applicants from the pool to positions; companies interview and rank the candidates
referred to them; applicants rank the positions they interviewed for; the office runs a matching round
(applicant-proposing deferred acceptance), the screening committee approves it, the office publishes it,
and each match becomes a placement when both sides accept.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from applicants.models import Application
from companies.models import Position
from jip.models import CourseKind, ProgramCycle


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral", "Withdrawn by the office")
    DECLINED = "declined", pgettext_lazy("referral", "Declined by the applicant")


class Referral(models.Model):
    """The office proposes an applicant from the pool to a position; from here on the company sees them."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("application")
    )
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("position")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    fit = models.JSONField(_("fit"), default=list, blank=True)
    fits = models.BooleanField(_("fits"), default=True)
    note = models.TextField(_("note from the office"), max_length=2000, blank=True)
    status_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("referred by"),
    )  # fmt: skip
    referred_at = models.DateTimeField(_("referred"), auto_now_add=True)
    # Preferences: 1 is the first choice; empty means "not ranked" (the pair cannot be matched).
    company_rank = models.PositiveSmallIntegerField(
        _("company's rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    applicant_rank = models.PositiveSmallIntegerField(
        _("applicant's rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    company_note = models.TextField(_("company's note"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="one_referral_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.position}"


class ScoreCriterion(models.TextChoices):
    SKILLS = "skills", _("Skills and experience")
    LANGUAGE = "language", _("Language")
    MOTIVATION = "motivation", _("Motivation")
    FIT = "fit", _("Fit with the internship plan")


class CandidateScore(models.Model):
    """A company's score of a referred candidate on one criterion, 1 (weak) to 5 (strong)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=16, choices=ScoreCriterion.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(_("scored"), auto_now=True)

    class Meta:
        verbose_name = _("candidate score")
        verbose_name_plural = _("candidate scores")
        constraints = [
            models.UniqueConstraint(fields=["referral", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.score}"


class InterviewMode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")


class InterviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Slots proposed")
    SCHEDULED = "scheduled", _("Scheduled")
    DECLINED = "declined", pgettext_lazy("interview", "Declined by the applicant")
    COMPLETED = "completed", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class InterviewOutcome(models.TextChoices):
    WOULD_HOST = "would_host", _("Would host")
    WOULD_NOT_HOST = "would_not_host", _("Would not host")
    NO_SHOW = "no_show", _("Did not attend")


class Interview(models.Model):
    """A company's interview with a referred candidate: slots proposed, one chosen, an outcome recorded."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="interview")
    mode = models.CharField(_("online or on site"), max_length=16, choices=InterviewMode.choices)
    place = models.CharField(
        _("place or meeting link"), max_length=300, blank=True,
        help_text=_("The address on site, or the link of the online meeting."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=InterviewStatus.choices, default=InterviewStatus.PROPOSED
    )
    chosen_slot = models.ForeignKey(
        "InterviewSlot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("chosen slot"),
    )  # fmt: skip
    outcome = models.CharField(_("outcome"), max_length=16, choices=InterviewOutcome.choices, blank=True)
    outcome_note = models.TextField(_("notes"), max_length=4000, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return str(self.referral)


class InterviewSlot(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(10), MaxValueValidator(240)]
    )

    class Meta:
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.starts_at.isoformat()


class PairConstraintKind(models.TextChoices):
    LOCK = "lock", _("Locked: always match this pair")
    EXCLUDE = "exclude", _("Excluded: never match this pair")


class PairConstraint(models.Model):
    """A pair the office fixes by hand before running a round again."""

    cycle = models.ForeignKey(ProgramCycle, on_delete=models.CASCADE, related_name="pair_constraints")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pair_constraints")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="pair_constraints")
    kind = models.CharField(_("kind"), max_length=16, choices=PairConstraintKind.choices)
    course = models.CharField(
        _("course"), max_length=16, choices=CourseKind.choices, blank=True,
        help_text=_("For a locked pair: the course of the place. Empty: the applicant's preferred course."),
    )  # fmt: skip
    reason = models.TextField(_("reason"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fixed pair")
        verbose_name_plural = _("fixed pairs")
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="one_constraint_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.application} / {self.position}"


class RoundStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved by the screening committee")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")


class MatchingRound(models.Model):
    """One run of the matching engine over the cycle's preferences, kept as a proposal until published."""

    cycle = models.ForeignKey(ProgramCycle, on_delete=models.PROTECT, related_name="matching_rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PROPOSED
    )
    # Messages, stability check, figures and the reasons of unmatched applicants, as the run left them.
    report = models.JSONField(_("report"), default=dict, blank=True)
    is_stable = models.BooleanField(_("stable"), default=False)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    run_at = models.DateTimeField(_("run"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    committee_note = models.TextField(_("screening committee's decision"), max_length=4000, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")
        ordering = ["-cycle__fiscal_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="one_round_number_per_cycle"),
        ]

    def __str__(self) -> str:
        return _("%(cycle)s, round %(number)s") % {"cycle": self.cycle, "number": self.number}


class MatchDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Match(models.Model):
    """A pair the round proposes; it becomes a placement when applicant and company both accept."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="matches")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="matches")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="matches")
    course = models.CharField(_("course"), max_length=16, choices=CourseKind.choices)
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    applicant_rank = models.PositiveSmallIntegerField(_("applicant's rank"), null=True, blank=True)
    company_rank = models.PositiveSmallIntegerField(_("company's rank"), null=True, blank=True)
    locked = models.BooleanField(_("locked by the office"), default=False)
    explanation = models.JSONField(_("why"), default=list, blank=True)
    applicant_decision = models.CharField(
        _("applicant's answer"), max_length=16, choices=MatchDecision.choices, default=MatchDecision.PENDING
    )
    applicant_decided_at = models.DateTimeField(_("applicant answered"), null=True, blank=True)
    company_decision = models.CharField(
        _("company's answer"), max_length=16, choices=MatchDecision.choices, default=MatchDecision.PENDING
    )
    company_decided_at = models.DateTimeField(_("company answered"), null=True, blank=True)
    company_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["round", "position_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"], name="one_match_per_applicant_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} ↔ {self.position}"


class Placement(models.Model):
    """A match both sides accepted: final by mutual agreement (docs/program.md §10). One per application.

    Matching ends here; what follows (the internship, its agreements and preparation) is internships', which
    starts it on `matching.signals.placement_created`. The table keeps the name it had in internships.
    """

    match = models.OneToOneField(
        Match, on_delete=models.PROTECT, related_name="placement", verbose_name=_("match")
    )
    cycle = models.ForeignKey(
        ProgramCycle, on_delete=models.PROTECT, related_name="placements", verbose_name=_("cycle")
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="placement", verbose_name=_("application")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="placements", verbose_name=_("position")
    )
    course = models.CharField(_("course"), max_length=16, choices=CourseKind.choices)
    created_at = models.DateTimeField(_("final since"), auto_now_add=True)
    history = HistoricalRecords(table_name="internships_historicalplacement")

    class Meta:
        db_table = "internships_placement"
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} → {self.position}"
