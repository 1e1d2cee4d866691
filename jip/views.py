"""Public pages of the program and the language switch. Each states its permission.

The signed-in user's start page, which shows something of every app, is wiring: `jip.site.dashboard`.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import selectors, services
from .permissions import public


@public
def home(request: HttpRequest) -> HttpResponse:
    cycle = selectors.cycle_current_for(request)
    context = {"cycle": cycle}
    if cycle is not None:
        cycle = selectors.cycle_with_schedule(fiscal_year=cycle.fiscal_year)
        context |= {"cycle": cycle, "deadline": selectors.cycle_deadline_status(cycle=cycle)}
    return render(request, "jip/home.html", context)


@public
def cycle_detail(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    cycle = selectors.cycle_with_schedule(fiscal_year=fiscal_year)
    if cycle is None:
        raise Http404
    countries = selectors.cycle_eligible_countries(cycle=cycle)
    return render(
        request,
        "jip/cycle_detail.html",
        {
            "cycle": cycle,
            "deadline": selectors.cycle_deadline_status(cycle=cycle),
            "countries": countries,
            "eligible_count": sum(1 for c in countries if not c.excluded),
        },
    )


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on the account of a signed-in user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
