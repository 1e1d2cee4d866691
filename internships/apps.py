from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "internships"
    verbose_name = _("Internships")

    def ready(self) -> None:
        from . import rules_preparation  # noqa: F401  (registers the preparation's permissions)
