"""The signed-in user's start page: what they have in each app, whichever roles they hold."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from applicants.selectors import applications_of
from companies.rules import company_ids_managed_by
from companies.selectors import companies_for_manager
from jip import selectors
from jip.permissions import require_permission
from jip.rules import is_jip_staff
from matching.models import Placement


@require_permission("jip.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = selectors.cycle_current_for(request)
    applications = list(applications_of(applicant=user))
    return render(
        request,
        "jip/dashboard.html",
        {
            "cycle": cycle,
            "deadline": selectors.cycle_deadline_status(cycle=cycle) if cycle else None,
            "is_staff_member": is_jip_staff(user),
            "companies": companies_for_manager(user=user) if company_ids_managed_by(user) else [],
            "applications": applications,
            "has_internship": any(a.status == "pool" for a in applications)
            and Placement.objects.filter(application__applicant=user).exists(),
        },
    )
