"""The company's internship positions: described, sent for the office's review, edited while they may be,
withdrawn."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jip import selectors as cycle_selectors

from .. import forms, selectors, services
from ..models import HostCompany, Position, PositionStatus, ReviewStatus
from ..portal import portal_view
from ..presentation import sections_shown


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
            "sections": sections_shown(
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
