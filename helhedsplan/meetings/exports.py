"""Minutes as DOCX and PDF: one document (``reports.document``) drawn by both renderers."""

from __future__ import annotations

from typing import ClassVar

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings import selectors
from helhedsplan.meetings.models import Meeting
from helhedsplan.reports import render
from helhedsplan.reports.document import Block, Bullets, Document, Heading, Paragraph
from helhedsplan.reports.exporters import INTERNAL, Exporter, register


def minutes_title(meeting: Meeting) -> str:
    return _("Referat: %(body)s, %(date)s") % {
        "body": meeting.body.name,
        "date": fmt_date(meeting.date),
    }


def _numbered_or_none(items: list[str], none: str) -> list[Block]:
    """A list numbered from 1, or the plain sentence saying there is nothing to number."""
    return [Bullets(tuple(items), numbered=True)] if items else [Paragraph(none)]


def minutes_document(meeting: Meeting) -> Document:
    facts = [
        _("Mødetype: %(kind)s") % {"kind": meeting.get_kind_display()},
        _("Dato: %(date)s") % {"date": fmt_date(meeting.date)},
    ]
    if meeting.location:
        facts.append(_("Sted: %(place)s") % {"place": meeting.location})
    decisions = [
        d.text + (f" ({_('vedrører')}: {d.concerns_label})" if d.concerns_label else "")
        for d in meeting.decisions.all()
    ]
    attendees = [p.name for p in meeting.attendees.all()]
    minutes = [p.strip() for p in meeting.minutes_text.split("\n\n") if p.strip()]
    doc = Document(title=minutes_title(meeting), dated=meeting.date)
    doc.add(Heading(meeting.display_title, 1), *(Paragraph(f) for f in facts))
    doc.add(Heading(_("Deltagere"), 1))
    doc.add(*(Paragraph(a) for a in attendees or [_("Ikke registreret")]))
    doc.add(Heading(_("Dagsorden"), 1))
    doc.add(
        *_numbered_or_none([a.title for a in meeting.agenda.all()], _("Ingen dagsordenspunkter."))
    )
    doc.add(Heading(_("Referat"), 1))
    doc.add(*(Paragraph(p) for p in minutes or [_("Intet referat skrevet.")]))
    doc.add(Heading(_("Beslutninger"), 1))
    doc.add(*_numbered_or_none(decisions, _("Ingen beslutninger registreret.")))
    return doc


def minutes_docx(meeting: Meeting) -> bytes:
    return render.render_docx(minutes_document(meeting))


@register
class MinutesExporter(Exporter):
    """A meeting's minutes (``?moede=<id>``): for the plan's own bodies, not sent out."""

    identifier = "referat"
    title = _lazy("Referat")
    permission = "meetings.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx")

    def resolve(self) -> None:
        try:
            self.meeting = selectors.meeting_detail(self.plan, self.int_param("moede"))
        except Meeting.DoesNotExist:
            raise Http404 from None

    def output(self) -> Document:
        return minutes_document(self.meeting)

    def filename(self, fmt: str) -> str:
        return f"referat-{self.meeting.date:%Y-%m-%d}.{fmt}"

    def audit_instance(self) -> Meeting:
        return self.meeting
