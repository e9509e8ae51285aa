"""An iCalendar writer (RFC 5545), pure Python: no Django import.

Only what the product sends: a VCALENDAR of all-day VEVENTs (a meeting's date, a duty's
deadline). Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character);
TEXT values escape backslash, semicolon, comma and newlines (§ 3.3.11). A UID is stable for
the same event, so a client updates an event it already has instead of adding a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODID = "-//Helhedsplan//Helhedsplan//DA"
FOLD_AT = 75  # octets per line, the CRLF not counted (§ 3.1)


@dataclass(frozen=True)
class Event:
    """An all-day event on ``day``."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (§ 3.3.11): backslash, semicolon and comma escaped, newlines as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at ``FOLD_AT`` octets: each continuation begins with a space
    (which counts towards its line's octets). A character is never split."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, FOLD_AT
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        # DTEND is exclusive: an all-day event ends the next day (§ 3.6.1).
        f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        # URL is a URI value, not TEXT: not escaped (§ 3.8.4.6).
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    stamp: datetime,
    name: str = "",
    method: str = "",
) -> str:
    """The VCALENDAR object as text (CRLF line ends, folded). ``stamp``: the DTSTAMP of every
    event (when the object was made, an aware datetime); ``name``: the calendar's name shown
    by clients (X-WR-CALNAME); ``method``: the iTIP method (RFC 5546) of an invitation
    ("PUBLISH"), none for a feed."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    when = _utc_stamp(stamp)
    for event in events:
        lines.extend(_event_lines(event, when))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# Reading back (the tests, and anyone checking what a mail carried): unfold and unescape.


def unfold(text: str) -> list[str]:
    """The content lines of ``text``: CRLF followed by a space or tab joins the lines."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def unescape_text(value: str) -> str:
    out = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def parse_events(text: str) -> list[dict[str, str]]:
    """Each VEVENT's properties (name with parameters, e.g. ``DTSTART;VALUE=DATE``) and
    their values, TEXT values unescaped."""
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            name, value = line.split(":", 1)
            current[name] = value if name == "URL" else unescape_text(value)
    return events
