"""The intern's and the host company's pages of the internship's preparation: checklist and schedule.

"My internship" (/internship/) is the signed-in intern's own; the company page (/internship/company/) lists
the interns of the company the user manages. Every other object is looked up within what the user may see
(their internship, their company's), so another's id answers 404. The schedule is shown in Japan time and,
for an intern, in the time zone of their country of residence too; it downloads as an iCalendar file.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import HostCompany
from companies.portal import portal_view
from jip.models import CourseKind
from jip.permissions import require_permission

from .. import ical
from ..forms import LogisticsItemForm, PcRequestForm
from ..models import Internship, LogisticsItem, LogisticsKind, LogisticsStatus
from ..presentation import STATUS_BADGES, checklist_rows, schedule_rows
from ..selectors import preparation as selectors
from ..services import preparation as services


def _pc_item(internship: Internship) -> LogisticsItem | None:
    return next((i for i in getattr(internship, "checklist_items", []) if i.kind == LogisticsKind.PC), None)


def _internship_context(request: HttpRequest, internship: Internship, *, own: bool) -> dict:
    zone = selectors.time_zone_of_intern(internship=internship)
    events = selectors.schedule_of_internship(internship=internship, with_attendance=True)
    pc_item = _pc_item(internship)
    can_request_pc = (
        own
        and request.user.has_perm("internships.request_pc", internship)
        and pc_item is not None
        and pc_item.status == LogisticsStatus.NOT_NEEDED
        and internship.status not in selectors.FINISHED
    )
    placement = internship.placement
    return {
        "internship": internship,
        "placement": placement,
        "company": placement.position.company,
        "position": placement.position,
        "application": placement.application,
        "status_badge": STATUS_BADGES.get(internship.status, "text-bg-secondary"),
        "checklist": checklist_rows(internship),
        "schedule": schedule_rows(events, zone=zone, ics_name="internships:my_event_ics" if own else ""),
        "zone": zone,
        "own": own,
        "ics_all": reverse("internships:my_schedule_ics") if own else "",
        "can_request_pc": can_request_pc,
        "pc_form": PcRequestForm() if can_request_pc else None,
        "pc_requested": pc_item is not None and pc_item.requested_at is not None,
        "is_online": placement.course == CourseKind.ONLINE,
    }


# --- The intern ----------------------------------------------------------------------------------------


def _own_internship_or_404(request: HttpRequest) -> Internship:
    internship = selectors.internship_of_intern(user=request.user)
    if internship is None:
        raise Http404
    return internship


@require_permission("internships.view_own_internship")
def my_internship(request: HttpRequest) -> HttpResponse:
    internship = selectors.internship_of_intern(user=request.user)
    if internship is None:
        return render(request, "internships/internship_none.html", status=404)
    return render(
        request, "internships/internship_detail.html", _internship_context(request, internship, own=True)
    )


@require_permission("internships.view_own_internship")
def my_schedule_ics(request: HttpRequest) -> HttpResponse:
    internship = _own_internship_or_404(request)
    events = selectors.schedule_of_internship(internship=internship)
    return ical.calendar_response(
        events, request=request, filename="jip-schedule.ics", name=_("JIP schedule")
    )


@require_permission("internships.view_own_internship")
def my_event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _own_internship_or_404(request)
    event = selectors.schedule_of_internship(internship=internship).filter(pk=pk).first()
    if event is None:
        raise Http404
    return ical.calendar_response([event], request=request, filename=f"jip-event-{event.pk}.ics")


@require_permission("internships.view_own_internship")
@require_POST
def pc_request(request: HttpRequest) -> HttpResponse:
    internship = _own_internship_or_404(request)
    if not request.user.has_perm("internships.request_pc", internship):
        raise PermissionDenied
    form = PcRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(reverse("internships:my_internship") + "#checklist")
    try:
        services.logistics_pc_request(internship=internship, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request for a PC is sent to the JIP office."))
    return redirect(reverse("internships:my_internship") + "#checklist")


@require_permission("internships.view_own_internship")
def internship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One internship as its intern sees it, for the intern, the host company's managers and staff."""
    internship = selectors.internship_visible_to(user=request.user, pk=pk)
    if internship is None:
        raise Http404
    if not request.user.has_perm("internships.view_internship_of", internship):
        raise PermissionDenied
    own = internship.placement.application.applicant_id == request.user.pk
    return render(
        request, "internships/internship_detail.html", _internship_context(request, internship, own=own)
    )


# --- The host company ----------------------------------------------------------------------------------


@portal_view
def company_internships(request: HttpRequest, company: HostCompany) -> HttpResponse:
    internships = list(selectors.internships_of_company(company=company))
    events = list(selectors.schedule_of_internships(internships=internships))
    for internship in internships:
        internship.checklist = checklist_rows(internship)
        internship.status_badge = STATUS_BADGES.get(internship.status, "text-bg-secondary")
        pc = _pc_item(internship)
        internship.pc_editable = pc is not None and request.user.has_perm(
            "internships.update_logistics_item", pc
        )
    return render(
        request,
        "internships/internship_company.html",
        {
            "company": company,
            "internships": internships,
            "schedule": schedule_rows(events, zone=None, ics_name="internships:company_event_ics"),
            "ics_all": reverse("internships:company_schedule_ics"),
            "active": "interns",
        },
    )


@portal_view
def company_schedule_ics(request: HttpRequest, company: HostCompany) -> HttpResponse:
    internships = list(selectors.internships_of_company(company=company))
    events = selectors.schedule_of_internships(internships=internships)
    return ical.calendar_response(
        events, request=request, filename="jip-schedule.ics", name=_("JIP schedule")
    )


@portal_view
def company_event_ics(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    internships = list(selectors.internships_of_company(company=company))
    event = selectors.schedule_of_internships(internships=internships).filter(pk=pk).first()
    if event is None:
        raise Http404
    return ical.calendar_response([event], request=request, filename=f"jip-event-{event.pk}.ics")


@portal_view
def company_pc_update(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    """The host company keeps the PC item of its in-person intern (docs/program.md §12)."""
    internship = selectors.internship_of_company(company=company, pk=pk)
    if internship is None:
        raise Http404
    item = _pc_item(internship)
    if item is None or not request.user.has_perm("internships.update_logistics_item", item):
        raise Http404  # an online intern's PC is the office's; no item, nothing to keep
    form = LogisticsItemForm(request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.logistics_item_update(item=item, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The PC item of %(name)s is saved.") % {"name": internship.placement.application.full_name},
            )
            return redirect(reverse("internships:company_internships") + f"#intern-{internship.pk}")
    return render(
        request,
        "internships/preparation_pc_form.html",
        {"company": company, "internship": internship, "item": item, "form": form, "active": "interns"},
        status=400 if form.errors else 200,
    )
