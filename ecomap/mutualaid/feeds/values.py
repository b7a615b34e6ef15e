"""Reading single values as feeds send them: days, times, time zones, text, web addresses."""

from __future__ import annotations

import re
from datetime import time
from functools import cache
from urllib.parse import urlparse
from zoneinfo import available_timezones

from .. import codes

DAY_NAMES = {name: i for i, names in enumerate(
    [("sunday", "sun"), ("monday", "mon"), ("tuesday", "tue", "tues"),
     ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"), ("friday", "fri"),
     ("saturday", "sat")]) for name in names}
TIME_24 = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
TIME_12 = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m?\.?$", re.I)
TIMEZONE_ALIASES = {
    **dict.fromkeys(("et", "est", "edt", "eastern"), "America/New_York"),
    **dict.fromkeys(("ct", "cst", "cdt", "central"), "America/Chicago"),
    **dict.fromkeys(("mt", "mst", "mdt", "mountain"), "America/Denver"),
    **dict.fromkeys(("pt", "pst", "pdt", "pacific", "west_coast", "west coast"),
                    "America/Los_Angeles"),
}


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def timezone_name(value: str) -> tuple[str | None, bool]:
    """(IANA name or None, whether it was an alias or a different spelling)."""
    if _zones().get(value.casefold()) == value:
        return value, False
    folded = value.strip().casefold().replace(" ", "_")
    if folded in _zones():
        return _zones()[folded], True
    alias = TIMEZONE_ALIASES.get(value.strip().casefold())
    return alias, alias is not None


def parse_time(value) -> tuple[time | None, str]:
    """A time of day, and "" or a warning code: `time_12h`, `time_seconds`, `time_24`."""
    if not isinstance(value, str):
        return None, ""
    text = value.strip()
    if text.casefold() in ("noon", "12 noon"):
        return time(12, 0), "time_12h"
    if text.casefold() == "midnight":
        return time(0, 0), "time_12h"
    match = TIME_24.match(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour == 24 and minute == 0 and second == 0:
            return time(0, 0), "time_24"
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute), ("time_seconds" if match[3] and second else "")
        return None, ""
    match = TIME_12.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute < 60:
            hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
            return time(hour, minute), "time_12h"
    return None, ""


def one_day(value) -> tuple[int | None, str]:
    if isinstance(value, bool):
        return None, ""
    if isinstance(value, int):
        return (value, "") if 0 <= value <= 6 else (None, "")
    if isinstance(value, float) and value.is_integer() and 0 <= value <= 6:
        return int(value), "day_number"
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and 0 <= int(text) <= 6:  # "²" is a digit too
            return int(text), "day_string"
        if text.casefold() in DAY_NAMES:
            return DAY_NAMES[text.casefold()], "day_name"
    return None, ""


def is_blank(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str)
                                                            and not value.strip())


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return ""


def web_address(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in value


def attendance(types: set[str], approximate: bool) -> str:
    """TSML's `tsml_calculate_attendance_option` (includes/functions.php)."""
    online, closed = codes.ONLINE in types, codes.TEMPORARILY_CLOSED in types
    if online and closed:
        return "online"
    if closed:
        return "inactive"
    if online:
        return "online" if approximate else "hybrid"
    return "inactive" if approximate else "in_person"
