"""The audit package (``/planer/<slug>/eksport/revisionspakke.<pdf|xlsx>?aar=2018``).

One package, two drawings of the same data (``selectors.audit_package``): the PDF is for
reading (a cover with the plan, the year, what the package holds and seed § 5's words, then
the sections as tables), the XLSX for working (a sheet per table, one value per cell, dates
as dates, amounts as numbers).

Who reads the small numbers: the package is made to leave the secretariat for the housing
organisation's auditor (``Audience.LEAVES``), so the participant counts of the activities
below 5 are suppressed (``reports.suppression``) for everyone but the secretariat, who
prepares it (``PlanAccess.reads_audit_package_counts``). The secretariat gets its working
copy with the real counts, and the auditor's copy with ``?udgave=ekstern``. The
participant and volunteer columns are the only counts of people in the package; the number
of held activities, the observations' figures and the amounts are not counts of people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.auditpackage.selectors import (
    SEED_QUOTE,
    AuditPackage,
    BudgetRow,
    audit_package,
    package_years,
)
from helhedsplan.lib.numbers import (
    YEAR_PARAM,
    fmt_amount,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_percent,
    parse_year,
)
from helhedsplan.reports.document import Block, Document, Heading, Paragraph, Table
from helhedsplan.reports.exporters import INTERNAL, LEAVES, Audience, Exporter, register
from helhedsplan.reports.rows import Column, ColumnKind, Line, Rows, Sheet

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess

EXTERNAL_EDITION = "ekstern"
AMOUNT_FORMAT = "#,##0.00"
NUMBER_FORMAT = "#,##0.####"


def _when(moment: datetime | None) -> str:
    return fmt_datetime(moment) if moment is not None else ""


def _local(moment: datetime | None) -> datetime | None:
    """A moment as a spreadsheet holds it: local time, no zone."""
    if moment is None:
        return None
    return timezone.make_naive(moment) if timezone.is_aware(moment) else moment


def _text(value: str) -> str:
    return value or "–"


# --- the contents, named once for the cover, the page and the sheets ----------------------


def contents(package: AuditPackage) -> list[tuple[str, str]]:
    """(section, what it holds this year) for the cover and the page."""
    c = package.counts
    budget = package.budget
    closed = (
        _("året er lukket (godkendt af %(who)s %(when)s)")
        % {"who": _text(budget.closing.approved_by), "when": _when(budget.closing.approved_at)}
        if budget.closing is not None
        else _("året er ikke lukket")
    )
    return [
        (
            _("1. Succeskriterier og observationer"),
            _(
                "succeskriterier: %(criteria)s · observationer: %(observations)s, heraf "
                "godkendt: %(approved)s"
            )
            % c,
        ),
        (
            _("2. Bestyrelsens opfølgning"),
            _(
                "bestyrelsesmøder: %(meetings)s · vurderinger: %(assessments)s · beslutninger: "
                "%(decisions)s · statusrapporter udsendt: %(status_reports)s"
            )
            % c,
        ),
        (
            _("3. Aktiviteter"),
            _("afholdte aktiviteter: %(held)s · evalueringer: %(evaluations)s") % c,
        ),
        (
            _("4. Budget og regnskab"),
            _("budgetposter: %(lines)s · rettelser: %(corrections)s · %(closed)s")
            % {"lines": c["budget_lines"], "corrections": c["corrections"], "closed": closed},
        ),
        (
            _("5. Ændringer af mål og nulpunkter"),
            _("ændrede felter i revisionssporet: %(trail)s") % c,
        ),
    ]


# --- the PDF -------------------------------------------------------------------------------


def package_document(package: AuditPackage, *, today: date) -> Document:
    plan = package.plan
    doc = Document(
        title=_("Revisionens dokumentation %(year)s") % {"year": package.year},
        subtitle=plan.name,
        landscape=True,
    )
    doc.add(
        Table(
            header=(_("Felt"), _("Værdi")),
            rows=(
                (_("Plan"), plan.name),
                (_("Kommune"), str(plan.municipality)),
                (_("Planperiode"), f"{fmt_date(plan.start_date)} – {fmt_date(plan.end_date)}"),
                (_("År"), str(package.year)),
                (_("Dannet"), fmt_date(today)),
            ),
        ),
        Paragraph(
            _("Samarbejdsaftalens § 5: »%(quote)s«") % {"quote": SEED_QUOTE},
        ),
        Paragraph(
            _(
                "Pakken samler årets dokumentation for, at der følges op på de lokale mål: "
                "observationerne med hvem der registrerede og godkendte dem, bestyrelsens "
                "møder, vurderinger og beslutninger, aktiviteternes registreringer og "
                "evalueringer, budget og regnskab og ændringerne af mål og nulpunkter med "
                "begrundelser."
            ),
            "note",
        ),
        Heading(_("Indhold"), 2),
        Table(header=(_("Afsnit"), _("Indhold")), rows=tuple(contents(package))),
    )
    doc.add(*_observation_blocks(package))
    doc.add(*_board_blocks(package))
    doc.add(*_activity_blocks(package))
    doc.add(*_budget_blocks(package))
    doc.add(*_trail_blocks(package))
    return doc


def _table_or_none(
    header: tuple[str, ...], rows: Iterable[tuple[str, ...]], nothing: str, **kwargs: Any
) -> Block:
    body = tuple(rows)
    if not body:
        return Paragraph(nothing, "note")
    return Table(header=header, rows=body, **kwargs)


def _observation_blocks(package: AuditPackage) -> list[Block]:
    blocks: list[Block] = [Heading(_("1. Succeskriterier og observationer"), 1)]
    blocks.append(
        Paragraph(
            _(
                "Observationerne for %(year)s pr. succeskriterium, med status, hvem der "
                "registrerede og godkendte dem og hvornår. Kun godkendte tal indgår i "
                "vurderingen af succeskriterierne."
            )
            % {"year": package.year},
            "note",
        )
    )
    header = (
        _("Kriterium"), _("Område"), _("Værdi"), _("Status"), _("Registreret af"),
        _("Registreret"), _("Godkendt af"), _("Godkendt"),
    )  # fmt: skip
    for group in package.focus_areas:
        blocks.append(Heading(group.label, 2))
        rows = [
            (
                f"{criterion.code} {criterion.title}".strip(),
                obs.area + (f" ({obs.variant})" if obs.variant else ""),
                obs.figure,
                obs.state_label,
                _text(obs.registered_by),
                _when(obs.registered_at),
                _text(obs.approved_by) if obs.is_approved else "",
                _when(obs.approved_at),
            )
            for criterion in group.criteria
            for obs in criterion.observations
        ]
        blocks.append(
            _table_or_none(
                header,
                rows,
                _("Ingen observationer for %(year)s.") % {"year": package.year},
                numeric_columns=frozenset({2}),
            )
        )
    return blocks


def _board_blocks(package: AuditPackage) -> list[Block]:
    nothing = _("Ingen i %(year)s.") % {"year": package.year}
    return [
        Heading(_("2. Bestyrelsens opfølgning"), 1),
        Heading(_("Bestyrelsesmøder"), 2),
        _table_or_none(
            (_("Dato"), _("Møde"), _("Mødetype"), _("Statusrapport")),
            ((fmt_date(m.date), m.title, m.kind, m.status_report) for m in package.meetings),
            nothing,
        ),
        Heading(_("Bestyrelsens vurderinger"), 2),
        _table_or_none(
            (_("Møde"), _("Indsatsområde"), _("Vurdering"), _("Begrundelse"), _("Registreret")),
            (
                (
                    f"{fmt_date(a.meeting_date)} {a.meeting}",
                    a.focus_area,
                    a.rating,
                    a.text,
                    f"{_text(a.recorded_by)} {_when(a.recorded_at)}",
                )
                for a in package.assessments
            ),
            nothing,
        ),
        Heading(_("Beslutninger"), 2),
        _table_or_none(
            (_("Møde"), _("Beslutning"), _("Vedrører"), _("Registreret")),
            (
                (
                    f"{fmt_date(d.meeting_date)} {d.meeting}",
                    d.text,
                    d.concerns,
                    f"{_text(d.recorded_by)} {_when(d.recorded_at)}",
                )
                for d in package.decisions
            ),
            nothing,
        ),
        Heading(_("Statusrapporter udsendt"), 2),
        _table_or_none(
            (_("Periode"), _("Version"), _("Status"), _("Udsendt af"), _("Udsendt")),
            (
                (r.period, str(r.version or ""), r.state, _text(r.issued_by), _when(r.issued_at))
                for r in package.status_reports
            ),
            nothing,
        ),
    ]


def _activity_blocks(package: AuditPackage) -> list[Block]:
    nothing = _("Ingen i %(year)s.") % {"year": package.year}
    return [
        Heading(_("3. Aktiviteter"), 1),
        Paragraph(
            _(
                "Registreringerne pr. aktivitet, område og kvartal: antal afholdte aktiviteter "
                "og antal deltagere og frivillige (tal, aldrig personer)."
            ),
            "note",
        ),
        Heading(_("Registreringer"), 2),
        _table_or_none(
            (
                _("Aktivitet"),
                _("Område"),
                _("Kvartal"),
                _("Afholdte aktiviteter"),
                _("Deltagere"),
                _("Frivillige"),
            ),
            (
                (
                    r.activity,
                    r.area,
                    str(r.quarter),
                    fmt_number(r.held),
                    fmt_number(r.participants),
                    fmt_number(r.volunteers),
                )
                for r in package.registrations
            ),
            nothing,
            numeric_columns=frozenset({2, 3, 4, 5}),
            count_columns=frozenset({4, 5}),
        ),
        Heading(_("Evalueringer"), 2),
        _table_or_none(
            (_("Aktivitet"), _("Periode"), _("Ønsket effekt?"), _("Vurdering"), _("Forfatter")),
            (
                (
                    e.activity,
                    f"{fmt_date(e.period_start)} – {fmt_date(e.period_end)}",
                    e.rating,
                    e.narrative,
                    f"{_text(e.author)} {fmt_date(e.evaluated_on)}",
                )
                for e in package.evaluations
            ),
            nothing,
        ),
    ]


def _budget_cells(row: BudgetRow) -> tuple[str, ...]:
    return (
        row.line,
        fmt_amount(row.budget),
        fmt_amount(row.spent),
        fmt_amount(row.variance),
        fmt_percent(row.variance_percent),
    )


def _budget_blocks(package: AuditPackage) -> list[Block]:
    budget = package.budget
    closing = budget.closing
    blocks: list[Block] = [Heading(_("4. Budget og regnskab"), 1)]
    if closing is not None:
        status = _("Regnskabet for %(year)s er godkendt af %(who)s %(when)s. %(note)s") % {
            "year": package.year,
            "who": _text(closing.approved_by),
            "when": _when(closing.approved_at),
            "note": closing.note,
        }
    else:
        status = _("Regnskabet for %(year)s er ikke godkendt: året er ikke lukket.") % {
            "year": package.year
        }
    blocks.append(Paragraph(status.strip()))
    blocks.append(
        Paragraph(
            _(
                "Beløb i kr. Forbrug er det registrerede forbrug plus rettelserne; afvigelsen "
                "er forbrug minus budget."
            ),
            "note",
        )
    )
    if budget.rows:
        blocks.append(
            Table(
                header=(
                    _("Budgetpost"),
                    _("Budget"),
                    _("Forbrug"),
                    _("Afvigelse"),
                    _("Afvigelse %"),
                ),
                rows=tuple(_budget_cells(r) for r in budget.rows),
                footer=_budget_cells(budget.total),
                numeric_columns=frozenset({1, 2, 3, 4}),
            )
        )
    else:
        blocks.append(Paragraph(_("Planen har ingen budgetposter endnu."), "note"))
    blocks.append(Heading(_("Rettelser af regnskabet"), 2))
    blocks.append(
        _table_or_none(
            (_("Budgetpost"), _("Finansieringskilde"), _("Beløb"), _("Begrundelse"), _("Rettet")),
            (
                (
                    c.line,
                    c.source,
                    fmt_amount(c.amount),
                    c.reason,
                    f"{_text(c.corrected_by)} {_when(c.corrected_at)}",
                )
                for c in budget.corrections
            ),
            _("Ingen rettelser."),
            numeric_columns=frozenset({2}),
        )
    )
    return blocks


def _trail_blocks(package: AuditPackage) -> list[Block]:
    return [
        Heading(_("5. Ændringer af mål og nulpunkter"), 1),
        Paragraph(
            _(
                "Revisionssporet for succeskriteriernes mål (nulpunkterne er en del af målet) "
                "i %(year)s: hvert ændret felt med værdien før og efter og begrundelsen."
            )
            % {"year": package.year},
            "note",
        ),
        _table_or_none(
            (
                _("Tidspunkt"),
                _("Bruger"),
                _("Kriterium"),
                _("Handling"),
                _("Felt"),
                _("Før"),
                _("Efter"),
                _("Begrundelse"),
            ),
            (
                (
                    _when(t.timestamp),
                    _text(t.actor),
                    t.criterion,
                    t.action,
                    t.field,
                    t.old,
                    t.new,
                    t.reason,
                )
                for t in package.trail
            ),
            _("Ingen ændringer af mål i %(year)s.") % {"year": package.year},
        ),
    ]


# --- the XLSX ------------------------------------------------------------------------------


def _col(title: str, width: float, kind: ColumnKind = ColumnKind.TEXT, fmt: str = "") -> Column:
    return Column(title, width, kind, fmt)


def _text_col(title: str, width: float = 20) -> Column:
    return _col(title, width)


# Dates and moments are written as date cells (openpyxl gives them a date format).
def _date_col(title: str) -> Column:
    return _col(title, 12)


def _moment_col(title: str) -> Column:
    return _col(title, 18)


def _amount_col(title: str) -> Column:
    return _col(title, 15, ColumnKind.NUMBER, AMOUNT_FORMAT)


def package_rows(package: AuditPackage, *, today: date) -> Rows:
    """The package as sheets: a sheet per table, section number first in its name."""
    plan = package.plan
    title = _("Revisionens dokumentation %(year)s: %(plan)s") % {
        "year": package.year,
        "plan": plan.name,
    }
    year = package.year
    sheets = [
        Sheet(
            _("Indhold"),
            (_text_col(_("Afsnit"), 40), _text_col(_("Indhold"), 90)),
            [
                (_("Plan"), plan.name),
                (_("År"), year),
                (_("Planperiode"), f"{fmt_date(plan.start_date)} – {fmt_date(plan.end_date)}"),
                (_("Dannet"), today),
                *contents(package),
                (_("Samarbejdsaftalens § 5"), SEED_QUOTE),
            ],
            (Line(title),),
        ),
        _sheet(
            _("1 Observationer"),
            (
                _text_col(_("Indsatsområde"), 28),
                _text_col(_("Kriterium"), 10),
                _text_col(_("Titel"), 36),
                _text_col(_("Måling"), 30),
                _text_col(_("Boligområde"), 16),
                _col(_("År"), 6, ColumnKind.NUMBER),
                _text_col(_("Variant"), 10),
                _col(_("Værdi"), 12, ColumnKind.NUMBER, NUMBER_FORMAT),
                _col(_("Tæller"), 10, ColumnKind.NUMBER, NUMBER_FORMAT),
                _col(_("Nævner"), 10, ColumnKind.NUMBER, NUMBER_FORMAT),
                _text_col(_("Vurdering"), 16),
                _text_col(_("Enhed"), 14),
                _text_col(_("Status"), 12),
                _text_col(_("Registreret af"), 20),
                _moment_col(_("Registreret")),
                _text_col(_("Godkendt af"), 20),
                _moment_col(_("Godkendt")),
                _text_col(_("Kilde"), 30),
            ),
            [
                (
                    focus_area,
                    criterion.code,
                    criterion.title,
                    criterion.measure,
                    obs.area,
                    year,
                    obs.variant,
                    obs.value,
                    obs.numerator,
                    obs.denominator,
                    obs.rating,
                    obs.unit,
                    obs.state_label,
                    obs.registered_by,
                    _local(obs.registered_at),
                    obs.approved_by,
                    _local(obs.approved_at),
                    obs.source_note,
                )
                for focus_area, criterion, obs in package.observations
            ],
        ),
        _sheet(
            _("2 Bestyrelsesmøder"),
            (
                _date_col(_("Dato")),
                _text_col(_("Møde"), 30),
                _text_col(_("Mødetype"), 40),
                _text_col(_("Statusrapport"), 20),
            ),
            [(m.date, m.title, m.kind, m.status_report) for m in package.meetings],
        ),
        _sheet(
            _("2 Vurderinger"),
            (
                _date_col(_("Mødedato")),
                _text_col(_("Møde"), 30),
                _text_col(_("Indsatsområde"), 28),
                _text_col(_("Vurdering"), 28),
                _text_col(_("Begrundelse"), 60),
                _text_col(_("Registreret af")),
                _moment_col(_("Registreret")),
            ),
            [
                (
                    a.meeting_date,
                    a.meeting,
                    a.focus_area,
                    a.rating,
                    a.text,
                    a.recorded_by,
                    _local(a.recorded_at),
                )
                for a in package.assessments
            ],
        ),
        _sheet(
            _("2 Beslutninger"),
            (
                _date_col(_("Mødedato")),
                _text_col(_("Møde"), 30),
                _text_col(_("Beslutning"), 60),
                _text_col(_("Vedrører"), 30),
                _text_col(_("Registreret af")),
                _moment_col(_("Registreret")),
            ),
            [
                (
                    d.meeting_date,
                    d.meeting,
                    d.text,
                    d.concerns,
                    d.recorded_by,
                    _local(d.recorded_at),
                )
                for d in package.decisions
            ],
        ),
        _sheet(
            _("2 Statusrapporter"),
            (
                _text_col(_("Periode"), 18),
                _date_col(_("Periodens start")),
                _date_col(_("Periodens slutning")),
                _col(_("Version"), 8, ColumnKind.NUMBER),
                _text_col(_("Status"), 12),
                _text_col(_("Udsendt af")),
                _moment_col(_("Udsendt")),
                _moment_col(_("Sendt til Landsbyggefonden")),
            ),
            [
                (
                    r.period,
                    r.period_start,
                    r.period_end,
                    r.version,
                    r.state,
                    r.issued_by,
                    _local(r.issued_at),
                    _local(r.shared_with_lbf_at),
                )
                for r in package.status_reports
            ],
        ),
        _sheet(
            _("3 Registreringer"),
            (
                _text_col(_("Indsatsområde"), 28),
                _text_col(_("Aktivitet"), 30),
                _text_col(_("Boligområde"), 16),
                _col(_("Kvartal"), 8, ColumnKind.NUMBER),
                _col(_("Afholdte aktiviteter"), 12, ColumnKind.NUMBER),
                _col(_("Deltagere"), 12, ColumnKind.COUNT),
                _col(_("Frivillige"), 12, ColumnKind.COUNT),
            ),
            [
                (
                    r.focus_area,
                    r.activity,
                    r.area,
                    r.quarter,
                    r.held,
                    r.participants,
                    r.volunteers,
                )
                for r in package.registrations
            ],
        ),
        _sheet(
            _("3 Evalueringer"),
            (
                _text_col(_("Indsatsområde"), 28),
                _text_col(_("Aktivitet"), 30),
                _date_col(_("Periodens start")),
                _date_col(_("Periodens slutning")),
                _text_col(_("Ønsket effekt?"), 10),
                _text_col(_("Vurdering"), 60),
                _text_col(_("Forfatter")),
                _date_col(_("Dato")),
            ),
            [
                (
                    e.focus_area,
                    e.activity,
                    e.period_start,
                    e.period_end,
                    e.rating,
                    e.narrative,
                    e.author,
                    e.evaluated_on,
                )
                for e in package.evaluations
            ],
        ),
        _budget_sheet(package),
        _sheet(
            _("4 Rettelser"),
            (
                _text_col(_("Budgetpost"), 30),
                _text_col(_("Finansieringskilde"), 24),
                _amount_col(_("Beløb (kr.)")),
                _text_col(_("Begrundelse"), 50),
                _text_col(_("Rettet af")),
                _moment_col(_("Rettet")),
            ),
            [
                (c.line, c.source, c.amount, c.reason, c.corrected_by, _local(c.corrected_at))
                for c in package.budget.corrections
            ],
        ),
        _sheet(
            _("4 Regnskabsafslutning"),
            (
                _col(_("År"), 6, ColumnKind.NUMBER),
                _text_col(_("Lukket"), 8),
                _text_col(_("Godkendt af")),
                _moment_col(_("Godkendt")),
                _text_col(_("Bemærkning"), 50),
            ),
            [_closing_row(package)],
        ),
        _sheet(
            _("5 Ændringer af mål"),
            (
                _moment_col(_("Tidspunkt")),
                _text_col(_("Bruger")),
                _text_col(_("Kriterium"), 10),
                _text_col(_("Mål"), 30),
                _text_col(_("Handling"), 16),
                _text_col(_("Felt"), 20),
                _text_col(_("Før"), 20),
                _text_col(_("Efter"), 20),
                _text_col(_("Begrundelse"), 50),
            ),
            [
                (
                    _local(t.timestamp),
                    t.actor,
                    t.criterion,
                    t.target,
                    t.action,
                    t.field,
                    t.old,
                    t.new,
                    t.reason,
                )
                for t in package.trail
            ],
        ),
    ]
    return Rows(title=title, sheets=sheets)


def _sheet(title: str, columns: tuple[Column, ...], rows: list[tuple[Any, ...]]) -> Sheet:
    return Sheet(title, columns, rows)


def _closing_row(package: AuditPackage) -> tuple[Any, ...]:
    closing = package.budget.closing
    if closing is None:
        return (package.year, _("nej"), "", None, "")
    return (package.year, _("ja"), closing.approved_by, _local(closing.approved_at), closing.note)


def _budget_sheet(package: AuditPackage) -> Sheet:
    def cells(row: BudgetRow) -> tuple[Any, ...]:
        pct = row.variance_percent
        return (
            row.line, row.kind, row.budget, row.registered, row.corrections, row.spent,
            row.variance, float(round(pct, 1)) if pct is not None else None,
        )  # fmt: skip

    rows = [cells(r) for r in package.budget.rows]
    if rows:
        rows.append(cells(package.budget.total))
    return Sheet(
        _("4 Budget og regnskab"),
        (
            _text_col(_("Budgetpost"), 30),
            _text_col(_("Type"), 16),
            _amount_col(_("Budget (kr.)")),
            _amount_col(_("Registreret forbrug (kr.)")),
            _amount_col(_("Rettelser (kr.)")),
            _amount_col(_("Forbrug i alt (kr.)")),
            _amount_col(_("Afvigelse (kr.)")),
            _col(_("Afvigelse (%)"), 12, ColumnKind.NUMBER, "0.0"),
        ),
        rows,
        last_row_is_total=bool(rows),
    )


@register
class AuditPackageExporter(Exporter):
    """The audit package of a year (``?aar=2018``: a year of the plan up to this year)."""

    identifier = "revisionspakke"
    title = _lazy("Revisionens dokumentation (revisionspakke)")
    permission = "auditpackage.download"
    audience = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("pdf", "xlsx")

    # The PDF is drawn from a Document, the XLSX from Rows of plain values: ``output`` makes
    # the one the format asked for (``render`` keeps the base's suppression door).
    _drawing: str = ""

    def resolve(self) -> None:
        offered = package_years(self.plan, self.today)
        year = parse_year(self.params.get(YEAR_PARAM), 0, offered.years)
        if not year:
            raise Http404("aar er ikke et af planens år")
        self.year = year
        self.package = audit_package(self.plan, year)

    def audience_for(self, access: PlanAccess) -> Audience:
        if access.reads_audit_package_counts and self.params.get("udgave") != EXTERNAL_EDITION:
            return INTERNAL
        return LEAVES

    def render(self, fmt: str) -> bytes:
        drawing = "rows" if fmt == "xlsx" else "document"
        if drawing != self._drawing:
            self._drawing, self._prepared = drawing, None
        return super().render(fmt)

    def output(self) -> Document | Rows:
        build: Callable[..., Document | Rows] = (
            package_rows if self._drawing == "rows" else package_document
        )
        return build(self.package, today=self.today)

    def filename(self, fmt: str) -> str:
        edition = "-ekstern" if self.audience_in_use == LEAVES else ""
        return f"revisionspakke-{self.plan.slug}-{self.year}{edition}.{fmt}"

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {"exporter": self.identifier, "format": fmt, "period": str(self.year)}
