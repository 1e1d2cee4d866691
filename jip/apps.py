from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JipConfig(AppConfig):
    name = "jip"
    verbose_name = _("Program")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401
        from .history import history_descriptors_cache

        history_descriptors_cache()
