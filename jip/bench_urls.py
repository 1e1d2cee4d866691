"""URLs for the benchmark settings only: the project's URLs plus one minimal view to compare against."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from jip.permissions import require_permission


@require_permission("jip.view_dashboard")
def bench_minimal(request: HttpRequest) -> HttpResponse:
    """Behind the same middleware and permission check as the pages; renders nothing, queries nothing more."""
    if request.user.pk is None:  # reads the session's user, as every page does
        return HttpResponse(status=500)
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", bench_minimal, name="bench_minimal"),
    path("", include("jip.urls")),
]
