"""How internships' facts read on a page: badges, dates and times in Japan and in the intern's zone, the
checklist and schedule rows, where an agreement stands, the daily reports' calendar. Used by the pages and by
the admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_gmt, get_timezone_location
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jip import clock
from jip.models import CourseKind

from .models import AgreementKind, Internship, LogisticsItem, LogisticsKind, LogisticsStatus, ProgramEvent
from .selectors import agreements as agreement_selectors
from .selectors import daily_reports as daily_selectors
from .selectors import preparation as selectors

STATUS_BADGES = {
    "preparing": "text-bg-info",
    "in_progress": "text-bg-primary",
    "completed": "text-bg-success",
    "ended_early": "text-bg-danger",
}
ITEM_BADGES = {
    LogisticsStatus.TO_DO: "text-bg-warning",
    LogisticsStatus.IN_PROGRESS: "text-bg-info",
    LogisticsStatus.DONE: "text-bg-success",
    LogisticsStatus.BLOCKED: "text-bg-danger",
    LogisticsStatus.NOT_NEEDED: "text-bg-secondary",
}


def _day(moment: dt.datetime) -> str:
    return f"{date_format(moment, 'DATE_FORMAT')} ({date_format(moment, 'D')})"


def when_in(starts_at: dt.datetime, ends_at: dt.datetime, zone: ZoneInfo) -> str:
    """ "June 3, 2024 (Mon) 10:00–12:00" in `zone`, or from one day to another."""
    starts, ends = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if starts.date() == ends.date():
        return f"{_day(starts)} {time_format(starts, 'H:i')}–{time_format(ends, 'H:i')}"
    return f"{_day(starts)} {time_format(starts, 'H:i')} – {_day(ends)} {time_format(ends, 'H:i')}"


def zone_label(zone: ZoneInfo, moment: dt.datetime) -> str:
    """ "Vietnam Time (GMT+07:00)", in the reader's language."""
    locale = "ja" if (get_language() or "").startswith("ja") else "en"
    local = moment.astimezone(zone)
    name = get_timezone_location(zone, locale=locale)
    if "/" in name:  # CLDR names no city for some zones ("Argentina (Argentina/Buenos Aires) Time")
        territory = get_global("zone_territories").get(zone.key, "")
        name = Locale.parse(locale).territories.get(territory, zone.key)
    return f"{name} ({get_timezone_gmt(local, locale=locale)})"


@dataclass
class ScheduleRow:
    event: ProgramEvent
    when_jst: str
    when_local: str
    local_label: str
    ics_url: str
    is_past: bool
    attendance: str


def schedule_rows(events, *, zone: ZoneInfo | None, ics_name: str) -> list[ScheduleRow]:
    now = clock.now()
    rows = []
    for event in events:
        mine = getattr(event, "mine", None)
        rows.append(
            ScheduleRow(
                event=event,
                when_jst=when_in(event.starts_at, event.ends_at, clock.JST),
                when_local=when_in(event.starts_at, event.ends_at, zone) if zone else "",
                local_label=zone_label(zone, event.starts_at) if zone else "",
                ics_url=reverse(ics_name, args=[event.pk]) if ics_name else "",
                is_past=event.ends_at < now,
                attendance=mine[0].get_status_display() if mine else "",
            )
        )
    return rows


@dataclass
class ChecklistRow:
    item: LogisticsItem
    provider: str
    badge: str
    is_overdue: bool


def checklist_rows(internship: Internship) -> list[ChecklistRow]:
    today = clock.today_jst()
    host_pc = internship.placement.course == CourseKind.IN_PERSON
    return [
        ChecklistRow(
            item=item,
            provider=_("Host company") if item.kind == LogisticsKind.PC and host_pc else _("JIP office"),
            badge=ITEM_BADGES.get(item.status, "text-bg-secondary"),
            is_overdue=selectors.item_is_overdue(item, today),
        )
        for item in selectors.checklist_sorted(getattr(internship, "checklist_items", []))
    ]


WAITING_BADGES = {
    agreement_selectors.Waiting.RENDERING: "text-bg-secondary",
    agreement_selectors.Waiting.FAILED: "text-bg-secondary",
    agreement_selectors.Waiting.PARTY: "text-bg-warning",
    agreement_selectors.Waiting.OFFICE: "text-bg-info",
    agreement_selectors.Waiting.SIGNED: "text-bg-success",
    agreement_selectors.Waiting.NOTHING: "text-bg-secondary",
}


def state_label(agreement, *, for_party: bool) -> str:
    """Where an agreement stands, in words for its reader."""
    waiting = agreement.waiting_for
    if waiting in (agreement_selectors.Waiting.RENDERING, agreement_selectors.Waiting.NOTHING):
        return _("Being prepared")
    if waiting == agreement_selectors.Waiting.FAILED:
        return _("Being prepared") if for_party else _("Rendering failed")
    if waiting == agreement_selectors.Waiting.PARTY:
        if for_party:
            return _("Waiting for your signature")
        return (
            _("Waiting for the intern")
            if agreement.kind == AgreementKind.INTERN
            else _("Waiting for the company")
        )
    if waiting == agreement_selectors.Waiting.OFFICE:
        return _("Signed; waiting for the JIP office's countersignature")
    return _("Signed by both parties")


# --- Daily reports: the calendar's cells, states and legend ---------------------------------------------

# The calendar's states: their colour (Bootstrap) and their name, in the legend and on each day.
STATE_BADGES = {
    "approved": "text-bg-success",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "draft": "text-bg-info",
    "open": "text-bg-light border",
    "late": "text-bg-danger",
    "missing": "text-bg-dark",
    "upcoming": "text-bg-light",
}


def state_labels() -> dict[str, str]:
    return {
        "approved": _("Approved"),
        "submitted": _("Submitted"),
        "returned": _("Returned"),
        "draft": _("Draft"),
        "open": _("To write today"),
        "late": _("Late: still to write"),
        "missing": _("Missing"),
        "upcoming": _("To come"),
    }


def day_label(day: dt.date) -> str:
    return f"{date_format(day, 'DATE_FORMAT')} ({date_format(day, 'D')})"


@dataclass
class DayCell:
    """One day of the calendar as the template shows it."""

    day: dt.date
    kind: str
    name: str
    state: str
    label: str
    badge: str
    url: str
    is_today: bool
    late_tag: bool
    date_text: str  # the day of the month; with the month on the first day shown and on each 1st


def calendar_cells(calendar: daily_selectors.ReportCalendar, *, day_url) -> list[list[DayCell | None]]:
    """The term's weeks (Monday to Sunday) of cells; `day_url(day, entry)` links a day, or gives ""."""
    labels = state_labels()
    weeks = []
    first = calendar.days[0].day if calendar.days else None
    for week in calendar.weeks:
        cells: list[DayCell | None] = []
        for entry in week:
            if entry is None:
                cells.append(None)
                continue
            info = entry.info
            label = labels.get(entry.state, "") if entry.state else (info.name or "")
            cells.append(
                DayCell(
                    day=entry.day, kind=str(info.kind), name=info.name, state=entry.state,
                    label=label, badge=STATE_BADGES.get(entry.state, ""), url=day_url(entry.day, entry),
                    is_today=entry.is_today, late_tag=bool(entry.report and entry.report.is_late),
                    date_text=date_format(entry.day, "n/j" if entry.day.day == 1 or entry.day == first
                                          else "j"),
                )
            )  # fmt: skip
        weeks.append(cells)
    return weeks


def days_off(calendar: daily_selectors.ReportCalendar) -> list[dict]:
    """The holidays, closure days and extra days of the term, with their names."""
    return [
        {"day": entry.day, "kind": str(entry.info.kind), "name": entry.info.name}
        for entry in calendar.days
        if entry.info.kind in ("holiday", "closure", "extra")
    ]


def calendar_context(calendar: daily_selectors.ReportCalendar, *, day_url) -> dict:
    """What the calendar include shows: the weeks' cells, the days off, the legend with its counts."""
    counts = calendar.counts
    return {
        "calendar": calendar,
        "weeks": calendar_cells(calendar, day_url=day_url),
        "days_off": days_off(calendar),
        "legend": [  # the days to come are plain
            (state, label, STATE_BADGES[state], counts.get(state, 0))
            for state, label in state_labels().items()
            if state != "upcoming"
        ],
        "weekday_names": [date_format(dt.date(2024, 1, n), "D") for n in range(1, 8)],  # Monday to Sunday
    }
