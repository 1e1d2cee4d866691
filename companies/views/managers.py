"""The company's managers: invitations by e-mail (each works once, for its address, for a limited time), their
acceptance, and removing a manager."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jip.permissions import public

from .. import forms, selectors, services
from ..models import HostCompany
from ..portal import portal_view
from ..rules import company_ids_managed_by


@portal_view
def manager_invite(request: HttpRequest, company: HostCompany) -> HttpResponse:
    form = forms.InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                company=company, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.") % {"email": invitation.email},
            )
            return redirect(reverse("companies:home") + "#managers")
    return render(
        request,
        "companies/manager_invite.html",
        {"company": company, "form": form, "active": "home"},
        status=400 if form.errors else 200,
    )


@portal_view
def manager_remove(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    membership = selectors.company_manager_of(company=company, pk=pk)
    if membership is None:
        raise Http404
    is_self = membership.user_id == request.user.pk
    if request.method == "POST":
        try:
            services.manager_remove(membership=membership, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(reverse("companies:home") + "#managers")
        if is_self:
            messages.success(request, _("You no longer manage %(company)s.") % {"company": company.name})
            return redirect("dashboard")
        messages.success(
            request, _("%(email)s no longer manages the company.") % {"email": membership.user.email}
        )
        return redirect(reverse("companies:home") + "#managers")
    return render(
        request,
        "companies/manager_remove.html",
        {"company": company, "membership": membership, "is_self": is_self, "active": "home"},
    )


@portal_view
@require_POST
def invitation_revoke(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    invitation = selectors.company_invitation_of(company=company, pk=pk)
    if invitation is None:
        raise Http404
    invitation = services.invitation_revoke(invitation=invitation, by=request.user)
    if invitation.revoked_at is not None:
        messages.success(request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
    else:
        messages.info(request, _("This invitation has been used already."))
    return redirect(reverse("companies:home") + "#managers")


def _invitation_problem(invitation, user) -> str:
    """Why this user cannot accept, said before they try, in the words `invitation_accept` would use."""
    state = selectors.invitation_state(invitation)
    if state == "used":
        return _("This invitation has been used already.")
    if state == "expired":
        return _("This invitation has expired. Ask for a new one.")
    if user.is_authenticated:
        if invitation.email.lower() != user.email.lower():
            return _("This invitation is for %(email)s. Log in with that address to accept it.") % {
                "email": invitation.email
            }
        if company_ids_managed_by(user):
            return _("You manage a host company already.")
    return ""


@public
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation mail. Open to everyone: an anonymous visitor is asked to sign up or log in
    with the invited address and comes back here; a signed-in user accepts with a button."""
    invitation = services.invitation_for_token(token)
    if selectors.invitation_state(invitation) == "invalid":
        return render(request, "companies/invitation_accept.html", {"invalid": True}, status=404)
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            services.invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("Welcome: you now manage %(company)s.") % {"company": invitation.company.name}
            )
            return redirect("companies:home")
    back = urlencode({"next": request.path})
    return render(
        request,
        "companies/invitation_accept.html",
        {
            "invitation": invitation,
            "company": invitation.company,
            "problem": error or _invitation_problem(invitation, request.user),
            "login_url": f"{reverse('account_login')}?{back}",
            "signup_url": f"{reverse('account_signup')}?{back}",
        },
        status=400 if error else 200,
    )
