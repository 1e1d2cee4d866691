from django.contrib.admin.apps import AdminConfig


class JipAdminConfig(AdminConfig):
    """The Django admin, served by the JIP admin site (allauth login, MFA required)."""

    default_site = "jip.admin_site.JipAdminSite"
