"""Every view states its permission: `public` for open pages, `require_permission` for the rest.

A test walks the URL configuration and fails for any project view that does neither.
"""

from collections.abc import Callable
from functools import wraps

from rules.contrib.views import permission_required

PUBLIC = "public"


def public(view: Callable) -> Callable:
    """Marks a view as open to everyone, on purpose."""
    view.jip_permission = PUBLIC
    return view


def require_permission(perm: str, fn: Callable | None = None) -> Callable:
    """Login required; then `perm` (a django-rules permission), checked against the object `fn` returns."""

    def decorator(view: Callable) -> Callable:
        for_anonymous = permission_required(perm, fn=fn)(view)  # to the login page, then back
        for_users = permission_required(perm, fn=fn, raise_exception=True)(view)  # a 403, no login loop

        @wraps(view)
        def inner(request, *args, **kwargs):
            chosen = for_users if request.user.is_authenticated else for_anonymous
            return chosen(request, *args, **kwargs)

        inner.jip_permission = perm
        return inner

    return decorator


def admin_view(site, view: Callable) -> Callable:
    """A custom page of the admin: the admin site's own check (JIP staff with an authenticator) guards it."""
    wrapped = site.admin_view(view)
    wrapped.jip_permission = "jip.use_admin"
    return wrapped
