"""What a process keeps for its whole life, in one place.

Only values that change with the code, the translations or the settings, never with the data: reversed
addresses of named URLs, manager classes built from models, words of the interface in each language. Each is
a function wrapped by `functools.lru_cache` through `kept()`, so the one `kept_clear()` empties them all (the
tests do between tests). A value the data can change is never kept here: it goes through Django's cache
framework (the current cycle: jip.selectors, in the default cache; fragments of pages: `{% cache %}`, in the
"template_fragments" cache), which is on in development and in the tests as in production.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse

P = ParamSpec("P")
R = TypeVar("R")

_CLEARS: list[Callable[[], None]] = []  # cache_clear of every kept function


def kept(*, maxsize: int | None = 256) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """`functools.lru_cache(maxsize)`, registered so that `kept_clear()` empties it. The arguments are the
    key: plain, hashable values of a small, fixed set (a language, a step's slug), never a request's ids."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CLEARS.append(cached.cache_clear)
        return cached  # type: ignore[return-value]

    return decorate


def kept_clear() -> None:
    """Forgets everything kept per process (a test that changes settings or translations starts afresh)."""
    for clear in _CLEARS:
        clear()


@kept(maxsize=2048)
def _reversed(urlconf: str | None, script_prefix: str, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def url_once(name: str, *args) -> str:
    """The address of a named URL, reversed once per URLconf and script prefix.

    `reverse()` resolves the pattern and quotes its arguments on every call (~20–30 µs); the links of the
    layout and of the entry form's steps are the same on every page. Only for names with no arguments or a
    small, fixed set of them (a step's slug, a fiscal year), never an id from a request.
    """
    return _reversed(get_urlconf(), get_script_prefix(), name, args)


@kept(maxsize=None)
def manager_class(manager: type[models.Manager], queryset: type[models.QuerySet]) -> type[models.Manager]:
    """`manager.from_queryset(queryset)`, built once per pair (it walks the queryset's members each time)."""
    return manager.from_queryset(queryset)
