"""The iCalendar writer (lib/ical.py): RFC 5545's lines, folding and escaping."""

from __future__ import annotations

from datetime import UTC, date, datetime

from helhedsplan.lib import ical

STAMP = datetime(2019, 3, 1, 8, 30, tzinfo=UTC)


def _event(**kwargs: object) -> ical.Event:
    values: dict[str, object] = {
        "uid": "meeting-7@helhedsplan.example.dk",
        "day": date(2019, 3, 20),
        "summary": "Bestyrelse: Ordinært møde",
    }
    values.update(kwargs)
    return ical.Event(**values)  # type: ignore[arg-type]


def test_a_calendar_has_crlf_lines_and_the_required_properties() -> None:
    text = ical.calendar([_event(url="https://x.example/planer/a/moeder/7/")], stamp=STAMP)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Helhedsplan//Helhedsplan//DA",
        "CALSCALE:GREGORIAN",
    ]
    assert "METHOD:PUBLISH" not in lines  # a feed has no method
    assert "UID:meeting-7@helhedsplan.example.dk" in lines
    assert "DTSTAMP:20190301T083000Z" in lines
    assert "DTSTART;VALUE=DATE:20190320" in lines
    assert "DTEND;VALUE=DATE:20190321" in lines
    assert "URL:https://x.example/planer/a/moeder/7/" in lines
    assert lines[-2] == "END:VCALENDAR"


def test_an_invitation_states_its_method() -> None:
    text = ical.calendar([_event()], stamp=STAMP, method="PUBLISH")
    assert "\r\nMETHOD:PUBLISH\r\n" in text


def test_text_is_escaped_and_read_back() -> None:
    summary = "Møde; budget, plan\\noter\nlinje 2"
    text = ical.calendar([_event(summary=summary)], stamp=STAMP)
    assert "SUMMARY:Møde\\; budget\\, plan\\\\noter\\nlinje 2" in ical.unfold(text)
    assert ical.parse_events(text)[0]["SUMMARY"] == summary


def test_long_lines_fold_at_75_octets_without_splitting_a_letter() -> None:
    description = "Dagsordenen: " + "ærø " * 60  # two-octet letters across the fold
    text = ical.calendar([_event(description=description)], stamp=STAMP)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    assert any(line.startswith(" ") for line in text.split("\r\n"))
    text.encode("utf-8").decode("utf-8")  # every line is whole UTF-8
    assert ical.parse_events(text)[0]["DESCRIPTION"] == description


def test_fold_keeps_a_short_line_and_counts_the_leading_space() -> None:
    assert ical.fold("A" * 75) == "A" * 75
    folded = ical.fold("A" * 150).split("\r\n")
    assert folded == ["A" * 75, " " + "A" * 74, " A"]


def test_the_uid_is_stable() -> None:
    first = ical.calendar([_event()], stamp=STAMP)
    again = ical.calendar([_event()], stamp=datetime(2020, 1, 1, tzinfo=UTC))
    assert ical.parse_events(first)[0]["UID"] == ical.parse_events(again)[0]["UID"]
