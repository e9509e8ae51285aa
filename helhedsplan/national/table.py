"""The national overview as a table: its sortable columns, and the rows as a sheet.

The page and the XLSX export show the same rows in the same order: the view filters
(``forms.OverviewFilterForm``) and sorts (``sort_rows``) once, and the export draws exactly
those rows through the one renderer (``reports.render``), released by small-number
suppression (``reports.suppression``: the participants are a count of people).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.lib.numbers import fmt_date
from helhedsplan.national.selectors import PARTICIPANTS, PlanRow
from helhedsplan.reports import suppression
from helhedsplan.reports.rows import Column, ColumnKind, Line, Rows, Sheet

SORT_PARAM = "sort"


@dataclass(frozen=True)
class SortKey:
    key: str  # the query string's value
    label: Promise
    value: Callable[[PlanRow], Any]  # None sorts last, either way


SORTS: dict[str, SortKey] = {
    s.key: s
    for s in (
        SortKey("plan", _lazy("Plan"), lambda r: r.plan.name.casefold()),
        SortKey("kommune", _lazy("Kommune"), lambda r: r.plan.municipality.name.casefold()),
        SortKey("periode", _lazy("Periode"), lambda r: (r.plan.start_date, r.plan.end_date)),
        SortKey("lbf", _lazy("LBF-tilskud"), lambda r: r.lbf_tkr),
        SortKey("lokal", _lazy("Lokal medfinansiering"), lambda r: r.local_tkr),
        SortKey(
            "aftale",
            _lazy("Aftale"),
            lambda r: r.in_force.number if r.in_force else None,
        ),
        SortKey("venter", _lazy("Venter på LBF"), lambda r: len(r.waiting)),
        SortKey("bilag", _lazy("Bilag"), lambda r: len(r.attachments_missing)),
        SortKey("delaftaler", _lazy("Delaftaler"), lambda r: len(r.overdue_sub_agreements)),
        SortKey(
            "rapport",
            _lazy("Seneste statusrapport"),
            lambda r: r.report.period_end if r.report else None,
        ),
        SortKey(
            "opfyldt",
            _lazy("Succeskriterier"),
            lambda r: r.scorecard_totals.met if r.report else None,
        ),
    )
}
DEFAULT_SORT = "plan"


def parse_sort(value: str | None) -> tuple[str, bool]:
    """(key, descending) from ``?sort=key`` or ``?sort=-key``; an unknown key sorts by plan."""
    raw = (value or "").strip()
    descending = raw.startswith("-")
    key = raw.removeprefix("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def sort_rows(rows: list[PlanRow], key: str, descending: bool) -> list[PlanRow]:
    """Sorted by ``key`` (then by plan name); rows without a value last, either way."""
    value = SORTS[key].value
    by_name = sorted(rows, key=lambda r: r.plan.name.casefold())
    known = [r for r in by_name if value(r) is not None]
    unknown = [r for r in by_name if value(r) is None]
    return sorted(known, key=value, reverse=descending) + unknown


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    href: str  # the link that sorts by this column (the other way when it is the sort)
    aria_sort: str  # "ascending" | "descending" | "" (not the sort)


def headers(query: QueryDict, key: str, descending: bool) -> dict[str, Header]:
    """Per sortable column its header: the link keeps the filters and sorts by it."""
    out = {}
    for name, sort in SORTS.items():
        current = name == key
        params = query.copy()
        params[SORT_PARAM] = f"-{name}" if current and not descending else name
        out[name] = Header(
            name,
            str(sort.label),
            "?" + params.urlencode(),
            ("descending" if descending else "ascending") if current else "",
        )
    return out


# --- the sheet ---------------------------------------------------------------------------

TKR = "#,##0"


def _scores_text(row: PlanRow) -> str:
    if row.report is None:
        return ""
    return "; ".join(
        _("%(code)s: %(met)s opfyldt, %(not_met)s ikke opfyldt, %(no_data)s uden data")
        % {"code": s.code, "met": s.met, "not_met": s.not_met, "no_data": s.no_data}
        for s in row.report.scores
    )


def _areas_text(row: PlanRow) -> str:
    return "; ".join(f"{a.name}: {a.label}" + (f" ({a.year})" if a.year else "") for a in row.areas)


def overview_rows(rows: list[PlanRow], today: date) -> Rows:
    """The rows as one sheet, released (the participants pass small-number suppression)."""
    no_report = _("ingen statusrapport sendt")
    columns = [
        Column(_("Plan"), 32),
        Column(_("Kommune"), 20),
        Column(_("Bevillingsramme"), 12),
        Column(_("Status"), 16),
        Column(_("Periode fra"), 14),
        Column(_("Periode til"), 14),
        Column(_("LBF-tilskud (t.kr.)"), 14, ColumnKind.NUMBER, TKR),
        Column(_("Lokal medfinansiering (t.kr.)"), 14, ColumnKind.NUMBER, TKR),
        Column(_("Aftale"), 36),
        Column(_("Versioner, der venter på LBF"), 14),
        Column(_("Bilag komplette"), 10, ColumnKind.NUMBER),
        Column(_("Bilag i alt"), 10, ColumnKind.NUMBER),
        Column(_("Manglende bilag"), 40),
        Column(_("Delaftaler ikke gennemgået"), 16),
        Column(_("Seneste statusrapport sendt til LBF"), 24),
        Column(_("Opfyldt"), 10, ColumnKind.NUMBER),
        Column(_("Ikke opfyldt"), 10, ColumnKind.NUMBER),
        Column(_("Ingen data"), 10, ColumnKind.NUMBER),
        Column(_("Per indsatsområde"), 48),
        Column(str(PARTICIPANTS.title), 14, ColumnKind.COUNT),
        Column(_("Områdernes listestatus"), 48),
    ]
    body = []
    for r in rows:
        plan, report, totals = r.plan, r.report, r.scorecard_totals
        line: list[Any] = [
            plan.name,
            plan.municipality.name,
            plan.framework,
            str(plan.get_status_display()),
            fmt_date(plan.start_date),
            fmt_date(plan.end_date),
            r.lbf_tkr,
            r.local_tkr,
            r.agreement_label,
            ", ".join(str(n) for n in r.waiting),
            r.attachments_complete,
            r.attachments_total,
            ", ".join(r.attachments_missing),
            ", ".join(r.overdue_sub_agreements),
            report.period_label if report else no_report,
            totals.met if report else None,
            totals.not_met if report else None,
            totals.no_data if report else None,
            _scores_text(r),
            report.participants if report else None,
            _areas_text(r),
        ]
        body.append(tuple(line))
    sheet = Sheet(
        _("Landsoversigt"),
        tuple(columns),
        body,
        lines=(
            Line(_("Landsbyggefondens landsoversigt")),
            Line(_("Dannet %(date)s") % {"date": fmt_date(today)}, "note"),
        ),
    )
    out = suppression.release(Rows(_("Landsoversigt"), [sheet], dated=today))
    assert isinstance(out, Rows)
    return out
