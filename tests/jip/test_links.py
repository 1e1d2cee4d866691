"""Addresses reversed once per process are the same as reverse() and {% url %} give."""

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from jip import links


@pytest.fixture(autouse=True)
def _empty_memo():
    links._MEMO.clear()
    yield
    links._MEMO.clear()
    set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "args"),
    [("home", ()), ("dashboard", ()), ("set_language", ()), ("cycle_detail", (2024,)), ("admin:index", ())],
)
def test_the_tag_gives_what_url_gives(name, args):
    django = engines["django"]
    quoted = " ".join(repr(a) if isinstance(a, str) else str(a) for a in (name, *args))
    ours = django.from_string("{% load jip_links %}{% link " + quoted + " %}").render({})
    theirs = django.from_string("{% url " + quoted + " %}").render({})
    assert ours == theirs == reverse(name, args=args)


def test_each_address_is_kept_per_script_prefix(monkeypatch):
    assert links.url_once("home") == "/"
    set_script_prefix("/jip/")  # served under a sub-path: another address
    assert links.url_once("home") == "/jip/"
    calls = []
    monkeypatch.setattr(links, "reverse", lambda *a, **k: calls.append(a) or "x")
    assert links.url_once("home") == "/jip/"
    assert calls == []


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(links, "LIMIT", 3)
    for year in (2024, 2025, 2026):
        links.url_once("cycle_detail", year)
    assert len(links._MEMO) == 3
    assert links.url_once("cycle_detail", 2027) == reverse("cycle_detail", args=[2027])
    assert len(links._MEMO) == 1
