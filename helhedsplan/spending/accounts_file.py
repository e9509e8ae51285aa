"""The accounts as XLSX (or CSV): import all-or-nothing, and the rows the export writes.

The header texts are the plan's own (``FinanceSettings.accounts_columns``: LBF's template
lives in LBF's portal and its columns are not public), as the activity plan's are. The
import reads the first sheet through the shared reader (``files.tabular``); the first row
holds the headers, in any order; a column that is not one of the four mapped ones is
refused, as is a missing one. Every problem is collected with its row and column, and if
there is one, nothing is written. The export's first sheet is the same four columns, so a
downloaded year reads back as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helhedsplan.audit.services import audit_event
from helhedsplan.files.tabular import Column, TableError, TableRejected, TableRow, read_table
from helhedsplan.finance.models import DEFAULT_ACCOUNTS_COLUMNS, BudgetLine, FundingSource
from helhedsplan.plans.models import Plan
from helhedsplan.reports import rows as report_rows
from helhedsplan.spending.models import AccountsClosing, ActualSpending, SpendingCorrection
from helhedsplan.spending.services import accounts_header, finance_settings_for, lock_plan

MAX_ROWS = 20000
MAX_IMPORT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _error(row: int, header: str, message: str, code: str) -> ValidationError:
    return TableError(message, code=code, row=row, column=header).validation_error()


# The export's columns beside the four mapped ones: what the page shows per line and source.
# The import knows and skips them (so an exported file reads back), and refuses any other.
EXTRA_COLUMNS: dict[str, Any] = {
    "budget": gettext_lazy("Budget (kr.)"),
    "corrections": gettext_lazy("Rettelser (kr.)"),
    "spent": gettext_lazy("Forbrug i alt (kr.)"),
    "variance": gettext_lazy("Afvigelse (kr.)"),
    "variance_pct": gettext_lazy("Afvigelse (%)"),
}
_EXTRA_DANISH = {
    "budget": "Budget (kr.)",
    "corrections": "Rettelser (kr.)",
    "spent": "Forbrug i alt (kr.)",
    "variance": "Afvigelse (kr.)",
    "variance_pct": "Afvigelse (%)",
}


def _read(plan: Plan, file: Any, file_name: str, headers: dict[str, str]) -> list[TableRow]:
    columns = [Column(key, headers[key], required=True) for key in DEFAULT_ACCOUNTS_COLUMNS]
    mapped = {h.casefold() for h in headers.values()}
    columns += [
        Column(f"x_{key}", str(label), aliases=(_EXTRA_DANISH[key],))
        for key, label in EXTRA_COLUMNS.items()
        if str(label).casefold() not in mapped
    ]
    try:
        table = read_table(
            file, name=file_name, columns=columns, kinds={"xlsx", "csv"},
            max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_ROWS, refuse_unknown_columns=True,
        )  # fmt: skip
    except TableRejected as exc:
        raise exc.validation_error() from None
    return table.rows


@transaction.atomic
def spending_import(
    *, plan: Plan, file: Any, user: Any = None, file_name: str = ""
) -> ImportResult:
    """Create or update the registered spending from a file; all or nothing.

    Codes: those of ``files.tabular`` (file level, headers: unknown_header, missing_header;
    cells) and unknown_line, unknown_source, year_outside_plan, year_closed, negative_amount
    (negative amounts are corrections of an approved year only), duplicate_row. Cells not
    in the file are kept; a cell whose amount is unchanged is not written. Writes one audit
    event ``spending.imported``.
    """
    lock_plan(plan)
    settings = finance_settings_for(plan)
    headers = {key: accounts_header(settings, key) for key in DEFAULT_ACCOUNTS_COLUMNS}
    file_name = file_name or getattr(file, "name", "") or ""
    rows = _read(plan, file, file_name, headers)
    lines = {line.name.casefold(): line for line in BudgetLine.objects.filter(plan=plan)}
    sources = {s.name.casefold(): s for s in FundingSource.objects.filter(plan=plan)}
    closed = set(AccountsClosing.objects.filter(plan=plan).values_list("year", flat=True))
    years = plan.years

    errors: list[ValidationError] = []
    seen: dict[tuple[int, int, int], int] = {}
    wanted: dict[tuple[int, int, int], Decimal] = {}
    for row in rows:
        if row.is_empty("amount") and not row.is_empty("line"):
            continue  # a line and source without spending: nothing to register
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
            errors.append(_error(
                row.number, headers["line"],
                _("planen har ingen budgetpost '%(value)s'. Planens budgetposter: %(known)s.")
                % {"value": line_name, "known": _known(lines.values())},
                "unknown_line",
            ))  # fmt: skip
        source_name = take(row.text, "source", required=True)
        source = sources.get((source_name or "").casefold())
        if source_name and source is None:
            errors.append(_error(
                row.number, headers["source"],
                _(
                    "planen har ingen finansieringskilde '%(value)s'. Planens kilder: "
                    "%(known)s."
                ) % {"value": source_name, "known": _known(sources.values())},
                "unknown_source",
            ))  # fmt: skip
        year = take(row.year, "year", required=True)
        if year is not None and year not in years:
            errors.append(_error(
                row.number, headers["year"],
                _("%(year)s ligger uden for planens periode (%(first)s-%(last)s).")
                % {"year": year, "first": years[0], "last": years[-1]},
                "year_outside_plan",
            ))  # fmt: skip
        elif year is not None and year in closed:
            errors.append(_error(
                row.number, headers["year"],
                _(
                    "regnskabet for %(year)s er godkendt, og året er lukket: det indlæses "
                    "ikke igen. Ret det med en rettelse med begrundelse."
                ) % {"year": year},
                "year_closed",
            ))  # fmt: skip
        amount = take(row.decimal, "amount", required=True, max_digits=14, decimal_places=2)
        if amount is not None and amount < 0:
            errors.append(_error(
                row.number, headers["amount"],
                _(
                    "forbruget må ikke være negativt (%(value)s). Negative beløb er rettelser "
                    "af et godkendt år og registreres med en begrundelse."
                ) % {"value": row.raw("amount")},
                "negative_amount",
            ))  # fmt: skip
        if len(errors) > before:
            continue
        assert line and source and year is not None and amount is not None
        key = (line.pk, source.pk, year)
        if key in seen:
            errors.append(_error(
                row.number, headers["line"],
                _("%(line)s, %(source)s %(year)s står også i række %(first)s.")
                % {"line": line.name, "source": source.name, "year": year, "first": seen[key]},
                "duplicate_row",
            ))  # fmt: skip
            continue
        seen[key] = row.number
        wanted[key] = amount
    if errors:
        raise ValidationError(errors)
    result = _write(plan, wanted, user)
    audit_event(
        instance=plan,
        event="spending.imported",
        actor=user if getattr(user, "is_authenticated", False) else None,
        changes={
            "file": file_name,
            "created": result.created,
            "changed": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result


def _known(objs: Any) -> str:
    names = sorted({o.name for o in objs})
    return ", ".join(f"'{n}'" for n in names) if names else _("ingen")


def _write(plan: Plan, wanted: dict[tuple[int, int, int], Decimal], user: Any) -> ImportResult:
    from django.utils import timezone

    actor = user if getattr(user, "is_authenticated", False) else None
    existing = {
        (r.line_id, r.source_id, r.year): r
        for r in ActualSpending.objects.select_for_update(of=("self",))
        .filter(line__plan=plan)
        .order_by()
    }
    created = updated = unchanged = 0
    now = timezone.now()
    for (line_id, source_id, year), amount in wanted.items():
        found = existing.get((line_id, source_id, year))
        if found is not None and found.amount == amount:
            unchanged += 1
            continue
        row = found or ActualSpending(line_id=line_id, source_id=source_id, year=year)
        row.amount, row.registered_by, row.registered_at = amount, actor, now
        row.full_clean(validate_constraints=False)
        row.save()
        if found is None:
            created += 1
        else:
            updated += 1
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


# --- the export -------------------------------------------------------------------------------

WIDTHS = {"line": 40, "year": 8, "source": 32, "amount": 16}


def accounts_rows(plan: Plan, year: int) -> report_rows.Rows:
    """The year's accounts per line and funding source against the budget (four queries).

    The first four columns are the plan's mapped ones with the registered spending, so the
    file reads back through ``spending_import``; the others are what the page shows."""
    from helhedsplan.finance.selectors import budget_cells
    from helhedsplan.spending.rules import ZERO, Variance

    settings = finance_settings_for(plan)
    lines = list(BudgetLine.objects.filter(plan=plan).order_by("order", "pk"))
    sources = list(FundingSource.objects.filter(plan=plan).order_by("order", "pk"))
    budget = {(ln, sc): a for (ln, sc, y), a in budget_cells(plan).items() if y == year}
    registered = {
        (r.line_id, r.source_id): r.amount
        for r in ActualSpending.objects.filter(line__plan=plan, year=year).order_by()
    }
    corrections: dict[tuple[int, int], Decimal] = {}
    for c in SpendingCorrection.objects.filter(plan=plan, year=year).order_by():
        key = (c.line_id, c.source_id)
        corrections[key] = corrections.get(key, ZERO) + c.amount
    values = []
    for line in lines:
        for source in sources:
            key = (line.pk, source.pk)
            if key not in budget and key not in registered and key not in corrections:
                continue
            variance = Variance(
                budget=budget.get(key, ZERO),
                spent=registered.get(key, ZERO) + corrections.get(key, ZERO),
            )
            pct = variance.percent
            values.append(
                (
                    line.name,
                    year,
                    source.name,
                    registered.get(key),
                    budget.get(key, ZERO),
                    corrections.get(key, ZERO),
                    variance.spent,
                    variance.kroner,
                    round(pct, 1) if pct is not None else None,
                )
            )
    number, amount = report_rows.ColumnKind.NUMBER, "#,##0.00"
    columns = (
        *(
            report_rows.Column(
                accounts_header(settings, key),
                WIDTHS[key],
                number if key in ("year", "amount") else report_rows.ColumnKind.TEXT,
                amount if key == "amount" else "",
            )
            for key in DEFAULT_ACCOUNTS_COLUMNS
        ),
        report_rows.Column(str(EXTRA_COLUMNS["budget"]), 16, number, amount),
        report_rows.Column(str(EXTRA_COLUMNS["corrections"]), 16, number, amount),
        report_rows.Column(str(EXTRA_COLUMNS["spent"]), 18, number, amount),
        report_rows.Column(str(EXTRA_COLUMNS["variance"]), 16, number, amount),
        report_rows.Column(str(EXTRA_COLUMNS["variance_pct"]), 14, number, "0.0"),
    )
    title = _("Regnskab %(year)s") % {"year": year}
    return report_rows.Rows(title=title, sheets=[report_rows.Sheet(title, columns, values)])
