"""iCalendar text (RFC 5545) for the meetings' .ics files and the personal calendar feeds.

A small writer of what the tracker needs, all-day events only (meetings, due dates and
milestones carry a date, no time): CRLF line endings, lines folded at 75 octets without
splitting a UTF-8 character, TEXT values escaped (backslash, semicolon, comma, newlines),
control characters dropped, DTSTAMP in UTC, an all-day event as DTSTART;VALUE=DATE with DTEND
the next day (the end is exclusive). The maintained library is `icalendar` on PyPI; it is not a
dependency of the project (yet), so this module is tested by parsing its output back strictly
(tests/test_ical.py).
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
FOLD_AT = 75  # octets per line, CRLF excluded (RFC 5545 §3.1)
PRODID = "-//IFRC Psychosocial Centre//MHPSS Roadmap Tracker//EN"
# How often a calendar app should fetch a feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH = "PT6H"


@dataclass
class Event:
    """An all-day event: ``uid`` stays the same for the same item in every file and feed."""

    uid: str
    summary: str
    day: datetime.date
    stamp: datetime.datetime  # when the item last changed (DTSTAMP and LAST-MODIFIED)
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every newline written ``\\n``,
    other control characters (not allowed in TEXT) dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded: at most 75 octets per physical line, each continuation
    starting with a space (which counts), never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = [], 0, FOLD_AT
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, FOLD_AT
        current.append(ch)
        size += width
    out.append("".join(current))
    return CRLF.join(out)


def _utc(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


_SAFE_UID = re.compile(r"[^A-Za-z0-9@._-]")


def _event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        "UID:" + _SAFE_UID.sub("-", event.uid),
        "DTSTAMP:" + _utc(event.stamp),
        "LAST-MODIFIED:" + _utc(event.stamp),
        "DTSTART;VALUE=DATE:" + _date(event.day),
        "DTEND;VALUE=DATE:" + _date(event.day + datetime.timedelta(days=1)),
        "SUMMARY:" + escape_text(event.summary),
        # A due date or a meeting of unknown hours does not block the day.
        "TRANSP:TRANSPARENT",
    ]
    if event.description:
        lines.append("DESCRIPTION:" + escape_text(event.description))
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    if event.url:
        # A URI value, not TEXT: nothing to escape, but no line breaks either.
        lines.append("URL;VALUE=URI:" + re.sub(r"[\s]", "", event.url))
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str, feed: bool = False) -> str:
    """A VCALENDAR of the events, as text with CRLF line endings (encode it as UTF-8).

    ``name`` is the calendar's name shown by calendar apps; a ``feed`` also says how often to
    fetch it again.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + PRODID,
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:" + escape_text(name),
        "X-WR-CALNAME:" + escape_text(name),
    ]
    if feed:
        lines += [
            f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
            f"X-PUBLISHED-TTL:{REFRESH}",
        ]
    for event in events:
        lines += _event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
