"""Values kept for the life of a process (addresses, rendered fragments), in a dict bounded as a guard."""

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.urls import get_script_prefix, get_urlconf

V = TypeVar("V")


def remembered(memo: dict, key: Hashable, make: Callable[[], V], *, limit: int) -> V:
    """`memo[key]`, made by `make()` on first use; the memo is emptied when it holds `limit` entries."""
    value = memo.get(key)
    if value is None:
        if len(memo) >= limit:
            memo.clear()
        value = memo[key] = make()
    return value


def url_key() -> tuple:
    """What a reversed address depends on besides its name and arguments."""
    return (get_urlconf(), get_script_prefix())
