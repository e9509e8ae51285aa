"""Minutes as DOCX and PDF, both from one list of sections."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from helhedsplan.meetings.models import Meeting


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    numbered: bool = False


def minutes_title(meeting: Meeting) -> str:
    return _("Referat: %(body)s, %(date)s") % {
        "body": meeting.body.name,
        "date": date_format(meeting.date, "DATE_FORMAT"),
    }


def minutes_sections(meeting: Meeting) -> list[Section]:
    facts = [
        _("Mødetype: %(kind)s") % {"kind": meeting.get_kind_display()},
        _("Dato: %(date)s") % {"date": date_format(meeting.date, "DATE_FORMAT")},
    ]
    if meeting.location:
        facts.append(_("Sted: %(place)s") % {"place": meeting.location})
    decisions = []
    for d in meeting.decisions.all():
        decisions.append(
            d.text + (f" ({_('vedrører')}: {d.concerns_label})" if d.concerns_label else "")
        )
    return [
        Section(meeting.display_title, facts),
        Section(
            _("Deltagere"), [p.name for p in meeting.attendees.all()] or [_("Ikke registreret")]
        ),
        Section(_("Dagsorden"), [a.title for a in meeting.agenda.all()], numbered=True),
        Section(
            _("Referat"),
            [p for p in meeting.minutes_text.split("\n\n") if p.strip()]
            or [_("Intet referat skrevet.")],
        ),
        Section(
            _("Beslutninger"), decisions or [_("Ingen beslutninger registreret.")], numbered=True
        ),
    ]


def minutes_docx(meeting: Meeting) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(minutes_title(meeting), level=1)
    for section in minutes_sections(meeting):
        doc.add_heading(section.heading, level=2)
        for text in section.paragraphs:
            doc.add_paragraph(text, style="List Number" if section.numbered else None)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def minutes_pdf(meeting: Meeting) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "meetings/minutes_print.html",
        {"title": minutes_title(meeting), "sections": minutes_sections(meeting)},
    )
    return bytes(HTML(string=html).write_pdf())
