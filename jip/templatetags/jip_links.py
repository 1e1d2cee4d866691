"""`{% link "name" arg %}`: the address of a named URL, reversed once per process (jip.memo.url_once)."""

from django import template

from jip.memo import url_once

register = template.Library()


@register.simple_tag
def link(name: str, *args) -> str:
    return url_once(name, *args)
