"""Report tables of the activities' figures that several documents share (no exporter is
registered here, so importing it does not change the registry's order)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from helhedsplan.reports.document import Table
from helhedsplan.reports.smallnumbers import Rate


def delivery_table(rows: list[tuple[str, str, str, str, str]]) -> Table:
    """Delivery per activity as a report table (the final report's and the status report's):
    activity, unit, planned, delivered, rate. Delivered counts participants (or events):
    small-number suppression works on it; planned is a target and names no one; the rate
    is delivered over planned, so it is hidden with a hidden delivered count."""
    return Table(
        header=(_("Aktivitet"), _("Enhed"), _("Planlagt"), _("Leveret"), _("Leveringsgrad")),
        rows=tuple(rows),
        numeric_columns=frozenset({2, 3, 4}),
        count_columns=frozenset({3}),
        rates=(Rate(4, numerator=3, denominator=2),),
    )
