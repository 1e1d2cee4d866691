"""The review and status pages' repeated rows, built in one pass rather than a template loop each.

`{% answer_rows answers %}`: a step's answers as `<dt>`/`<dd>` pairs; `{% outcome_rows outcomes %}`: the
eligibility outcomes as list items. Every value is escaped unless it is already safe (conditional_escape),
as `{{ value }}` would do; the page's HTML is the same as the loops it replaces gave.
"""

import html

from django import template
from django.utils.safestring import SafeString

register = template.Library()


def esc(value) -> str:
    """django.utils.html.conditional_escape for the plain and safe strings these rows hold, without its
    lazy-string wrapper (a few microseconds a call, ~80 calls a page)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.simple_tag
def answer_rows(answers) -> SafeString:
    """Rows of (label, value); the value comes ready for the page (see applicants.views._answers)."""
    return SafeString(  # every part escaped by esc()
        "\n".join(
            f'<dt class="col-sm-5">{esc(label)}</dt>\n<dd class="col-sm-7 text-break">{esc(value)}</dd>'
            for label, value in answers
        )
    )


@register.simple_tag
def outcome_rows(outcomes) -> SafeString:
    """The outcomes as `applicants.views._outcomes_for_display` gives them: a badge, the rule, the reason."""
    return SafeString(  # every part escaped by esc()
        "\n".join(
            '<li class="list-group-item d-flex gap-3 align-items-start">\n'
            f'<span class="badge {esc(o["badge"])}">{esc(o["badge_label"])}</span>\n'
            f"<div><strong>{esc(o['title'])}</strong><br>"
            f'<span class="small">{esc(o["reason"])}</span></div>\n'
            "</li>"
            for o in outcomes
        )
    )
