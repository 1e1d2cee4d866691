"""`{% translate "literal" %}` translated once per node and language, for templates that load this library
after i18n (`{% load i18n jip_i18n %}`).

Django's tag makes a lazy string on every render, translates it and escapes it: about 10 µs, and a page of the
entry form has some fifteen. A literal's output depends only on the language and on autoescaping, so this
tag keeps it per node. Anything else (a variable, a filter, a context, `noop`) is Django's own node, left
as it is. `makemessages` reads templates as text, so the strings are extracted as before.
"""

from django import template
from django.templatetags.i18n import TranslateNode, do_translate
from django.utils.translation import get_language

register = template.Library()


class LiteralTranslateNode(template.Node):
    """Django's TranslateNode of a literal, its output kept per (language, autoescape)."""

    child_nodelists = ()

    def __init__(self, node: TranslateNode):
        self.node = node
        self.values: dict[tuple[str | None, bool], str] = {}  # a few entries: languages × autoescape

    def render(self, context) -> str:
        key = (get_language(), context.autoescape)
        value = self.values.get(key)
        if value is None:
            value = self.values[key] = self._translated(context)
        if self.node.asvar:
            context[self.node.asvar] = value
            return ""
        return value

    def _translated(self, context) -> str:
        output = self.node.render(context)
        return context[self.node.asvar] if self.node.asvar else output


def _is_literal(node: TranslateNode) -> bool:
    expression = node.filter_expression
    var = expression.var
    return (
        not node.noop
        and node.message_context is None
        and not expression.filters
        and isinstance(var, template.Variable)
        and var.literal is not None
        and var.lookups is None
    )


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    node = do_translate(parser, token)
    return LiteralTranslateNode(node) if _is_literal(node) else node
