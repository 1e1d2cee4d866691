"""Pieces every app's admin uses, written once: the bulk-action loop and its refusal message, the read-only
inline, and spreadsheet-safe cells for the exports.

The admin is an interface: an action parses the request, calls one service per row (each its own
transaction) and reports the outcome; a row the service refuses is listed, never raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from import_export import widgets

Row = TypeVar("Row")

# A bulk action names at most this many refused rows in its message; the rest are counted.
REFUSALS_LISTED = 20


def refusal_details(refused: list[tuple[str, str]]) -> str:
    """ "label: why; label: why" for the first REFUSALS_LISTED refused rows, and how many more there are."""
    details = "; ".join(f"{label}: {message}" for label, message in refused[:REFUSALS_LISTED])
    if len(refused) > REFUSALS_LISTED:
        details += " " + _("(and %(count)d more)") % {"count": len(refused) - REFUSALS_LISTED}
    return details


def bulk_action(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    rows: Iterable[Row],
    *,
    act: Callable[[Row], Any],
    label: Callable[[Row], str],
    done: Any,
    refused: Any,
    params: dict[str, Any] | None = None,
) -> int:
    """Calls `act` on each row; a ValidationError refuses that row only. Says how many were done (success)
    and which were refused and why (warning); returns how many were done.

    `done` and `refused` are plural messages keyed on "count" (`ngettext_lazy(singular, plural, "count")`);
    `refused` also names "details". `params` fills their other placeholders.
    """
    done_count, refusals = 0, []
    for row in rows:
        try:
            act(row)
        except ValidationError as exc:
            refusals.append((label(row), " ".join(exc.messages)))
        else:
            done_count += 1
    params = params or {}
    if done_count:
        model_admin.message_user(request, done % {**params, "count": done_count}, messages.SUCCESS)
    if refusals:
        details = refusal_details(refusals)
        model_admin.message_user(
            request, refused % {**params, "count": len(refusals), "details": details}, messages.WARNING
        )
    return done_count


class ReadOnlyInlineMixin:
    """An inline that shows its `readonly_fields` and offers no add, change or delete."""

    extra = 0
    can_delete = False
    readonly_fields: tuple[str, ...] = ()

    def get_fields(self, request, obj=None):
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyInlineMixin, admin.TabularInline):
    """Rows of a related model, in a table, read only."""


class ReadOnlyStackedInline(ReadOnlyInlineMixin, admin.StackedInline):
    """A related record, field under field, read only."""


# Characters Excel takes as the start of a formula (OWASP "CSV injection"), and the control
# characters an XLSX cell cannot hold; applicants and managers type these fields, the office opens the file.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_safe(text: str) -> str:
    text = _ILLEGAL_IN_XLSX.sub("", text or "")
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class SpreadsheetSafeTextWidget(widgets.CharWidget):
    """Text someone outside the office typed, made safe to open in a spreadsheet."""

    def render(self, value, obj=None, **kwargs):
        return spreadsheet_safe(super().render(value, **kwargs))
