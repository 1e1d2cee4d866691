"""The intern's and the host company's pages of the daily reports (docs/daily-reports.md).

The intern (/internship/reports/) sees their term as a calendar and writes a day's report in a minute, on a
phone; the host company (/internship/company/reports/) reads the reports waiting for it, approves them in bulk
or returns one with a comment, and sees each intern's calendar. Every object is looked up within what the user
may see (their internship, their company's), so another's id answers 404. The office works in the admin.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from companies.models import HostCompany
from companies.portal import portal_view
from jip.models import CourseKind, CourseTerm
from jip.permissions import require_permission

from ..forms import DailyReportApproveForm, DailyReportForm, DailyReportReturnForm, ExtraDayForm, MentorForm
from ..models import DailyReportStatus, Internship, WorkMode
from ..presentation import STATE_BADGES, calendar_context, day_label, state_labels
from ..selectors import daily_reports as selectors
from ..services import daily_reports as services

R = DailyReportStatus

# --- The intern ----------------------------------------------------------------------------------------


def _own_internship(request: HttpRequest) -> Internship:
    internship = selectors.internship_of_intern(user=request.user)
    if internship is None:
        raise Http404
    if not request.user.has_perm("internships.write_daily_report", internship):
        raise PermissionDenied
    return internship


def _intern_day_url(day: dt.date, entry) -> str:
    if entry.report is not None or entry.writable.allowed:
        return reverse("internships:my_daily_report", args=[day.isoformat()])
    return ""


@require_permission("internships.view_own_internship")
def my_daily_reports(request: HttpRequest) -> HttpResponse:
    """The intern's term as a calendar, today's report first, and the reports returned to correct."""
    internship = selectors.internship_of_intern(user=request.user)
    if internship is None:
        return render(request, "internships/internship_none.html", status=404)
    if not request.user.has_perm("internships.write_daily_report", internship):
        raise PermissionDenied
    calendar = selectors.report_calendar(internship=internship)
    today = calendar.day(calendar.today)
    context = {
        "internship": internship,
        "placement": internship.placement,
        "today": today,
        "today_label": state_labels().get(today.state, "") if today else "",
        "today_url": _intern_day_url(calendar.today, today) if today else "",
        "returned": [r for r in calendar.reports if r.status == R.RETURNED],
        "late_days": [d for d in calendar.days if d.state == "late"],
        **calendar_context(calendar, day_url=_intern_day_url),
    }
    return render(request, "internships/daily_reports/intern_calendar.html", context)


def _parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _term_hours(internship: Internship):
    """The hours a day of the intern's term (FY2024 online: 4), to start a new report with."""
    return (
        CourseTerm.objects.filter(
            course__cycle_id=internship.placement.cycle_id,
            course__kind=internship.placement.course,
            starts_on__lte=internship.starts_on,
            ends_on__gte=internship.starts_on,
        )
        .values_list("hours_per_day", flat=True)
        .first()
    )


@require_permission("internships.view_own_internship")
def my_daily_report(request: HttpRequest, day: str) -> HttpResponse:
    """One day's report: written, saved as a draft, submitted, corrected after a return; read only once
    approved or past the limit."""
    internship = _own_internship(request)
    the_day = _parse_day(day)
    report = selectors.report_of_day(internship=internship, day=the_day)
    writable = selectors.writability_of(internship=internship, day=the_day, report=report)
    if report is None and writable.reason in ("outside_term", "not_activity_day", "future"):
        raise Http404  # no report to read, none to write
    default_mode = WorkMode.ONLINE if internship.placement.course == CourseKind.ONLINE else WorkMode.IN_PERSON
    status = 200
    if request.method == "POST":
        if not writable.allowed:
            raise PermissionDenied
        form = DailyReportForm(request.POST)
        submit = request.POST.get("action") != "draft"
        if form.is_valid():
            service = services.daily_report_submit if submit else services.daily_report_draft_save
            try:
                service(internship=internship, day=the_day, data=form.cleaned_data, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                text = (
                    _("Your report of %(day)s is submitted to the host company.")
                    if submit
                    else _("Your draft of %(day)s is saved.")
                )
                messages.success(request, text % {"day": day_label(the_day)})
                return redirect("internships:my_daily_reports")
        status = 400
    else:
        hours = _term_hours(internship) if report is None and internship.starts_on else None
        form = DailyReportForm(initial=DailyReportForm.initial_for(report, mode=default_mode, hours=hours))
    context = {
        "internship": internship,
        "day": the_day,
        "day_label": day_label(the_day),
        "report": report,
        "form": form,
        "writable": writable,
        "why_not": services.WHY_NOT[writable.reason]() if writable.reason else "",
        "can_save_draft": writable.allowed and (report is None or report.status in (R.DRAFT, R.RETURNED)),
        "state_label": state_labels().get(report.status, "") if report else "",
        "state_badge": STATE_BADGES.get(report.status, "") if report else "",
    }
    return render(request, "internships/daily_reports/intern_day.html", context, status=status)


# --- The host company ----------------------------------------------------------------------------------


def _company_internship(company: HostCompany, request: HttpRequest, pk: int) -> Internship:
    internship = selectors.internship_of_company(company=company, pk=pk)
    if internship is None:
        raise Http404
    if not request.user.has_perm("internships.review_daily_reports_of", internship):
        raise PermissionDenied
    return internship


@portal_view
def company_daily_reports(request: HttpRequest, company: HostCompany) -> HttpResponse:
    """Every report of the company's interns waiting for it, in full, the longest-waiting first, to approve in
    bulk or return one by one; and the interns, each with a link to their calendar."""
    waiting = list(selectors.waiting_reports_of_company(company=company))
    waited = selectors.waiting_working_days(waiting)
    limits = selectors.settings_by_cycle(r.internship.placement.cycle_id for r in waiting)
    for report in waiting:
        report.waited = waited.get(report.pk, 0)
        report.overdue = report.waited > limits[report.internship.placement.cycle_id].company_waiting_days
    internships = list(selectors.internships_of_company(company=company))
    return render(
        request,
        "internships/daily_reports/company_inbox.html",
        {
            "company": company,
            "waiting": waiting,
            "internships": internships,
            "form": DailyReportApproveForm(report_ids=[r.pk for r in waiting]),
            "active": "reports",
        },
    )


@portal_view
@require_POST
def company_daily_reports_approve(request: HttpRequest, company: HostCompany) -> HttpResponse:
    ids = list(selectors.waiting_reports_of_company(company=company).values_list("pk", flat=True))
    form = DailyReportApproveForm(request.POST, report_ids=ids)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("internships:company_daily_reports")
    approved = services.daily_reports_approve(
        report_ids=form.cleaned_data["reports"], company=company, by=request.user
    )
    messages.success(
        request,
        ngettext("%(count)d report approved.", "%(count)d reports approved.", len(approved))
        % {"count": len(approved)},
    )
    return redirect("internships:company_daily_reports")


@portal_view
def company_daily_report_return(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    report = selectors.report_of_company(company=company, pk=pk)
    if report is None:
        raise Http404
    if not request.user.has_perm("internships.review_daily_reports_of", report.internship):
        raise PermissionDenied
    form = DailyReportReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.daily_report_return(report=report, comment=form.cleaned_data["comment"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The report of %(day)s is returned to %(name)s.")
                % {"day": day_label(report.day), "name": report.internship.placement.application.full_name},
            )
            return redirect("internships:company_daily_reports")
    return render(
        request,
        "internships/daily_reports/company_return.html",
        {
            "company": company,
            "report": report,
            "day_label": day_label(report.day),
            "form": form,
            "active": "reports",
        },
        status=400 if form.errors else 200,
    )


@portal_view
def company_intern_reports(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    """One intern's calendar and every report they wrote, the mentor who reads them, and the extra days."""
    internship = _company_internship(company, request, pk)
    calendar = selectors.report_calendar(internship=internship)
    labels = state_labels()
    reports = [r for r in reversed(calendar.reports) if r.status != R.DRAFT]  # the newest first
    for report in reports:
        report.state_label, report.state_badge = labels[report.status], STATE_BADGES[report.status]
    return render(
        request,
        "internships/daily_reports/company_intern.html",
        {
            "company": company,
            "internship": internship,
            "application": internship.placement.application,
            "reports": reports,
            "mentor_form": MentorForm(
                initial={"mentor_name": internship.mentor_name, "mentor_title": internship.mentor_title}
            ),
            "extra_form": ExtraDayForm(),
            "active": "reports",
            **calendar_context(calendar, day_url=lambda day, entry: ""),
        },
    )


@portal_view
@require_POST
def company_mentor_set(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    internship = _company_internship(company, request, pk)
    form = MentorForm(request.POST)
    if form.is_valid():
        try:
            services.internship_mentor_set(internship=internship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The mentor is saved."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("internships:company_intern_reports", pk=internship.pk)


@portal_view
@require_POST
def company_extra_day_add(request: HttpRequest, company: HostCompany, pk: int) -> HttpResponse:
    internship = _company_internship(company, request, pk)
    form = ExtraDayForm(request.POST)
    if form.is_valid():
        try:
            services.extra_day_add(internship=internship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(day)s is an activity day for %(name)s now.")
                % {
                    "day": day_label(form.cleaned_data["day"]),
                    "name": internship.placement.application.full_name,
                },
            )
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("internships:company_intern_reports", pk=internship.pk)
