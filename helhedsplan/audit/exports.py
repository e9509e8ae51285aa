"""The plan's trail as XLSX and CSV, filtered as the page is (the same query string).

One row per field change (an entry that changed three fields is three rows; a business
event one row per datum it holds), read in Danish by ``audit.display`` as the page reads it,
a page of entries at a time so the related objects' names cost a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, ClassVar

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.audit import display
from helhedsplan.audit.forms import AuditFilterForm
from helhedsplan.audit.models import AuditEntry
from helhedsplan.audit.selectors import audit_entries_for_plan
from helhedsplan.lib.numbers import fmt_datetime
from helhedsplan.reports.exporters import INTERNAL, Exporter, register
from helhedsplan.reports.rows import Column, Line, Rows, Sheet

CHUNK = 500


def trail_rows(entries: Any, known: Any = ()) -> Iterator[tuple[str, ...]]:
    """(timestamp, user, object type, object, event, field, old, new, reason) per change."""
    iterator = iter(entries)
    while chunk := list(islice(iterator, CHUNK)):
        for entry in display.prepare(chunk, known):
            yield from _entry_rows(entry)


def _entry_rows(entry: AuditEntry) -> Iterator[tuple[str, ...]]:
    head = (
        fmt_datetime(entry.timestamp),
        str(entry.actor) if entry.actor else _("System"),
        entry.object_type_label,
        entry.object_repr,
        entry.event_label,
    )
    if entry.is_event:
        changes = [(key, "", value) for key, value in entry.event_rows]
    else:
        changes = [(row.field, row.old or "", row.new) for row in entry.field_rows]
    for field, old, new in changes or [("", "", "")]:
        yield (*head, field, old, new, entry.reason)


@register
class AuditTrailExporter(Exporter):
    """The trail with the page's filters (``?fra=&til=&bruger=&type=&haendelse=
    &indsatsomraade=&soeg=``); a filter that does not read is 404, as the page shows it
    as an error and offers no download."""

    identifier = "revisionsspor"
    title = _lazy("Revisionsspor")
    permission = "audit.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv")

    def resolve(self) -> None:
        form = AuditFilterForm(self.params or None, plan=self.plan)
        if form.is_bound and not form.is_valid():
            raise Http404("ugyldigt filter")
        self.filters = form.filters()
        self.known_users = form.choices.actors

    def output(self) -> Rows:
        entries = audit_entries_for_plan(self.plan.pk, self.filters).iterator(chunk_size=CHUNK)
        columns = (
            Column(_("Tidspunkt"), 22),
            Column(_("Bruger"), 24),
            Column(_("Objekttype"), 20),
            Column(_("Objekt"), 36),
            Column(_("Hændelse"), 18),
            Column(_("Felt"), 20),
            Column(_("Før"), 30),
            Column(_("Efter"), 30),
            Column(_("Begrundelse"), 30),
        )
        sheet = Sheet(
            title=_("Revisionsspor"),
            columns=columns,
            rows=list(trail_rows(entries, self.known_users)),
            lines=(Line(_("Revisionsspor: %(plan)s") % {"plan": self.plan.name}),),
        )
        return Rows(title=_("Revisionsspor"), sheets=[sheet], dated=self.today)

    def filename(self, fmt: str) -> str:
        return f"revisionsspor-{self.plan.slug}-{self.today:%Y-%m-%d}.{fmt}"
