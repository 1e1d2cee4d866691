"""`{% link "name" arg %}`: the address of a named URL, reversed once per process (see jip.links)."""

from django import template

from jip.links import url_once

register = template.Library()


@register.simple_tag
def link(name: str, *args) -> str:
    return url_once(name, *args)
