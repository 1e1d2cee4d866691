"""Where a person abroad lives in time: their country's main time zone, for showing times beside JST."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global

# Countries of the eligible list whose first CLDR zone is not where most people live (babel lists a
# country's zones alphabetically by their CLDR code, so Indonesia would start with Jayapura).
MAIN_ZONE = {
    "BR": "America/Sao_Paulo",
    "CD": "Africa/Kinshasa",
    "EC": "America/Guayaquil",
    "FM": "Pacific/Pohnpei",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "UZ": "Asia/Tashkent",
    "XK": "Europe/Belgrade",
}


def time_zone_of_country(country_code: str | None) -> ZoneInfo | None:
    """The time zone where most people of a country live, from CLDR's list of the country's zones."""
    code = (country_code or "").upper()
    names = get_global("territory_zones").get(code) or []
    name = MAIN_ZONE.get(code) or (names[0] if names else None)
    if not name or name.startswith("Etc/"):  # CLDR's "unknown region" (ZZ) has Etc/GMT
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None
