"""Addresses of named URLs reversed once per process, for the links every page shows.

`reverse()` resolves the pattern and quotes its arguments on every call (~20–30 µs); the layout's links
and the entry form's steps are the same on every page, so each is kept per URLconf and script prefix after
its first use. Only for names with no arguments or a small, fixed set of them (a step's slug, a fiscal
year), never an id from a request: the memo would grow with them (it is cleared past `LIMIT` entries, as a
guard).
"""

from django.urls import reverse

from .memo import remembered, url_key

LIMIT = 2000
_MEMO: dict[tuple, str] = {}


def url_once(name: str, *args) -> str:
    return remembered(_MEMO, (*url_key(), name, args), lambda: reverse(name, args=args), limit=LIMIT)
