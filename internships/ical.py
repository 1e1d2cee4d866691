"""The schedule as an iCalendar file (RFC 5545), so interns and companies add it to their own calendar.

Each event keeps one UID for good, so a second download updates the calendar entry instead of adding a copy;
times are written in UTC (every calendar shows them in its owner's zone); the names are in the viewer's
language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from jip import clock

from .models import ProgramEvent

PRODID = "-//METI Japan Internship Program//JIP Admin//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(event: ProgramEvent, *, domain: str) -> str:
    return f"program-event-{event.pk}@{domain}"


def _description(event: ProgramEvent) -> str:
    lines = []
    if event.course:
        lines.append(str(event.get_course_display()))
    if event.notes:
        lines.append(event.notes)
    lines.append(_("Japan Internship Program (JIP)"))
    return "\n\n".join(lines)


def calendar_bytes(events: Iterable[ProgramEvent], *, language: str, domain: str, name: str = "") -> bytes:
    """A VCALENDAR with one VEVENT per event, its texts in `language`."""
    stamp = clock.now().astimezone(dt.UTC)
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name or _("JIP schedule"))
        for event in events:
            entry = Event()
            entry.add("uid", event_uid(event, domain=domain))
            entry.add("dtstamp", stamp)
            entry.add("dtstart", event.starts_at.astimezone(dt.UTC))
            entry.add("dtend", event.ends_at.astimezone(dt.UTC))
            entry.add("summary", event.summary)
            entry.add("description", _description(event))
            if event.place:
                entry.add("location", event.place)
                if event.place.startswith(("https://", "http://")):
                    entry.add("url", event.place)
            calendar.add_component(entry)
        return calendar.to_ical()


def calendar_response(
    events: Iterable[ProgramEvent], *, request, filename: str, name: str = ""
) -> HttpResponse:
    body = calendar_bytes(
        events,
        language=translation.get_language() or "en",
        domain=request.get_host().split(":")[0],
        name=name,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
