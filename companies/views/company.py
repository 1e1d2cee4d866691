"""The company itself: registration, its page in the portal, its profile."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jip.permissions import require_permission
from jip.rules import is_jip_staff

from .. import forms, selectors, services
from ..models import HostCompany, ReviewStatus
from ..portal import portal_view
from ..presentation import eligibility_shown, sections_shown
from ..rules import company_ids_managed_by


@require_permission("companies.use_portal")
def company_register(request: HttpRequest) -> HttpResponse:
    if company_ids_managed_by(request.user) or is_jip_staff(request.user):
        return redirect("companies:home")  # a user manages one company; the office works in the admin
    form = forms.CompanyProfileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_register(user=request.user, data=form.data_for_service())
        except ValidationError as exc:
            if getattr(exc, "code", None) == "has_company":  # a second click while the first was saving
                return redirect("companies:home")
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your company is registered. The JIP office will review it; see below if it qualifies."),
            )
            return redirect("companies:home")
    return render(request, "companies/company_form.html", {"form": form, "is_new": True})


@require_permission("companies.use_portal")
def company_home(request: HttpRequest) -> HttpResponse:
    company = selectors.company_for_manager(user=request.user)
    if company is None:
        if is_jip_staff(request.user):
            return render(request, "companies/staff_note.html")
        return redirect("companies:register")
    if not request.user.has_perm("companies.manage_hostcompany", company):
        raise PermissionDenied
    outcomes, verdict = eligibility_shown(company)
    invitations = list(selectors.company_invitations_open(company=company))
    for invitation in invitations:
        invitation.is_expired = selectors.invitation_state(invitation) == "expired"
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "outcomes": outcomes,
            "verdict": verdict,
            "profile": sections_shown(company, forms.CompanyProfileForm),
            "managers": list(selectors.company_managers(company=company)),
            "invitations": invitations,
            "positions": list(selectors.company_positions(company=company)),
            "invite_form": forms.InvitationForm(),
            "can_describe_positions": company.status != ReviewStatus.REJECTED,
            "active": "home",
        },
    )


@portal_view
def company_edit(request: HttpRequest, company: HostCompany) -> HttpResponse:
    form = forms.CompanyProfileForm(request.POST if request.method == "POST" else None, instance=company)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("companies:home")
        try:
            services.company_update(company=company, data=form.data_for_service(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The company profile is saved."))
            return redirect("companies:home")
    return render(
        request,
        "companies/company_form.html",
        {
            "form": form,
            "company": company,
            "is_new": False,
            "history": selectors.company_history(company=company),
            "active": "edit",
        },
    )
