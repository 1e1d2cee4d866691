"""Fragments of pages kept by Django's `{% cache %}` in the "template_fragments" cache: each varies on what it
shows and on the language, never on the user's own data or the CSRF token, and is on in every environment."""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from jip import services
from jip.context_processors import program

CACHE_TAG = re.compile(r"{%\s*cache\s+(.*?)\s*%}")
WITHOUT_FRAGMENTS = {
    **settings.CACHES,
    "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def cache_tags() -> list[tuple[Path, list[str]]]:
    templates = Path(settings.BASE_DIR) / "templates"
    return [
        (path, match.split())
        for path in sorted(templates.rglob("*.html"))
        for match in CACHE_TAG.findall(path.read_text(encoding="utf-8"))
    ]


def test_every_cached_fragment_varies_on_the_language_and_uses_the_fragments_cache():
    tags = cache_tags()
    assert len(tags) >= 6  # the layout's head and foot, the navbar's two parts, the entry form's steps twice
    for path, (timeout, name, *vary_on) in tags:
        assert timeout == "None", path  # kept until the process ends: they change with the code
        assert vary_on[0] == "LANGUAGE_CODE", (path, name)
        assert not any(v.startswith("using=") for v in vary_on), (path, name)  # "template_fragments"
        assert not any(v.startswith(("csrf", "request", "user.email", "user.pk", "user.id")) for v in vary_on)


@pytest.mark.parametrize("module", ["jip.settings.local", "jip.settings.test", "jip.settings.production"])
def test_the_fragments_cache_is_the_same_local_memory_everywhere(module, monkeypatch):
    """On in development and in the tests as in production, so a stale fragment shows before it ships."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)  # what the production settings require
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "jip.example")
    fragments = import_module(module).CACHES["template_fragments"]
    assert fragments == import_module("jip.settings.base").CACHES["template_fragments"]
    assert fragments["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings.CACHES["template_fragments"] == fragments  # the settings this suite runs with


@pytest.mark.django_db
def test_the_navbar_is_the_same_with_the_cache_in_every_state(rf, fy2024, staff, applicant):
    """Each state renders as it would without the cache, whatever was rendered and kept before it."""

    def navbar(user, language: str, cycle: bool, *, cached: bool) -> str:
        request = rf.get("/apply/review/")
        request.user = user
        context = program(request)
        if not cycle:
            context["current_cycle"] = None
        with translation.override(language):
            if cached:
                return render_to_string("includes/navbar.html", context, request)
            with override_settings(CACHES=WITHOUT_FRAGMENTS):
                return render_to_string("includes/navbar.html", context, request)

    def strip(html: str) -> str:  # the CSRF token differs on every render; everything else is the same
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    states = [
        (user, language, cycle)
        for user in (AnonymousUser(), applicant, staff)
        for language in ("en", "ja")
        for cycle in (True, False)
    ]
    for _ in range(2):  # cold, then warm
        for state in states:
            assert strip(navbar(*state, cached=True)) == strip(navbar(*state, cached=False))
    assert "JIP office admin" in navbar(staff, "en", True, cached=True)
    assert "JIP office admin" not in navbar(applicant, "en", True, cached=True)
    assert applicant.email in navbar(applicant, "en", True, cached=True)  # outside the fragments
    assert staff.email in navbar(staff, "en", True, cached=True)


@pytest.mark.django_db
def test_a_new_current_cycle_changes_the_navbars_key(client, fy2024):
    """Publishing a new cycle changes what the navbar links to: its fragment is another one, not the stale one."""
    fragments = caches["template_fragments"]
    assert 'href="/cycles/2024/"' in client.get(reverse("home")).content.decode()
    assert fragments.get(make_template_fragment_key("navbar_start", ["en", 2024, False, False])) is not None
    services.cycle_copy(source=fy2024, fiscal_year=2025, publish=True)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/cycles/2025/"' in html
    assert 'href="/cycles/2024/"' not in html.split("</nav>")[0]
    assert fragments.get(make_template_fragment_key("navbar_start", ["en", 2025, False, False])) is not None


@pytest.mark.django_db
def test_the_language_changes_every_fragments_key(client, fy2024):
    english = client.get(reverse("home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese = client.get(reverse("home")).content.decode()
    with translation.override("ja"):
        for words in (
            translation.gettext("The program"),  # navbar_start
            translation.gettext("METI Japan Internship Program — JIP office"),  # layout_foot
        ):
            assert words in japanese
            assert words not in english
    assert 'lang="ja" class="btn btn-sm btn-light"' in re.sub(r"\s+", " ", japanese)  # navbar_languages


@pytest.mark.django_db
def test_logging_in_changes_the_navbars_key(client, fy2024, applicant):
    assert "My page" not in client.get(reverse("home")).content.decode()
    client.force_login(applicant)
    assert "My page" in client.get(reverse("home")).content.decode()
