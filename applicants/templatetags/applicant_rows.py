"""The review and status pages' repeated rows, built in one pass rather than a template loop each.

`{% answer_rows answers %}`: a step's answers as `<dt>`/`<dd>` pairs; `{% outcome_rows outcomes %}`: the
eligibility outcomes as list items. Both through `format_html_join`: every value is escaped unless it is
already safe, as `{{ value }}` would do; the page's HTML is the same as the loops it replaces gave.
"""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def answer_rows(answers) -> SafeString:
    """Rows of (label, value); the value comes ready for the page (applicants.presentation.answer_rows)."""
    return format_html_join(
        "\n", '<dt class="col-sm-5">{}</dt>\n<dd class="col-sm-7 text-break">{}</dd>', answers
    )


@register.simple_tag
def outcome_rows(outcomes) -> SafeString:
    """The outcomes as `presentation.outcomes_for_display` gives them: a badge, the rule, the reason."""
    return format_html_join(
        "\n",
        '<li class="list-group-item d-flex gap-3 align-items-start">\n'
        '<span class="badge {badge}">{badge_label}</span>\n'
        '<div><strong>{title}</strong><br><span class="small">{reason}</span></div>\n'
        "</li>",
        outcomes,
    )
