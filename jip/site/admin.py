"""The JIP office's workplace: the Django admin, reached only through allauth's login and MFA.

Wiring: its index gives an overview across the apps, and `admin_compose` attaches what one app adds to
another's pages, so no app imports another's admin.
"""

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applicants.models import Application
from companies.models import HostCompany
from jip import selectors
from jip.models import AuditEntry, User
from jip.rules import is_jip_staff


def has_enrolled_authenticator(user) -> bool:
    cached = getattr(user, "_jip_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._jip_has_mfa = cached
    return cached


class JipAdminSite(admin.AdminSite):
    site_header = _("JIP Admin")
    site_title = _("JIP Admin")
    index_title = _("JIP office workplace")
    index_template = "admin/jip_index.html"

    def has_permission(self, request) -> bool:
        user = request.user
        return is_jip_staff(user) and has_enrolled_authenticator(user)

    def login(self, request, extra_context=None):
        """No login form of its own: allauth's login (rate limits, MFA) is the only way in."""
        user = request.user
        next_url = request.GET.get("next") or reverse("admin:index")
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={next_url}")
        if not is_jip_staff(user):
            raise PermissionDenied
        if not has_enrolled_authenticator(user):
            messages.warning(
                request, _("Staff must set up an authenticator app before using the admin. Set it up now.")
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={next_url}")
        return redirect(next_url)

    def index(self, request, extra_context=None):
        cycle = selectors.cycle_current()
        overview = {
            "cycle": cycle,
            "deadline": selectors.cycle_deadline_status(cycle=cycle) if cycle else None,
            "users": User.objects.aggregate(
                total=Count("pk"),
                staff=Count("pk", filter=Q(is_staff=True)),
            ),
            "companies": HostCompany.objects.count(),
            "recent_audit": AuditEntry.objects.select_related("actor")[:8],
        }
        return super().index(request, {"jip_overview": overview, **(extra_context or {})})


def admin_compose(site: admin.AdminSite) -> None:
    """What one app offers on another app's admin pages, attached once every app has registered its models.

    The applications list (applicants) carries matching's "Refer to positions…": referring is matching's
    work, done from the pool the office screens.
    """
    # Imported here: this module is loaded while the admin site is being made, before the apps' admins.
    from matching.admin.referrals import refer_to_positions

    applications = site.get_model_admin(Application)
    if refer_to_positions not in applications.actions:
        applications.actions = [*applications.actions, refer_to_positions]
