"""The company portal: a host company's registration, profile, managers, invitations and positions.

Every view states its permission. A portal page (`companies.portal.portal_view`) finds the company through the
user's own memberships and looks every other object up within that company, so another company's id finds
nothing (404). Who manages no company is taken to the registration page; JIP office staff, who work in the
admin, to a note that says so.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jip import selectors as cycle_selectors
from jip.permissions import public, require_permission
from jip.rules import is_jip_staff

from . import eligibility, forms, selectors, services
from .models import HostCompany, Position, PositionStatus, ReviewStatus
from .portal import portal_view
from .rules import company_ids_managed_by


def _shown(instance, name: str) -> str:
    """A field's value as a manager reads it: choices, dates, yes/no and amounts in their language."""
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    if name == "capital_jpy":
        return _("¥%(amount)s") % {"amount": intcomma(value)}
    if hasattr(instance, f"get_{name}_display"):
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, int):
        return intcomma(value)
    return str(value)


def _sections_shown(instance, form_class: type[forms.SectionedForm], empty: dict | None = None) -> list[dict]:
    """The instance's answers in the form's sections, each with its label."""
    empty = empty or {}
    return [
        {
            "title": section.title,
            "rows": [
                (form_class.base_fields[name].label, _shown(instance, name) or empty.get(name, ""))
                for name in section.fields
            ],
        }
        for section in form_class.SECTIONS
    ]


def _outcomes_for_display(company: HostCompany) -> tuple[list[dict], str]:
    """Each rule's outcome and reason, evaluated again so the reasons come in the reader's language, and the
    verdict: "qualifies", "fails" (a rule is not met) or "incomplete" (answers are missing)."""
    outcomes = eligibility.evaluate(company)
    shown = [{"title": eligibility.title(o.rule), "outcome": o.outcome, "reason": o.reason} for o in outcomes]
    if eligibility.qualifies(outcomes):
        return shown, "qualifies"
    return shown, "fails" if any(o.outcome == eligibility.FAIL for o in outcomes) else "incomplete"


# --- The company: registration, its page, its profile --------------------------------------------------


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
    outcomes, verdict = _outcomes_for_display(company)
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
            "profile": _sections_shown(company, forms.CompanyProfileForm),
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


# --- Managers and invitations --------------------------------------------------------------------------


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


# --- Positions ---------------------------------------------------------------------------------------


def _positions_refused(company: HostCompany) -> str:
    if company.status == ReviewStatus.REJECTED:
        return _(
            "The JIP office did not approve your company, so it cannot describe internship positions. "
            "Contact the office if your situation has changed."
        )
    return ""


@portal_view
def position_list(request: HttpRequest, company: HostCompany) -> HttpResponse:
    return render(
        request,
        "companies/position_list.html",
        {
            "company": company,
            "positions": list(selectors.company_positions(company=company)),
            "cycle": cycle_selectors.cycle_current_for(request),
            "refused": _positions_refused(company),
            "active": "positions",
        },
    )


@portal_view
def position_create(request: HttpRequest, company: HostCompany) -> HttpResponse:
    cycle = cycle_selectors.cycle_current_for(request)
    refused = _positions_refused(company) or (
        ""
        if cycle
        else _("No program cycle is open yet: positions are described for a cycle. Come back later.")
    )
    if refused:
        return render(
            request,
            "companies/position_unavailable.html",
            {"company": company, "reason": refused, "active": "positions"},
        )
    form = forms.PositionForm(
        request.POST if request.method == "POST" else None, instance=Position(company=company, cycle=cycle)
    )
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(
                company=company, cycle=cycle, data=form.data_for_service(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The position is saved. The JIP office will review it."))
            return redirect("companies:position_detail", pk=position.pk)
    return render(
        request,
        "companies/position_form.html",
        {"company": company, "form": form, "cycle": cycle, "position": None, "active": "positions"},
    )


def _position_or_404(company: HostCompany, pk: int) -> Position:
    position = selectors.company_position_of(company=company, pk=pk)
    if position is None:
        raise Http404
    return position


def _can_edit(company: HostCompany, position: Position) -> bool:
    return position.status in services.EDITABLE_POSITION_STATUSES and not _positions_refused(company)


@portal_view
def position_detail(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    position = _position_or_404(company, pk)
    return render(
        request,
        "companies/position_detail.html",
        {
            "company": company,
            "position": position,
            "sections": _sections_shown(
                position, forms.PositionForm, {"japanese_level": _("None"), "english_level": _("None")}
            ),
            "can_edit": _can_edit(company, position),
            "can_withdraw": position.status != PositionStatus.WITHDRAWN,
            "active": "positions",
        },
    )


@portal_view
def position_edit(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    position = _position_or_404(company, pk)
    if not _can_edit(company, position):
        messages.error(
            request,
            _positions_refused(company) or _("An approved or withdrawn position can no longer be changed."),
        )
        return redirect("companies:position_detail", pk=position.pk)
    form = forms.PositionForm(request.POST if request.method == "POST" else None, instance=position)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_update(position=position, data=form.data_for_service(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The position is saved. The JIP office will review it."))
            return redirect("companies:position_detail", pk=position.pk)
    return render(
        request,
        "companies/position_form.html",
        {
            "company": company,
            "form": form,
            "cycle": position.cycle,
            "position": position,
            "active": "positions",
        },
    )


@portal_view
def position_withdraw(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    position = _position_or_404(company, pk)
    if position.status == PositionStatus.WITHDRAWN:
        messages.info(request, _("This position has been withdrawn."))
        return redirect("companies:position_detail", pk=position.pk)
    if request.method == "POST":
        services.position_withdraw(position=position, by=request.user)
        messages.success(request, _("The position is withdrawn."))
        return redirect("companies:position_detail", pk=position.pk)
    return render(
        request,
        "companies/position_withdraw.html",
        {"company": company, "position": position, "active": "positions"},
    )
