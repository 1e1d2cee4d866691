"""jip_i18n's `{% translate %}`: a literal's output kept per language and autoescaping, the same as Django's."""

import pytest
from django.template import Context, Engine
from django.utils import translation

from jip.templatetags.jip_i18n import LiteralTranslateNode

ENGINE = Engine(libraries={"i18n": "django.templatetags.i18n", "jip_i18n": "jip.templatetags.jip_i18n"})
BODY = (
    '{% translate "Log out" %}|{% translate "Edit" as edit %}[{{ edit }}]|{% trans "Sign up" %}|'
    '{% translate "Log out"|upper %}|{% translate "May" context "month name" %}|{% translate "Log out" noop %}|'
    '{% translate word %}|{% translate "Rock & <Roll>" %}|{% translate "100%" %}'
)


def rendered(loads: str, language: str, autoescape: bool = True, word: str = "Log in") -> str:
    template = ENGINE.from_string(loads + BODY)
    with translation.override(language):
        return template.render(Context({"word": word}, autoescape=autoescape))


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_same_output_as_djangos_tag(language, autoescape):
    django = rendered("{% load i18n %}", language, autoescape)
    assert rendered("{% load i18n jip_i18n %}", language, autoescape) == django
    assert rendered("{% load i18n jip_i18n %}", language, autoescape) == django  # and again, from the memo


def test_one_template_follows_the_language_of_each_render():
    template = ENGINE.from_string('{% load i18n jip_i18n %}{% translate "Log out" %}')
    outputs = []
    for language in ("en", "ja", "en", "ja"):
        with translation.override(language):
            outputs.append(template.render(Context()))
    with translation.override("ja"):
        japanese = translation.gettext("Log out")
    assert japanese != "Log out"
    assert outputs == ["Log out", japanese, "Log out", japanese]


def test_only_plain_literals_are_kept():
    template = ENGINE.from_string(
        '{% load i18n jip_i18n %}{% translate "a" %}{% translate "b" as b %}{% translate "c"|upper %}'
        '{% translate "d" context "x" %}{% translate "e" noop %}{% translate word %}'
    )
    kinds = [type(node).__name__ for node in template.nodelist if not node.token.contents.startswith("load")]
    assert kinds == ["LiteralTranslateNode", "LiteralTranslateNode"] + ["TranslateNode"] * 4
    assert isinstance(template.nodelist[1], LiteralTranslateNode)


def test_a_variable_is_translated_on_every_render():
    # a literal is safe in Django too: written by the template's author, it is not escaped
    assert rendered("{% load i18n jip_i18n %}", "en", word="one").endswith("|one|Rock & <Roll>|100%")
    assert rendered("{% load i18n jip_i18n %}", "en", word="two").endswith("|two|Rock & <Roll>|100%")
