"""The admin pieces every app uses: the bulk-action loop, its refusal message, read-only inlines, safe cells."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import ngettext_lazy

from jip.admin_tools import (
    REFUSALS_LISTED,
    ReadOnlyInline,
    ReadOnlyStackedInline,
    bulk_action,
    refusal_details,
    spreadsheet_safe,
)


class Collecting:
    """Stands in for a ModelAdmin: keeps what it is asked to tell the user."""

    def __init__(self):
        self.said: list[tuple[str, int]] = []

    def message_user(self, request, message, level):
        self.said.append((str(message), level))


DONE = ngettext_lazy("%(count)d row moved to “%(status)s”.", "%(count)d rows moved to “%(status)s”.", "count")
REFUSED = ngettext_lazy(
    "%(count)d row could not be moved: %(details)s", "%(count)d rows could not be moved: %(details)s", "count"
)


def _act(row: int) -> None:
    if row % 2:
        raise ValidationError(f"row {row} is odd")


def test_bulk_action_reports_done_and_refused_rows_with_the_reason():
    admin = Collecting()
    done = bulk_action(
        admin, RequestFactory().post("/"), [1, 2, 3, 4, 6], act=_act, label=lambda r: f"#{r}",
        done=DONE, refused=REFUSED, params={"status": "Pool"},
    )  # fmt: skip
    assert done == 3
    assert admin.said == [
        ("3 rows moved to “Pool”.", messages.SUCCESS),
        ("2 rows could not be moved: #1: row 1 is odd; #3: row 3 is odd", messages.WARNING),
    ]


def test_bulk_action_says_nothing_of_what_did_not_happen():
    admin = Collecting()
    assert (
        bulk_action(admin, None, [2], act=_act, label=str, done=DONE, refused=REFUSED, params={"status": "x"})
        == 1
    )
    assert admin.said == [("1 row moved to “x”.", messages.SUCCESS)]
    admin = Collecting()
    assert (
        bulk_action(admin, None, [1], act=_act, label=str, done=DONE, refused=REFUSED, params={"status": "x"})
        == 0
    )
    assert admin.said == [("1 row could not be moved: 1: row 1 is odd", messages.WARNING)]


def test_refusal_details_names_the_first_rows_and_counts_the_rest():
    refused = [(f"A{n}", "no") for n in range(REFUSALS_LISTED + 3)]
    details = refusal_details(refused)
    assert details.startswith("A0: no; A1: no")
    assert f"A{REFUSALS_LISTED - 1}: no" in details and f"A{REFUSALS_LISTED}:" not in details
    assert details.endswith(" (and 3 more)")
    with translation.override("ja"):
        assert "3" in refusal_details(refused) and "(and 3 more)" not in refusal_details(refused)
    assert refusal_details(refused[:2]) == "A0: no; A1: no"


def test_read_only_inlines_offer_no_add_change_or_delete():
    for inline in (ReadOnlyInline, ReadOnlyStackedInline):
        assert inline.extra == 0 and inline.can_delete is False
        instance = inline.__new__(inline)
        instance.readonly_fields = ("a", "b")
        assert instance.get_fields(None) == ("a", "b")
        assert not instance.has_add_permission(None)
        assert not instance.has_change_permission(None)
        assert not instance.has_delete_permission(None)


def test_spreadsheet_safe_cells_never_start_a_formula():
    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("-1+2") == "'-1+2"
    assert spreadsheet_safe("plain\x07 text") == "plain text"
    assert spreadsheet_safe(None) == ""
