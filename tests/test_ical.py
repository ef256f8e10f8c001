"""core/ical.py writes iCalendar text as RFC 5545 says: read back by a strict parser."""

import datetime

from core import ical
from tests.helpers import parse_ics

STAMP = datetime.datetime(2026, 5, 4, 9, 30, tzinfo=datetime.UTC)


def _event(**kwargs) -> ical.Event:
    values = {
        "uid": "meeting-1@example.org",
        "summary": "Meeting",
        "day": datetime.date(2026, 6, 1),
    }
    values.update(kwargs)
    return ical.Event(stamp=STAMP, **values)


def test_text_is_escaped_and_read_back_whole():
    summary = "Plan; review, then \\ decide"
    description = "Line one\nLine two\r\nLine three\rend\x07"
    text = ical.calendar([_event(summary=summary, description=description)], name="A, B; C")
    assert "SUMMARY:Plan\\; review\\, then \\\\ decide\r\n" in text
    calendar = parse_ics(text.encode())
    event = calendar.events[0]
    assert event.get("SUMMARY") == summary
    # Every kind of line break is one newline; the bell (a control character) is dropped.
    assert event.get("DESCRIPTION") == "Line one\nLine two\nLine three\nend"
    assert calendar.get("X-WR-CALNAME") == "A, B; C"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    arabic = "اجتماع فريق العمل الشهري حول الدعم النفسي والاجتماعي " * 4
    latin = "x" * 200
    text = ical.calendar([_event(summary=arabic, description=latin)], name="n")
    data = text.encode("utf-8")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert b"\r\n " in data  # folded
    event = parse_ics(data).events[0]
    assert event.get("SUMMARY") == arabic
    assert event.get("DESCRIPTION") == latin


def test_an_all_day_event_ends_the_next_day_and_stamps_are_utc():
    paris = datetime.timezone(datetime.timedelta(hours=1))
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=paris)
    event = ical.Event(
        uid="x@y", summary="End of year", day=datetime.date(2026, 12, 31), stamp=moment
    )
    parsed = parse_ics(ical.calendar([event], name="n").encode()).events[0]
    assert parsed.get("DTSTART") == "20261231"
    assert parsed.get("DTEND") == "20270101"
    assert parsed.get("DTSTAMP") == "20261231T223000Z"


def test_a_feed_says_how_often_to_fetch_it_and_a_file_does_not():
    feed = parse_ics(ical.calendar([], name="n", feed=True).encode())
    assert feed.get("REFRESH-INTERVAL") == "PT6H"
    single = parse_ics(ical.calendar([_event()], name="n").encode())
    assert not [p for p in single.props if p[0] == "REFRESH-INTERVAL"]
    assert single.get("METHOD") == "PUBLISH"


def test_uid_keeps_only_safe_characters_and_url_no_spaces():
    event = _event(uid="meeting 1;x@example.org", url="https://example.org/a b")
    parsed = parse_ics(ical.calendar([event], name="n").encode()).events[0]
    assert parsed.get("UID") == "meeting-1-x@example.org"
    assert parsed.get("URL") == "https://example.org/ab"
