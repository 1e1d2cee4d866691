"""`manage.py seed_demo`: the demo data, made by the wiring (jip.site.demo), which may use every app."""

from jip.site.demo import Command

__all__ = ["Command"]
