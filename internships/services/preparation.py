"""Every change to an internship's preparation: its status and term, the checklist, the events, attendance.

Rules: docs/program.md §12 (FY2024 call): before the internship, pre-training; for the in-person course visa
assistance, round-trip flights, accommodation and internship insurance; a PC for the intern, from the host
company in person and from the office online on request. Each function checks, writes, and records an audit
entry in one transaction; a refused change raises ValidationError with a message the user reads.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jip import clock
from jip.audit import audit_record
from jip.models import CourseKind, CourseTerm, Milestone, MilestoneKind, ProgramCycle, User

from ..models import (
    Attendance,
    AttendanceStatus,
    EventKind,
    Internship,
    InternshipStatus,
    LogisticsItem,
    LogisticsKind,
    LogisticsStatus,
    ProgramEvent,
)
from ..selectors.preparation import event_concerns

S = InternshipStatus

# preparing → in progress → completed; preparing or in progress → ended early (with a reason); nothing else.
STATUS_MOVES: dict[str, frozenset[str]] = {
    S.PREPARING: frozenset({S.IN_PROGRESS, S.ENDED_EARLY}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.ENDED_EARLY}),
    S.COMPLETED: frozenset(),
    S.ENDED_EARLY: frozenset(),
}

# The checklist of each course (FY2024 call; docs/program.md §12). Online, the office lends a PC only on
# request.
CHECKLIST: dict[str, tuple[LogisticsKind, ...]] = {
    CourseKind.IN_PERSON: (
        LogisticsKind.VISA,
        LogisticsKind.FLIGHTS,
        LogisticsKind.ACCOMMODATION,
        LogisticsKind.INSURANCE,
        LogisticsKind.PC,
    ),
    CourseKind.ONLINE: (LogisticsKind.PC,),
}

# Default hours (JST) of the events `events_schedule_default` makes from the cycle's dates; staff move them.
DEFAULT_HOURS: dict[str, tuple[dt.time, dt.time]] = {
    EventKind.PRE_TRAINING: (dt.time(10), dt.time(12)),
    EventKind.KICK_OFF: (dt.time(10), dt.time(11)),
    EventKind.MID_TERM_INTERVIEW: (dt.time(10), dt.time(12)),
    EventKind.FOLLOW_UP_TRAINING: (dt.time(10), dt.time(12)),
    EventKind.WRAP_UP_PRESENTATION: (dt.time(13), dt.time(17)),
}
MILESTONE_OF_EVENT = {
    EventKind.PRE_TRAINING: MilestoneKind.PRE_TRAINING,
    EventKind.FOLLOW_UP_TRAINING: MilestoneKind.FOLLOW_UP_TRAINING,
    EventKind.WRAP_UP_PRESENTATION: MilestoneKind.WRAP_UP_PRESENTATION,
}
# A multi-day milestone becomes one event from its first morning to its last afternoon.
LAST_DAY_ENDS = dt.time(17)


def _history_by(obj, by: User | None, reason: str) -> None:
    obj._change_reason = reason
    if by is not None and by.is_authenticated:
        obj._history_user = by  # outside a request (shell, task) the middleware knows no user


# --- The internship ------------------------------------------------------------------------------------


def status_moves_from(status: str) -> frozenset[str]:
    return STATUS_MOVES.get(status, frozenset())


@transaction.atomic
def internship_status_set(
    *, internship: Internship, status: str, by: User | None, reason: str = ""
) -> Internship:
    """Moves an internship on: preparing → in progress → completed, or, from preparing or in progress, ended
    early with the reason the office records. A finished internship does not move again
    (docs/program.md §12)."""
    internship = Internship.objects.select_for_update().get(pk=internship.pk)
    if status not in S.values:
        raise ValidationError(_("“%(status)s” is not a status of an internship.") % {"status": status})
    before = internship.status
    if status == before:
        raise ValidationError(
            _("The internship is “%(status)s” already.") % {"status": S(status).label}, code="unchanged"
        )
    if status not in status_moves_from(before):
        raise ValidationError(
            _("An internship that is “%(before)s” cannot become “%(after)s”.")
            % {"before": S(before).label, "after": S(status).label},
            code="not_allowed",
        )
    reason = reason.strip()
    if status == S.ENDED_EARLY and not reason:
        raise ValidationError({"reason": _("Say why the internship ended early.")})
    internship.status = status
    internship.ended_reason = reason if status == S.ENDED_EARLY else ""
    internship.status_changed_at = clock.now()
    _history_by(internship, by, f"status: {status}")
    internship.save(update_fields=["status", "ended_reason", "status_changed_at"])
    audit_record(
        actor=by, action="internship.status", target=internship,
        data={"from": before, "to": status, "reason": reason},
    )  # fmt: skip
    return internship


@transaction.atomic
def internship_details_update(
    *,
    internship: Internship,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    mentor_name: str,
    mentor_title: str,
    by: User | None,
) -> Internship:
    """The term dates and the mentor the office agreed with the host company."""
    internship = Internship.objects.select_for_update().get(pk=internship.pk)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("An internship cannot end before it starts.")})
    values = {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "mentor_name": mentor_name.strip(),
        "mentor_title": mentor_title.strip(),
    }
    changed = sorted(name for name, value in values.items() if getattr(internship, name) != value)
    if not changed:
        return internship
    for name, value in values.items():
        setattr(internship, name, value)
    _history_by(internship, by, "term and mentor")
    internship.save(update_fields=list(values))
    audit_record(
        actor=by, action="internship.updated", target=internship,
        data={name: str(values[name]) if values[name] is not None else None for name in changed},
    )  # fmt: skip
    return internship


# --- The checklist -------------------------------------------------------------------------------------


@transaction.atomic
def internship_checklist_create(*, internship: Internship, by: User | None) -> list[LogisticsItem]:
    """Gives the intern the checklist of their course (docs/program.md §12), each item due by the first day of
    the internship; online, the PC is "not needed" until the intern asks for one. Items that exist are kept,
    so calling it again only adds what is missing. Returns the items made."""
    course = internship.placement.course
    existing = set(internship.logistics.values_list("kind", flat=True))
    items = [
        LogisticsItem(
            internship=internship,
            kind=kind,
            status=(
                LogisticsStatus.NOT_NEEDED
                if course == CourseKind.ONLINE and kind == LogisticsKind.PC
                else LogisticsStatus.TO_DO
            ),
            due_on=None if course == CourseKind.ONLINE else internship.starts_on,
            updated_by=by if by is not None and by.is_authenticated else None,
        )
        for kind in CHECKLIST.get(course, ())
        if kind not in existing
    ]
    if items:
        for item in items:
            item.save()  # one by one, so each item's history starts with its creation
        audit_record(
            actor=by, action="internship.checklist_created", target=internship,
            data={"kinds": [item.kind for item in items]},
        )  # fmt: skip
    return items


@transaction.atomic
def logistics_pc_request(*, internship: Internship, by: User | None, note: str = "") -> LogisticsItem:
    """An intern on the online course asks the office for a PC (FY2024 call: online, the office provides it on
    separate request; docs/program.md §12); the item becomes "to do", due by the first day of the
    internship."""
    if internship.placement.course != CourseKind.ONLINE:
        raise ValidationError(_("Only an intern of the online course asks the JIP office for a PC."))
    if internship.status in (S.COMPLETED, S.ENDED_EARLY):
        raise ValidationError(_("This internship is over."), code="finished")
    item = (
        LogisticsItem.objects.select_for_update().filter(internship=internship, kind=LogisticsKind.PC).first()
    )
    if item is None:
        raise ValidationError(_("Your checklist is not ready yet. Please try again later."), code="no_item")
    if item.status != LogisticsStatus.NOT_NEEDED:
        raise ValidationError(_("You have asked for a PC already."), code="requested")
    note = note.strip()
    item.status = LogisticsStatus.TO_DO
    item.requested_at = clock.now()
    item.due_on = item.due_on or internship.starts_on
    if note:
        item.notes = f"{item.notes}\n{note}".strip() if item.notes else note
    item.updated_by = by if by is not None and by.is_authenticated else None
    _history_by(item, by, "PC requested")
    item.save()
    audit_record(actor=by, action="logistics.pc_requested", target=item, data={"note": note})
    return item


@transaction.atomic
def logistics_item_update(
    *,
    item: LogisticsItem,
    status: str,
    due_on: dt.date | None,
    done_on: dt.date | None,
    notes: str,
    by: User | None,
) -> LogisticsItem:
    """Records where an item of the checklist stands. "Done" needs the day it was done, which cannot be in
    the future; only a done item has that day; a blocked item says what blocks it (docs/program.md §12)."""
    item = LogisticsItem.objects.select_for_update().get(pk=item.pk)
    if status not in LogisticsStatus.values:
        raise ValidationError({"status": _("“%(status)s” is not a status of an item.") % {"status": status}})
    notes = notes.strip()
    errors = {}
    if status == LogisticsStatus.DONE:
        if done_on is None:
            errors["done_on"] = _("Give the day it was done.")
        elif done_on > clock.today_jst():
            errors["done_on"] = _("The day it was done cannot be in the future.")
    elif done_on is not None:
        errors["done_on"] = _("Only a done item has the day it was done.")
    if status == LogisticsStatus.BLOCKED and not notes:
        errors["notes"] = _("Say what blocks it, so the JIP office can help.")
    if errors:
        raise ValidationError(errors)
    values = {"status": status, "due_on": due_on, "done_on": done_on, "notes": notes}
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    if not changed:
        return item
    before = item.status
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_by = by if by is not None and by.is_authenticated else None
    _history_by(item, by, f"status: {status}")
    item.save()
    audit_record(
        actor=by, action="logistics.updated", target=item,
        data={"kind": item.kind, "from": before, "to": status, "fields": changed},
    )  # fmt: skip
    return item


# --- Events and attendance -----------------------------------------------------------------------------


@transaction.atomic
def program_event_save(*, event: ProgramEvent, by: User | None) -> ProgramEvent:
    """Adds an event to the cycle's schedule, or changes one; the interns' calendars follow it (same UID)."""
    created = event.pk is None
    event.full_clean()
    _history_by(event, by, "created" if created else "changed")
    event.save()
    audit_record(
        actor=by, action="event.created" if created else "event.changed", target=event,
        data={"kind": event.kind, "course": event.course, "starts_at": event.starts_at.isoformat()},
    )  # fmt: skip
    return event


@transaction.atomic
def program_event_delete(*, event: ProgramEvent, by: User | None) -> None:
    """Takes an event off the schedule; one with attendance recorded stays, as part of the interns' record."""
    if event.attendances.exists():
        raise ValidationError(
            _("Attendance is recorded for this event: change its date instead."), code="attended"
        )
    audit_record(
        actor=by, action="event.deleted", target=event,
        data={"kind": event.kind, "course": event.course, "starts_at": event.starts_at.isoformat()},
    )  # fmt: skip
    _history_by(event, by, "deleted")
    event.delete()


@transaction.atomic
def event_attendance_record(
    *, event: ProgramEvent, internship: Internship, status: str, by: User | None
) -> Attendance:
    """Staff record whether an intern took part: present, absent or excused, once the event has begun
    (FY2024 call: interns take part in pre-training, follow-up training and the wrap-up presentation;
    docs/program.md §12)."""
    if status not in AttendanceStatus.values:
        raise ValidationError(_("“%(status)s” is not an attendance.") % {"status": status})
    if not event_concerns(event=event, internship=internship):
        raise ValidationError(_("This event is not on the intern's schedule."), code="not_participant")
    if event.starts_at > clock.now():
        raise ValidationError(_("Attendance is recorded once the event has begun."), code="not_begun")
    attendance = Attendance.objects.select_for_update().filter(event=event, internship=internship).first()
    before = attendance.status if attendance else ""
    if attendance is None:
        attendance = Attendance(event=event, internship=internship)
    elif before == status:
        return attendance
    attendance.status = status
    attendance.recorded_by = by if by is not None and by.is_authenticated else None
    attendance.save()
    audit_record(
        actor=by, action="event.attendance", target=event,
        data={"internship": internship.pk, "from": before, "to": status},
    )  # fmt: skip
    return attendance


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=clock.JST)


def _span(kind: str, first: dt.date, last: dt.date | None) -> tuple[dt.datetime, dt.datetime]:
    starts, ends = DEFAULT_HOURS[kind]
    if last is not None and last > first:
        return _at(first, starts), _at(last, LAST_DAY_ENDS)
    return _at(first, starts), _at(first, ends)


@transaction.atomic
def events_schedule_default(*, cycle: ProgramCycle, by: User | None) -> list[ProgramEvent]:
    """The five events of each course of the cycle, from the dates the cycle carries: pre-training,
    follow-up training and the wrap-up presentation on their milestones' days; a kick-off on the first day
    and a mid-term interview on the middle day of each dated term. What has no date yet is left out, and an
    event of the same kind, course and term is never made twice; staff then set times and places
    (docs/program.md §12)."""
    milestones = {
        m.kind: m
        for m in Milestone.objects.filter(cycle=cycle, starts_on__isnull=False).order_by("order", "starts_on")
    }
    existing = set(ProgramEvent.objects.filter(cycle=cycle).values_list("kind", "course", "term_id"))
    made = []

    def make(
        kind: str, course: str, term: CourseTerm | None, first: dt.date, last: dt.date | None = None
    ) -> None:
        if (kind, course, term.pk if term else None) in existing:
            return
        starts_at, ends_at = _span(kind, first, last)
        event = ProgramEvent(
            cycle=cycle, course=course, term=term, kind=kind, starts_at=starts_at, ends_at=ends_at
        )
        event.full_clean()
        _history_by(event, by, "default schedule")
        event.save()
        made.append(event)

    for course in cycle.courses.prefetch_related("terms").order_by("kind"):
        for kind, milestone_kind in MILESTONE_OF_EVENT.items():
            milestone = milestones.get(milestone_kind)
            if milestone is not None and milestone.starts_on is not None:  # the query kept dated ones
                make(kind, course.kind, None, milestone.starts_on, milestone.ends_on)
        for term in sorted(course.terms.all(), key=lambda t: t.number):
            if term.starts_on is None:
                continue
            make(EventKind.KICK_OFF, course.kind, term, term.starts_on)
            if term.ends_on is not None and term.ends_on > term.starts_on:
                middle = term.starts_on + dt.timedelta(days=(term.ends_on - term.starts_on).days // 2)
                make(EventKind.MID_TERM_INTERVIEW, course.kind, term, middle)
    if made:
        audit_record(
            actor=by, action="events.default_schedule", target=cycle,
            data={"events": [event.pk for event in made]},
        )  # fmt: skip
    return made
