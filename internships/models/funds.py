"""Activity-support funds (docs/funds.md; docs/program.md §14): what varies by cycle, the exchange rates and
each intern's payout currency, all data edited in the admin and audited.

The rate per course in yen per day is the cycle's `Course.support_rate_jpy_per_day` (jip.models), and
whether a course is paid in the intern's local currency is `Course.paid_in_local_currency`: not repeated here.
Currencies are ISO 4217 codes; how many decimals each is paid to (its minor unit) comes from CLDR through
Babel, never from a list kept here.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import is_currency
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jip.models import ProgramCycle

from .placements import Internship

YEN = "JPY"


def validate_currency(code: str) -> None:
    """An ISO 4217 code CLDR knows (Babel's data), in capitals."""
    if not code or code != code.upper() or not is_currency(code):
        raise ValidationError(_("%(code)s is not an ISO 4217 currency code."), params={"code": code})


class StatementPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    TERM = "term", _("Whole term")


class Rounding(models.TextChoices):
    """How an amount in the payout currency is rounded, once, to the currency's minor unit."""

    HALF_UP = "half_up", _("Half up (0.5 goes up)")
    HALF_EVEN = "half_even", _("Half to even")
    DOWN = "down", _("Down (truncate)")


class FundSettings(models.Model):
    """The cycle's rules for activity-support statements; a cycle without its row has the defaults."""

    cycle = models.OneToOneField(
        ProgramCycle, on_delete=models.CASCADE, related_name="fund_settings", verbose_name=_("cycle")
    )
    statement_period = models.CharField(
        _("statement period"),
        max_length=16,
        choices=StatementPeriod.choices,
        default=StatementPeriod.MONTHLY,
        help_text=_("One statement per intern per calendar month, or one for the whole term."),
    )
    rounding = models.CharField(
        _("rounding"), max_length=16, choices=Rounding.choices, default=Rounding.HALF_UP,
        help_text=_("Applied once, to the payout currency's minor unit, when yen are converted."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity-support settings")
        verbose_name_plural = _("activity-support settings")

    def __str__(self) -> str:
        return str(self.cycle)


class ExchangeRate(models.Model):
    """How many yen one unit of a currency is worth for a month (the Ministry of Finance publishes monthly
    reference rates in this form: 1 USD = 151.23 yen)."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    month = models.DateField(_("month"), help_text=_("The first day of the month the rate holds for."))
    yen_per_unit = models.DecimalField(
        _("yen per unit"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("How many yen one unit of the currency is worth (1 USD = 151.23 yen: 151.23)."),
    )
    source = models.CharField(
        _("source"), max_length=200, help_text=_("Where the rate comes from, e.g. the Ministry of Finance's "
                                                 "reference rate for the month.")
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "month"], name="one_exchange_rate_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="exchange_rate_month_first_day"),
            models.CheckConstraint(condition=Q(yen_per_unit__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%Y-%m}: {self.yen_per_unit}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("Give the first day of the month.")})
        if self.currency == YEN:
            raise ValidationError({"currency": _("Yen need no exchange rate.")})


class PayoutCurrency(models.Model):
    """The currency an intern is paid in: yen for in-person interns paid in Japan, the local currency for
    online interns (docs/program.md §14)."""

    internship = models.OneToOneField(
        Internship, on_delete=models.CASCADE, related_name="payout_currency", verbose_name=_("internship")
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payout currency")
        verbose_name_plural = _("payout currencies")

    def __str__(self) -> str:
        return f"{self.internship}: {self.currency}"


class StatementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    EXPORTED = "exported", _("Exported for payment")
    PAID = "paid", _("Paid")


class StatementKind(models.TextChoices):
    REGULAR = "regular", _("Statement")
    SUPPLEMENTARY = "supplementary", _("Supplementary statement")


class Statement(models.Model):
    """An intern's activity-support statement for a period: its lines and totals, frozen once confirmed
    (docs/funds.md). A day approved after its period's statement was confirmed goes on a supplementary
    statement; a confirmed statement is never recomputed or edited."""

    internship = models.ForeignKey(
        Internship, on_delete=models.PROTECT, related_name="fund_statements", verbose_name=_("internship")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=StatementKind.choices, default=StatementKind.REGULAR
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = models.CharField(
        _("state"), max_length=16, choices=StatementState.choices, default=StatementState.DRAFT
    )
    # The sum, as computed (internships.funds) and frozen at confirmation.
    yen_per_day = models.PositiveIntegerField(_("rate (yen per day)"))
    counted_days = models.PositiveSmallIntegerField(_("days counted"))
    yen_total = models.PositiveIntegerField(_("total (yen)"))
    currency = models.CharField(_("payout currency"), max_length=3, validators=[validate_currency])
    minor_digits = models.PositiveSmallIntegerField(_("decimals of the currency"))
    rounding = models.CharField(_("rounding"), max_length=16, choices=Rounding.choices)
    rate_yen_per_unit = models.DecimalField(
        _("exchange rate (yen per unit)"), max_digits=18, decimal_places=8, null=True, blank=True
    )
    rate_month = models.DateField(_("exchange rate's month"), null=True, blank=True)
    rate_source = models.CharField(_("exchange rate's source"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=4)
    computed_at = models.DateTimeField(_("computed"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("activity-support statement")
        verbose_name_plural = _("activity-support statements")
        ordering = ["internship", "period_start", "pk"]
        constraints = [
            # One regular statement per intern and period: a second generation finds it.
            models.UniqueConstraint(
                fields=["internship", "period_start", "period_end"],
                condition=Q(kind="regular"),
                name="one_regular_statement_per_period",
            ),
            # At most one supplementary statement waits in draft per intern and period.
            models.UniqueConstraint(
                fields=["internship", "period_start", "period_end"],
                condition=Q(kind="supplementary", state="draft"),
                name="one_draft_supplement_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="statement_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def is_frozen(self) -> bool:
        return self.state != StatementState.DRAFT


class StatementLine(models.Model):
    """One day of a statement, as a code (`internships.funds.DayReason`) and the names it needs in both
    languages, so the statement renders in its reader's language."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("statement")
    )
    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=20)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "day"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "day"], name="one_line_per_statement_day")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.reason}"
