"""Which days an intern works: pure functions over dates, no database (docs/daily-reports.md).

Expected activity days are the weekdays of the term, less Japanese public holidays (jpholiday, substitute
holidays and the "national holiday" between two holidays included), less closure periods (the JIP office's
for the cycle, and the host company's own), plus the extra days the company or the office added (a Saturday
event).
The same rules serve the online course: its interns follow the Japanese calendar of their host company.

A report is for the intern's local date: the date in their time zone at the moment they write, never the
server's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import jpholiday
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

SATURDAY = 5
SUBSTITUTE = " 振替休日"  # jpholiday names a substitute holiday "<holiday> 振替休日"

# jpholiday's names are Japanese; English readers see these (the Japanese catalogue gives the names back).
HOLIDAY_NAMES = {
    "元日": gettext_lazy("New Year's Day"),
    "成人の日": gettext_lazy("Coming of Age Day"),
    "建国記念の日": gettext_lazy("National Foundation Day"),
    "天皇誕生日": gettext_lazy("The Emperor's Birthday"),
    "春分の日": gettext_lazy("Vernal Equinox Day"),
    "昭和の日": gettext_lazy("Showa Day"),
    "憲法記念日": gettext_lazy("Constitution Memorial Day"),
    "みどりの日": gettext_lazy("Greenery Day"),
    "こどもの日": gettext_lazy("Children's Day"),
    "海の日": gettext_lazy("Marine Day"),
    "山の日": gettext_lazy("Mountain Day"),
    "敬老の日": gettext_lazy("Respect for the Aged Day"),
    "秋分の日": gettext_lazy("Autumnal Equinox Day"),
    "スポーツの日": gettext_lazy("Sports Day"),
    "体育の日": gettext_lazy("Health and Sports Day"),
    "文化の日": gettext_lazy("Culture Day"),
    "勤労感謝の日": gettext_lazy("Labour Thanksgiving Day"),
    "国民の休日": gettext_lazy("Citizens' Holiday"),
}


def _japanese() -> bool:
    return (get_language() or "").startswith("ja")


def holiday_label(name_ja: str) -> str:
    """A public holiday's name in the reader's language, from jpholiday's Japanese name."""
    if _japanese():
        return name_ja
    base, substitute = (
        (name_ja[: -len(SUBSTITUTE)], True) if name_ja.endswith(SUBSTITUTE) else (name_ja, False)
    )
    english = HOLIDAY_NAMES.get(base)
    if english is None:
        return name_ja  # a one-off holiday (an enthronement ceremony): its own name
    if substitute:
        return _("%(holiday)s (substitute holiday)") % {"holiday": english}
    return str(english)


@lru_cache(maxsize=64)
def _holidays_of_year(year: int) -> dict[dt.date, str]:
    return dict(jpholiday.year_holidays(year))


def holiday_name(day: dt.date) -> str | None:
    """The Japanese name of the public holiday on `day`, or None on a working day."""
    return _holidays_of_year(day.year).get(day)


@dataclass(frozen=True)
class Closure:
    """Days on which no report is expected (the office's year-end closure, a company's Obon)."""

    starts_on: dt.date
    ends_on: dt.date
    name_en: str
    name_ja: str

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def name(self) -> str:
        return self.name_ja if _japanese() else self.name_en


class DayKind(StrEnum):
    ACTIVITY = "activity"
    EXTRA = "extra"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    CLOSURE = "closure"


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    kind: DayKind
    name: str = ""  # the holiday's or the closure's name, or what happens on an extra day

    @property
    def is_activity_day(self) -> bool:
        return self.kind in (DayKind.ACTIVITY, DayKind.EXTRA)


class WorkCalendar:
    """Japanese business days, less the closures, plus the extra days."""

    def __init__(self, *, closures: Iterable[Closure] = (), extra_days: dict[dt.date, str] | None = None):
        self.closures = sorted(closures, key=lambda c: (c.starts_on, c.ends_on))
        self.extra_days = dict(extra_days or {})

    def closure_on(self, day: dt.date) -> Closure | None:
        return next((c for c in self.closures if c.covers(day)), None)

    def info(self, day: dt.date) -> DayInfo:
        """What `day` is. An extra day wins over everything: the company asked the intern to come."""
        if day in self.extra_days:
            return DayInfo(day, DayKind.EXTRA, self.extra_days[day])
        closure = self.closure_on(day)
        holiday = holiday_name(day)
        if holiday is not None:
            return DayInfo(day, DayKind.HOLIDAY, holiday_label(holiday))
        if closure is not None:
            return DayInfo(day, DayKind.CLOSURE, closure.name)
        if day.weekday() >= SATURDAY:
            return DayInfo(day, DayKind.WEEKEND)
        return DayInfo(day, DayKind.ACTIVITY)

    def is_activity_day(self, day: dt.date) -> bool:
        if day in self.extra_days:
            return True
        return day.weekday() < SATURDAY and holiday_name(day) is None and self.closure_on(day) is None

    def days(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """Every day from `start` to `end`, both included, with what it is."""
        return [self.info(start + dt.timedelta(days=n)) for n in range((end - start).days + 1)]

    def activity_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The expected activity days from `start` to `end`, both included."""
        return [
            day
            for day in (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
            if self.is_activity_day(day)
        ]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The activity days after `start` up to `end` included: how long something has waited."""
        if end <= start:
            return 0
        return len(self.activity_days(start + dt.timedelta(days=1), end))


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The date it is at `moment` where the intern is: Friday evening in Lima is Friday, though Tokyo is on
    Saturday already."""
    return moment.astimezone(zone).date()


def writable_until(day: dt.date, *, late_limit_days: int) -> dt.date:
    """The last local date on which the intern may still write `day` themself."""
    return day + dt.timedelta(days=late_limit_days)
