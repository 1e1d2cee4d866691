"""Interview times for an applicant abroad: shown in their own time zone and in Japan's (JST)."""

from __future__ import annotations

import zoneinfo

from babel.core import get_global

from jip.clock import JST


def zone_for_country(code: str | None) -> zoneinfo.ZoneInfo:
    """The main time zone of the applicant's country of residence (CLDR's first zone for the territory)."""
    zones = get_global("territory_zones").get((code or "").upper()) or []
    for name in zones:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return JST
