"""The intern's activity-support statements (docs/funds.md): the list of their statements and each one, line
by line, with how its sum was reached, so that they can redo it by hand. Phone-first, in the reader's
language.

Only the intern sees their statements, and only once the office confirmed them: every read is scoped to the
signed-in intern, so another's statement (or a draft) is a 404; a company manager has none. The office works
in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from jip.permissions import require_permission

from ..calendar import holiday_label
from ..funds import DayReason
from ..models import Statement, StatementLine
from ..models.funds import YEN
from ..presentation import day_label
from ..selectors import funds as selectors


def _locale() -> str:
    return "ja_JP" if (get_language() or "").startswith("ja") else "en_US"


def money(amount: Decimal | int, currency: str) -> str:
    """An amount with its currency, to the currency's minor unit as CLDR has it (¥6,000; PEN 49.81)."""
    return format_currency(Decimal(amount), currency, locale=_locale())


def reason_labels() -> dict[str, str]:
    return {
        DayReason.COUNTED: _("Counted: report approved"),
        DayReason.EARLIER_STATEMENT: _("Not counted: already on an earlier statement"),
        DayReason.RETURNED: _("Not counted: report returned, not approved"),
        DayReason.WAITING: _("Not counted: report not approved yet"),
        DayReason.MISSING: _("Not counted: no report submitted"),
        DayReason.HOLIDAY: _("Public holiday: no activity expected"),
        DayReason.CLOSURE: _("Closure: no activity expected"),
        DayReason.OUTSIDE_TERM: _("Not counted: outside the internship's term"),
    }


@dataclass
class LineRow:
    day: str
    reason: str
    label: str
    name: str
    counted: bool


def _line_row(line: StatementLine, labels: dict[str, str]) -> LineRow:
    if line.reason == DayReason.HOLIDAY:
        name = holiday_label(line.name_ja)
    else:
        name = line.name_ja if (get_language() or "").startswith("ja") else line.name_en
    return LineRow(day_label(line.day), line.reason, labels.get(line.reason, line.reason), name,
                   line.reason == DayReason.COUNTED)  # fmt: skip


def how_reached(statement: Statement) -> list[str]:
    """The statement's sum in the reader's words, one step a line: days × rate = yen; yen ÷ rate = amount."""
    steps = [
        ngettext(
            "%(days)s day counted × %(rate)s a day = %(total)s",
            "%(days)s days counted × %(rate)s a day = %(total)s",
            statement.counted_days,
        )
        % {"days": statement.counted_days, "rate": money(statement.yen_per_day, YEN),
           "total": money(statement.yen_total, YEN)},
    ]  # fmt: skip
    if statement.currency != YEN and statement.rate_yen_per_unit:
        locale = _locale()
        exact = (Decimal(statement.yen_total) / statement.rate_yen_per_unit).quantize(Decimal("0.000001"))
        month = date_format(statement.rate_month, "YEAR_MONTH_FORMAT") if statement.rate_month else ""
        steps.append(
            _("%(total)s ÷ %(rate)s yen per %(currency)s (%(source)s, %(month)s) = %(exact)s %(currency)s")
            % {
                "total": money(statement.yen_total, YEN),
                "currency": statement.currency,
                "rate": format_decimal(statement.rate_yen_per_unit.normalize(), locale=locale),
                "source": statement.rate_source,
                "month": month,
                "exact": format_decimal(exact, format="#,##0.######", locale=locale),
            }
        )
        steps.append(
            pgettext("rounding of a statement", "Rounded to %(digits)s decimals (%(rule)s): %(amount)s")
            % {
                "digits": statement.minor_digits,
                "rule": statement.get_rounding_display(),
                "amount": money(statement.amount, statement.currency),
            }
        )
    return steps


@require_permission("internships.view_own_internship")
def my_statements(request: HttpRequest) -> HttpResponse:
    """The intern's confirmed statements, newest first, each with its period, state and amount."""
    statements = selectors.statements_of_intern(user=request.user)
    rows = [
        {"statement": s, "amount": money(s.amount, s.currency), "yen_total": money(s.yen_total, YEN)}
        for s in statements
    ]
    return render(request, "internships/funds/my_statements.html", {"rows": rows})


@require_permission("internships.view_own_internship")
def my_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the intern's statements: every day, why it is or is not counted, and how the sum was reached."""
    statement = selectors.statement_of_intern(user=request.user, pk=pk)
    if statement is None:
        raise Http404
    labels = reason_labels()
    context = {
        "statement": statement,
        "lines": [_line_row(line, labels) for line in statement.lines.all()],
        "steps": how_reached(statement),
        "amount": money(statement.amount, statement.currency),
        "yen_total": money(statement.yen_total, YEN),
    }
    return render(request, "internships/funds/my_statement.html", context)
