"""{% memo %}: a fragment rendered once per process for each key (name, language, URLconf, prefix, values)."""

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import override_settings
from django.utils import translation

from jip.templatetags import jip_memo


@pytest.fixture(autouse=True)
def _empty_memo():
    jip_memo._MEMO.clear()
    yield
    jip_memo._MEMO.clear()


class Counter:
    """Counts how often the fragment really renders."""

    def __init__(self):
        self.calls = 0

    def __str__(self):
        self.calls += 1
        return str(self.calls)


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load i18n jip_memo %}" + source).render(context)


def test_a_fragment_renders_once_per_key():
    counter = Counter()
    template = '{% memo "part" year %}{{ counter }} {% translate "Log out" %}{% endmemo %}'
    assert render(template, counter=counter, year=2024) == "1 Log out"
    assert render(template, counter=counter, year=2024) == "1 Log out"  # kept
    assert render(template, counter=counter, year=2025) == "2 Log out"  # another value, another fragment
    with translation.override("ja"):
        assert render(template, counter=counter, year=2024) == "3 ログアウト"  # another language
    assert counter.calls == 3


def test_the_name_separates_fragments_and_what_is_outside_is_not_kept():
    counter = Counter()
    assert render('{% memo "a" %}{{ counter }}{% endmemo %}', counter=counter) == "1"
    assert render('{% memo "b" %}{{ counter }}{% endmemo %}', counter=counter) == "2"
    assert render('{% memo "a" %}x{% endmemo %}|{{ token }}', token="t1") == "1|t1"
    assert render('{% memo "a" %}x{% endmemo %}|{{ token }}', token="t2") == "1|t2"


@override_settings(DEBUG=True)
def test_nothing_is_kept_with_debug_on():
    counter = Counter()
    template = '{% memo "part" %}{{ counter }}{% endmemo %}'
    assert render(template, counter=counter) + render(template, counter=counter) == "12"


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(jip_memo, "LIMIT", 2)
    for year in (1, 2, 3):
        render('{% memo "part" year %}{{ year }}{% endmemo %}', year=year)
    assert len(jip_memo._MEMO) == 1


def test_the_name_must_be_quoted():
    with pytest.raises(TemplateSyntaxError):
        render("{% memo part %}x{% endmemo %}")


@pytest.mark.django_db
def test_the_navbar_is_the_same_with_the_memo_in_every_state(rf, fy2024, staff, applicant):
    """Each state renders as it would without the memo, whatever was rendered and kept before it."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from jip.context_processors import program

    def navbar(user, language: str, cycle: bool, *, debug: bool) -> str:
        request = rf.get("/apply/review/")
        request.user = user
        context = program(request)
        if not cycle:
            context["current_cycle"] = None
        with translation.override(language), override_settings(DEBUG=debug):
            return render_to_string("includes/navbar.html", context, request)

    states = [
        (user, language, cycle)
        for user in (AnonymousUser(), applicant, staff)
        for language in ("en", "ja")
        for cycle in (True, False)
    ]
    for _ in range(2):  # cold, then warm
        for state in states:
            with_memo, without = navbar(*state, debug=False), navbar(*state, debug=True)
            # The CSRF token differs on every render; everything else is the same.
            strip = lambda html: html.split('name="csrfmiddlewaretoken" value="')[0]  # noqa: E731
            assert strip(with_memo) == strip(without)
            assert with_memo.split('name="next"')[1] == without.split('name="next"')[1]
    assert "JIP office admin" in navbar(staff, "en", True, debug=False)
    assert "JIP office admin" not in navbar(applicant, "en", True, debug=False)
