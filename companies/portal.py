"""The company portal's pages: each receives the company the signed-in user manages.

Pages of other apps that belong in the portal (internships' page of the company's interns) use the same
decorator, so every portal page finds the company, and refuses, the same way.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jip.permissions import require_permission
from jip.rules import is_jip_staff

from .selectors import company_for_manager


def portal_view(view: Callable) -> Callable:
    """A page of the company the user manages: the view receives the company after the request.

    Anyone signed in may ask (`companies.use_portal`); who manages no company is sent to the registration
    page, JIP staff to the portal's note. The company is then checked with `companies.manage_hostcompany`.
    """

    @wraps(view)
    def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        company = company_for_manager(user=request.user)
        if company is None:
            return redirect("companies:home" if is_jip_staff(request.user) else "companies:register")
        if not request.user.has_perm("companies.manage_hostcompany", company):
            raise PermissionDenied
        return view(request, company, *args, **kwargs)

    return require_permission("companies.use_portal")(inner)
