"""`{% memo "name" var … %}…{% endmemo %}`: a fragment rendered once per process for each key.

For the parts of a page that every request renders alike: the navbar's links, the entry form's progress
steps. The key is the fragment's name, the active language, the URLconf and script prefix, and the values
of the variables given; the fragment must depend on nothing else (never on the request, the user's own
data or a CSRF token). Unlike `{% cache %}` there is no cache backend to reach (with Redis that is a network
round trip, dearer than rendering these fragments) and no expiry: the fragments change only with the code
and the translations, which a deployment reloads. Off with DEBUG, where templates are edited while the
server runs. The memo is cleared past `LIMIT` entries, as a guard.
"""

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from jip.memo import remembered, url_key

register = template.Library()

LIMIT = 4096
_MEMO: dict[tuple, SafeString] = {}


class MemoNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, vary_on: list[template.base.FilterExpression]):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context: template.Context) -> str:
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (self.name, get_language(), *url_key(), *(_hashable(v.resolve(context)) for v in self.vary_on))
        # Rendered by the engine, escaped as it renders.
        return remembered(_MEMO, key, lambda: mark_safe(self.nodelist.render(context)), limit=LIMIT)  # noqa: S308


def _hashable(value):
    """Plain values, never the context's lazy objects themselves (they would keep their request alive)."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if value is None:
        return None
    for kind in (bool, int, str):  # bool first: True is an int too
        if isinstance(value, kind):
            return kind(value)
    return str(value)


@register.tag
def memo(parser: template.base.Parser, token: template.base.Token) -> MemoNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "{% memo %} takes a quoted fragment name, then the variables it varies on"
        )
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])
