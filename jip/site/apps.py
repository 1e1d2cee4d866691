from django.contrib.admin.apps import AdminConfig


class JipAdminConfig(AdminConfig):
    """The Django admin, served by the JIP admin site (allauth login, MFA required), composed once every app
    has registered its own models."""

    default_site = "jip.site.admin.JipAdminSite"

    def ready(self) -> None:
        super().ready()  # each app's admin module registers its models
        from django.contrib import admin

        from .admin import admin_compose

        admin_compose(admin.site)
