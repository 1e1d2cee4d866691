"""jip.memo: what a process keeps, in one place; addresses reversed once are those reverse() and {% url %} give."""

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from jip import memo


@pytest.fixture(autouse=True)
def _root_prefix():
    yield
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


def test_each_address_is_reversed_once_per_script_prefix(monkeypatch):
    calls = []
    monkeypatch.setattr(memo, "reverse", lambda name, **kw: calls.append(name) or reverse(name, **kw))
    assert memo.url_once("home") == memo.url_once("home") == "/"
    set_script_prefix("/jip/")  # served under a sub-path: another address
    assert memo.url_once("home") == memo.url_once("home") == "/jip/"
    assert calls == ["home", "home"]  # once for each prefix


def test_kept_clear_forgets_every_kept_value(monkeypatch):
    made = []

    @memo.kept(maxsize=4)
    def square(n: int) -> int:
        made.append(n)
        return n * n

    assert square(3) + square(3) == 18
    memo.url_once("home")
    assert made == [3]
    calls = []
    monkeypatch.setattr(memo, "reverse", lambda name, **kw: calls.append(name) or reverse(name, **kw))
    memo.kept_clear()
    assert square(3) == 9
    memo.url_once("home")
    assert made == [3, 3]
    assert calls == ["home"]  # the addresses were forgotten too


def test_a_kept_function_is_bounded():
    @memo.kept(maxsize=2)
    def double(n: int) -> int:
        return 2 * n

    for n in range(5):
        double(n)
    assert double.cache_info().currsize == 2
