"""Time comes from one place, so tests move the clock (time-machine) instead of sleeping."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

JST = ZoneInfo("Asia/Tokyo")


def now() -> dt.datetime:
    return timezone.now()


def today_jst() -> dt.date:
    return now().astimezone(JST).date()


def end_of_day_jst(day: dt.date) -> dt.datetime:
    """The first instant after `day` ends in Japan: a deadline "30 June, end of day JST" closes here."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=JST)
