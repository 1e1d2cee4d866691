"""Changes of the activity-support funds (docs/funds.md; docs/program.md §14), each in one function, in a
transaction, audited: the cycle's settings, exchange rates and payout currencies as the office enters them;
the statements' generation and their states draft → confirmed → exported → paid.

A confirmed statement is frozen: never recomputed, never edited. A day approved after its period's statement
was confirmed goes on a supplementary statement of the same period. Generating a cycle twice creates nothing
twice: a draft is brought up to date, a frozen statement is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jip import clock
from jip.audit import audit_record
from jip.models import ProgramCycle, User
from jip.tasks import task_enqueue

from ..funds import Computation, ExchangeRateMissing, compute, statement_lines, statement_periods
from ..models import (
    ExchangeRate,
    FundSettings,
    Internship,
    PayoutCurrency,
    Statement,
    StatementKind,
    StatementLine,
    StatementState,
)
from ..selectors import daily_reports as report_selectors
from ..selectors import funds as selectors

S = StatementState


def _history_by(obj, by: User | None, reason: str) -> None:
    obj._change_reason = reason
    if by is not None and by.is_authenticated:
        obj._history_user = by


# --- What the office enters -----------------------------------------------------------------------------


@transaction.atomic
def fund_settings_save(*, settings: FundSettings, by: User | None) -> FundSettings:
    """The cycle's statement period and rounding rule, as the office sets them."""
    settings.full_clean()
    _history_by(settings, by, "created" if settings.pk is None else "changed")
    settings.save()
    audit_record(
        actor=by, action="funds.settings", target=settings,
        data={"cycle": settings.cycle_id, "statement_period": settings.statement_period,
              "rounding": settings.rounding},
    )  # fmt: skip
    return settings


@transaction.atomic
def exchange_rate_save(*, rate: ExchangeRate, by: User | None) -> ExchangeRate:
    """A month's exchange rate of a currency, with its source. A statement copies the rate it used, so a
    later change touches no confirmed statement (a draft takes it at its next generation)."""
    rate.full_clean()
    created = rate.pk is None
    _history_by(rate, by, "created" if created else "changed")
    rate.save()
    audit_record(
        actor=by, action="funds.exchange_rate." + ("created" if created else "changed"), target=rate,
        data={"currency": rate.currency, "month": rate.month.isoformat(),
              "yen_per_unit": str(rate.yen_per_unit), "source": rate.source},
    )  # fmt: skip
    return rate


@transaction.atomic
def payout_currency_save(*, payout: PayoutCurrency, by: User | None) -> PayoutCurrency:
    """The currency an intern is paid in, when the office sets it (otherwise: yen for a course paid in yen,
    the currency of the intern's country for a course paid in local currency)."""
    payout.full_clean()
    _history_by(payout, by, "created" if payout.pk is None else "changed")
    payout.save()
    audit_record(
        actor=by, action="funds.payout_currency", target=payout,
        data={"internship": payout.internship_id, "currency": payout.currency},
    )  # fmt: skip
    return payout


# --- Generation -----------------------------------------------------------------------------------------


class Outcome:
    CREATED = "created"
    SUPPLEMENT = "supplement"  # a supplementary statement created
    UPDATED = "updated"  # a draft brought up to date
    UNCHANGED = "unchanged"
    NO_RATE = "no_rate"  # the month's exchange rate of the payout currency is missing
    NO_CURRENCY = "no_currency"  # the intern's payout currency is not known
    NO_COURSE = "no_course"  # the cycle has no course of the intern's kind


def _fields(result: Computation) -> dict:
    quote = result.quote
    return {
        "yen_per_day": result.yen_per_day,
        "counted_days": result.counted_days,
        "yen_total": result.yen_total,
        "currency": result.currency,
        "minor_digits": result.minor_digits,
        "rounding": result.rounding,
        "rate_yen_per_unit": quote.yen_per_unit if quote else None,
        "rate_month": quote.month if quote else None,
        "rate_source": quote.source if quote else "",
        "amount": result.amount,
    }


def _same(statement: Statement, result: Computation) -> bool:
    stored = [(line.day, line.reason, line.name_en, line.name_ja) for line in statement.lines.order_by("day")]
    computed = [(line.day, str(line.reason), line.name_en, line.name_ja) for line in result.lines]
    return stored == computed and all(getattr(statement, k) == v for k, v in _fields(result).items())


def _write(statement: Statement, result: Computation) -> Statement:
    for name, value in _fields(result).items():
        setattr(statement, name, value)
    statement.computed_at = clock.now()
    statement.save()
    statement.lines.all().delete()
    StatementLine.objects.bulk_create(
        StatementLine(statement=statement, day=line.day, reason=str(line.reason), name_en=line.name_en,
                      name_ja=line.name_ja)
        for line in result.lines
    )  # fmt: skip
    return statement


@transaction.atomic
def statement_generate(
    *, internship: Internship, start: dt.date, end: dt.date, by: User | None = None
) -> tuple[str, Statement | None]:
    """Makes or brings up to date the intern's statement of one period (docs/funds.md):

    - no statement yet: a draft with every approved day of the period;
    - a draft: recomputed (it is not frozen);
    - frozen statements only: a supplementary draft if days were approved since, with those days only.

    Counted are the days approved (activity_days_for) inside the term, at the course's rate in yen a day
    (docs/program.md §14), converted at the payout currency's rate for the month the period ends in."""
    Internship.objects.select_for_update().filter(pk=internship.pk).first()  # one generation at a time
    course = selectors.course_of(internship=internship)
    if course is None:
        return Outcome.NO_COURSE, None
    currency = selectors.payout_currency_of(internship=internship, course=course)
    if currency is None:
        return Outcome.NO_CURRENCY, None
    statements = selectors.statements_of_period(internship=internship, start=start, end=end)
    draft = next((s for s in statements if s.state == S.DRAFT), None)
    kind: str
    if draft is None and any(s.kind == StatementKind.REGULAR for s in statements):
        kind = StatementKind.SUPPLEMENTARY
    else:
        kind = draft.kind if draft is not None else StatementKind.REGULAR
    settings = selectors.fund_settings_for(cycle_id=internship.placement.cycle_id)
    assert internship.starts_on is not None and internship.ends_on is not None  # internships_to_pay's filter
    lines = statement_lines(
        start=start, end=end, term_start=internship.starts_on, term_end=internship.ends_on,
        calendar=report_selectors.work_calendar_for(internship=internship),
        approved=report_selectors.activity_days_for(internship=internship, start=start, end=end),
        report_states=selectors.report_states_for(internship=internship),
        counted_before=selectors.days_counted_before(internship=internship, excluding=draft),
    )  # fmt: skip
    try:
        result = compute(
            lines=lines, yen_per_day=course.support_rate_jpy_per_day, currency=currency,
            quote=selectors.quote_for(currency=currency, month=end), rounding=settings.rounding,
        )  # fmt: skip
    except ExchangeRateMissing:
        return Outcome.NO_RATE, None
    if draft is not None:
        if _same(draft, result):
            return Outcome.UNCHANGED, draft
        _write(draft, result)
        audit_record(actor=by, action="funds.statement.recomputed", target=draft, data=_audit_data(draft))
        return Outcome.UPDATED, draft
    if kind == StatementKind.SUPPLEMENTARY and result.counted_days == 0:
        return Outcome.UNCHANGED, None  # nothing approved since the frozen statement
    statement = _write(
        Statement(internship=internship, kind=kind, period_start=start, period_end=end), result
    )
    audit_record(actor=by, action="funds.statement.created", target=statement, data=_audit_data(statement))
    return (Outcome.SUPPLEMENT if kind == StatementKind.SUPPLEMENTARY else Outcome.CREATED), statement


def _audit_data(statement: Statement) -> dict:
    return {
        "internship": statement.internship_id, "kind": statement.kind,
        "period": [statement.period_start.isoformat(), statement.period_end.isoformat()],
        "counted_days": statement.counted_days, "yen_total": statement.yen_total,
        "currency": statement.currency, "amount": str(statement.amount),
    }  # fmt: skip


def fund_statements_generate(
    *, cycle_id: int, by_id: int | None = None, today: dt.date | None = None
) -> dict:
    """Every statement of the cycle whose period has ended (by Japan's date), each intern's in its own
    transaction; run again, it creates nothing twice. Returns how many of each outcome."""
    cycle = ProgramCycle.objects.get(pk=cycle_id)
    by = User.objects.filter(pk=by_id).first() if by_id else None
    today = today or clock.today_jst()
    period = selectors.fund_settings_for(cycle_id=cycle.pk).statement_period
    outcomes: Counter = Counter()
    for internship in selectors.internships_to_pay(cycle=cycle):
        assert internship.starts_on is not None and internship.ends_on is not None
        for start, end in statement_periods(
            term_start=internship.starts_on, term_end=internship.ends_on, period=period
        ):
            if min(end, internship.ends_on) >= today:
                continue  # the period is not over
            outcome, _statement = statement_generate(internship=internship, start=start, end=end, by=by)
            outcomes[outcome] += 1
    return dict(outcomes)


@transaction.atomic
def fund_statements_generate_queue(*, cycle: ProgramCycle, by: User) -> None:
    """Queues the cycle's generation on the worker (after the commit)."""
    audit_record(actor=by, action="funds.statements.generate", target=cycle, data={"cycle": cycle.pk})
    task_enqueue("internships.tasks.fund_statements_generate", cycle.pk, by.pk)


# --- States ---------------------------------------------------------------------------------------------


def _locked(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().get(pk=statement.pk)


@transaction.atomic
def statement_confirm(*, statement: Statement, by: User) -> Statement:
    """Freezes a draft: from now on it is never recomputed or edited."""
    statement = _locked(statement)
    if statement.state != S.DRAFT:
        raise ValidationError(_("Only a draft statement can be confirmed."), code="not_draft")
    statement.state, statement.confirmed_at = S.CONFIRMED, clock.now()
    statement.save(update_fields=["state", "confirmed_at"])
    audit_record(actor=by, action="funds.statement.confirmed", target=statement, data=_audit_data(statement))
    return statement


@transaction.atomic
def statement_mark_exported(*, statement: Statement, by: User) -> Statement:
    """A confirmed statement went into a payment file or sheet."""
    statement = _locked(statement)
    if statement.state != S.CONFIRMED:
        raise ValidationError(_("Only a confirmed statement can be exported."), code="not_confirmed")
    statement.state, statement.exported_at = S.EXPORTED, clock.now()
    statement.save(update_fields=["state", "exported_at"])
    audit_record(actor=by, action="funds.statement.exported", target=statement, data=_audit_data(statement))
    return statement


@transaction.atomic
def statement_mark_paid(*, statement: Statement, by: User, paid_on: dt.date, reference: str) -> Statement:
    """The money went out: the payment date and the bank's or the office's reference."""
    statement = _locked(statement)
    if statement.state not in (S.CONFIRMED, S.EXPORTED):
        raise ValidationError(
            _("Only a confirmed or exported statement can be marked paid."), code="not_payable"
        )
    reference = reference.strip()
    if not reference:
        raise ValidationError({"payment_reference": _("Give the payment's reference.")})
    statement.state, statement.paid_on, statement.payment_reference = S.PAID, paid_on, reference
    statement.save(update_fields=["state", "paid_on", "payment_reference"])
    audit_record(
        actor=by, action="funds.statement.paid", target=statement,
        data={**_audit_data(statement), "paid_on": paid_on.isoformat(), "reference": reference},
    )  # fmt: skip
    return statement
