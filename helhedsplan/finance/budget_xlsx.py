"""The budget as XLSX in LBF's template: import all-or-nothing, export that re-imports.

LBF's template lives in LBF's portal and its columns are not public, so the header texts
are the plan's own (``FinanceSettings.budget_columns``; logical columns line, year, source,
amount, listed in the README). The import reads the first sheet through the shared reader
(``files.tabular``): the first row holds the headers, in any order; other columns are
ignored. A row names a budget line and a funding source the plan has (by name, case
ignored), a year of the plan period and an amount in kroner (Danish "1.250,50" or an XLSX
number; an empty amount removes the cell). Every problem is collected with its row and
column; if there is one, nothing is written. Cells the file does not name are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.audit.services import audit_event
from helhedsplan.files.tabular import Column, TableError, TableRejected, read_table
from helhedsplan.finance.models import (
    DEFAULT_BUDGET_COLUMNS,
    BudgetAmount,
    BudgetLine,
    FundingSource,
)
from helhedsplan.finance.services import (
    BudgetChange,
    Cell,
    budget_amounts_set,
    budget_header,
    finance_settings_for,
)
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.plans.models import Plan
from helhedsplan.reports import rows as report_rows

MAX_ROWS = 20000
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# The export's column widths and kinds, by logical column.
WIDTHS = {"line": 40, "year": 8, "source": 36, "amount": 16}
NUMBER_COLUMNS = {"year", "amount"}


@dataclass(frozen=True)
class _Row:
    number: int
    cell: Cell
    amount: Decimal | None


def _error(row: int, header: str, message: str, code: str) -> ValidationError:
    return TableError(message, code=code, row=row, column=header).validation_error()


@transaction.atomic
def budget_import(*, plan: Plan, file: Any, user: Any = None, file_name: str = "") -> BudgetChange:
    """Set the budget from an XLSX file, all or nothing (through ``budget_amounts_set``, so
    LBF's rule for the period holds). Codes: those of ``files.tabular`` (the file, the
    header row: missing_header for an unmapped column; the cells: negative, bad_year, ...)
    and unknown_line, unknown_source, year_outside_period, duplicate_row, then the codes of
    ``budget_amounts_set``. Writes one audit event ``budget.imported``.
    """
    settings = finance_settings_for(plan)
    head = {key: budget_header(settings, key) for key in DEFAULT_BUDGET_COLUMNS}
    columns = [Column(key, head[key], required=True) for key in DEFAULT_BUDGET_COLUMNS]
    try:
        table = read_table(
            file, name=file_name, columns=columns, kinds={"xlsx"}, max_bytes=MAX_IMPORT_BYTES,
            max_rows=MAX_ROWS,
        )  # fmt: skip
    except TableRejected as exc:
        raise exc.validation_error() from None
    lines = {line.name.casefold(): line for line in BudgetLine.objects.filter(plan=plan)}
    sources = {s.name.casefold(): s for s in FundingSource.objects.filter(plan=plan)}
    years = list(plan.years)
    errors: list[ValidationError] = []
    seen: dict[Cell, int] = {}
    rows: list[_Row] = []
    for row in table.rows:
        before = len(errors)

        def take(parse: Any, key: str, **kw: Any) -> Any:
            try:
                return parse(key, **kw)
            except TableError as exc:
                errors.append(exc.validation_error())
                return None

        line_name = take(row.text, "line", required=True)
        line = lines.get((line_name or "").casefold())
        if line_name and line is None:
            errors.append(_error(row.number, head["line"],
                _("planens budget har ingen post, der hedder '%(value)s'. Opret posten under "
                  "Budgetposter, eller ret navnet.") % {"value": line_name},
                "unknown_line"))  # fmt: skip
        source_name = take(row.text, "source", required=True)
        source = sources.get((source_name or "").casefold())
        if source_name and source is None:
            errors.append(_error(row.number, head["source"],
                _("planen har ingen finansieringskilde, der hedder '%(value)s'. Kendte kilder: "
                  "%(known)s.") % {"value": source_name,
                                   "known": ", ".join(s.name for s in sources.values())},
                "unknown_source"))  # fmt: skip
        year = take(row.year, "year", required=True, first=1900, last=2200)
        if year is not None and year not in years:
            errors.append(_error(row.number, head["year"],
                _("%(year)s ligger uden for planens periode (%(first)s-%(last)s).")
                % {"year": year, "first": years[0], "last": years[-1]},
                "year_outside_period"))  # fmt: skip
        amount = take(row.decimal, "amount", max_digits=14, decimal_places=2)
        if amount is not None and amount < 0:
            errors.append(_error(row.number, head["amount"],
                _("beløbet må ikke være negativt (%(amount)s). Budgettet har kun beløb på 0 "
                  "kr. eller derover.") % {"amount": fmt_number(amount)},
                "negative_amount"))  # fmt: skip
        if len(errors) > before:
            continue
        assert line is not None and source is not None and year is not None
        cell = (line.pk, source.pk, year)
        if cell in seen:
            errors.append(_error(row.number, head["line"],
                _("%(line)s, %(year)s, %(source)s står også i række %(first)s.")
                % {"line": line.name, "year": year, "source": source.name,
                   "first": seen[cell]},
                "duplicate_row"))  # fmt: skip
            continue
        seen[cell] = row.number
        rows.append(_Row(row.number, cell, amount))
    if errors:
        raise ValidationError(errors)
    change = budget_amounts_set(plan=plan, cells={r.cell: r.amount for r in rows})
    audit_event(
        instance=plan,
        event="budget.imported",
        actor=user if getattr(user, "is_authenticated", False) else None,
        changes={
            "file": file_name or getattr(file, "name", "") or "",
            "rows": len(rows),
            "created": change.created,
            "changed": change.changed,
            "removed": change.removed,
        },
    )
    return change


def budget_rows(plan: Plan) -> report_rows.Rows:
    """The plan's budget, one row per line, year and source, in the plan's header texts (the
    first sheet re-imports as is); a second sheet shows lines x years with the totals."""
    from helhedsplan.finance.selectors import budget_grid

    settings = finance_settings_for(plan)
    keys = list(DEFAULT_BUDGET_COLUMNS)
    amounts = (
        BudgetAmount.objects.filter(line__plan=plan)
        .select_related("line", "source")
        .order_by("line__order", "line_id", "year", "source__order", "source_id")
    )
    values = [
        {"line": a.line.name, "year": a.year, "source": a.source.name, "amount": a.amount}
        for a in amounts
    ]
    cells = report_rows.Sheet(
        _("Budget"),
        tuple(
            report_rows.Column(
                budget_header(settings, key),
                WIDTHS[key],
                report_rows.ColumnKind.NUMBER
                if key in NUMBER_COLUMNS
                else report_rows.ColumnKind.TEXT,
                "#,##0.00" if key == "amount" else "",
            )
            for key in keys
        ),
        [tuple(v[key] for key in keys) for v in values],
    )
    grid = budget_grid(plan)
    overview = grid.tables[0]
    year_columns = tuple(
        report_rows.Column(str(y), 14, report_rows.ColumnKind.NUMBER, "#,##0.00")
        for y in grid.years
    )
    summary_rows: list[tuple[Any, ...]] = []
    for group in overview.groups:
        for r in group.rows:
            summary_rows.append((group.label, r.label, *r.cells, r.total))
        summary_rows.append((group.label, _("I alt"), *group.subtotal.cells, group.subtotal.total))
    summary_rows.append((_("I alt"), "", *overview.totals.cells, overview.totals.total))
    for row in grid.by_source:
        summary_rows.append((_("Finansieringskilde"), row.label, *row.cells, row.total))
    summary_rows.append((
        _("Lokal andel (%)"), "",
        *[_share_cell(share.summary.local_share) for share in grid.year_shares],
        _share_cell(grid.period.local_share),
    ))  # fmt: skip
    overview_sheet = report_rows.Sheet(
        _("Oversigt"),
        (
            report_rows.Column(_("Type"), 18),
            report_rows.Column(_("Budgetpost"), 40),
            *year_columns,
            report_rows.Column(_("I alt"), 16, report_rows.ColumnKind.NUMBER, "#,##0.00"),
        ),
        summary_rows,
    )
    return report_rows.Rows(title=_("Budget"), sheets=[cells, overview_sheet])


def _share_cell(share: Decimal | None) -> Decimal | None:
    return None if share is None else share.quantize(Decimal("0.1"))
