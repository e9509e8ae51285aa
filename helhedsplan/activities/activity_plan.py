"""The activity plan (aktivitetsskema) as XLSX: import all-or-nothing, export.

The header texts come from the plan's DeliverySettings.column_mapping (LBF's template is
not public, so a plan can rename them). The import reads the first sheet through the shared
reader (``files.tabular``: the upload checks, then the cells); the first row holds the
headers, in any order; extra columns are ignored. Every problem is collected with its row
and column, and if there is one, nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.activities.models import (
    DEFAULT_COLUMN_MAPPING,
    REQUIRED_COLUMNS,
    Activity,
    ActivityArea,
    PlannedQuantity,
)
from helhedsplan.activities.services import delivery_settings_for
from helhedsplan.audit.services import audit_event
from helhedsplan.files.tabular import Column, TableError, TableRejected, TableRow, read_table
from helhedsplan.plans.models import HousingArea, Plan
from helhedsplan.reports import render
from helhedsplan.reports import rows as report_rows

MAX_ROWS = 20000
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# PlannedQuantity.quantity is a PositiveIntegerField: this is what every database holds.
MAX_QUANTITY = 2_147_483_647


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    # Rows whose number was already right but that were demonstration data: the import
    # confirms them as the plan's own (counted in ``unchanged``, not as changes).
    confirmed: int = 0


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _error(row: int, header: str, message: str, code: str) -> ValidationError:
    return TableError(message, code=code, row=row, column=header).validation_error()


def _quarter(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value in (1, 2, 3, 4) else None
    text = _cell_text(value).upper().replace("KVARTAL", "").replace(".", "").strip()
    text = text.removeprefix("K").removeprefix("Q").strip()
    return int(text) if text in {"1", "2", "3", "4"} else None


def _quarter_in_plan(plan: Plan, year: int, quarter: int) -> bool:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first <= plan.end_date and last > plan.start_date


def _read(plan: Plan, file: Any, file_name: str) -> list[TableRow]:
    settings = delivery_settings_for(plan)
    columns = [
        Column(key, settings.header(key), required=key in REQUIRED_COLUMNS)
        for key in DEFAULT_COLUMN_MAPPING
    ]
    try:
        table = read_table(
            file, name=file_name, columns=columns, kinds={"xlsx"}, max_bytes=MAX_IMPORT_BYTES,
            max_rows=MAX_ROWS,
        )  # fmt: skip
    except TableRejected as exc:
        raise exc.validation_error() from None
    return table.rows


@transaction.atomic
def activity_plan_import(
    *, plan: Plan, file: Any, user: Any = None, file_name: str = ""
) -> ImportResult:
    """Create or update planned quantities from an XLSX file; all or nothing.

    ``file`` is an upload, bytes or a binary stream; it passes the upload checks (size, kind,
    zip bomb; at most ``MAX_IMPORT_BYTES``). Codes: those of ``files.tabular`` (file level
    and cells) and unknown_activity, unknown_area, area_not_in_activity, bad_quarter,
    quarter_outside_plan, duplicate_row. Rows not in the file are kept; a row whose number
    is unchanged is not written. Writes one audit event ``activity_plan.imported``.
    """
    rows = _read(plan, file, file_name)
    file_name = file_name or getattr(file, "name", "") or ""
    settings = delivery_settings_for(plan)
    activities = {a.name.casefold(): a for a in Activity.objects.filter(plan=plan)}
    activities.update({a.slug.casefold(): a for a in activities.values()})
    areas = {a.name.casefold(): a for a in HousingArea.objects.filter(plan=plan)}
    areas.update({a.slug.casefold(): a for a in list(areas.values())})
    runs = set(
        ActivityArea.objects.filter(activity__plan=plan).values_list("activity_id", "area_id")
    )

    errors: list[ValidationError] = []
    seen: dict[tuple[int, int, int, int], int] = {}
    wanted: dict[tuple[int, int, int, int], int] = {}
    for row in rows:
        row_number = row.number
        row_errors = len(errors)

        def head(column: str) -> str:
            return settings.header(column)

        def take(parse: Any, key: str, **kw: Any) -> Any:
            try:
                return parse(key, **kw)
            except TableError as exc:
                errors.append(exc.validation_error())
                return None

        activity_name = take(row.text, "activity") or ""
        activity = activities.get(activity_name.casefold())
        if activity is None:
            errors.append(
                _error(
                    row_number,
                    head("activity"),
                    _("ukendt aktivitet '%(value)s'.") % {"value": activity_name},
                    "unknown_activity",
                )
            )
        area_name = take(row.text, "area") or ""
        area = areas.get(area_name.casefold())
        if area is None:
            errors.append(
                _error(
                    row_number,
                    head("area"),
                    _("ukendt boligområde '%(value)s'.") % {"value": area_name},
                    "unknown_area",
                )
            )
        elif activity is not None and (activity.pk, area.pk) not in runs:
            errors.append(
                _error(
                    row_number,
                    head("area"),
                    _("%(activity)s kører ikke i %(area)s ifølge aftalen.")
                    % {"activity": activity.name, "area": area.name},
                    "area_not_in_activity",
                )
            )
        year = take(row.year, "year", required=True, first=1900, last=2200)
        quarter = _quarter(row.raw("quarter"))
        if quarter is None:
            errors.append(
                _error(
                    row_number,
                    head("quarter"),
                    _("'%(value)s' er ikke et kvartal (1-4).")
                    % {"value": _cell_text(row.raw("quarter"))},
                    "bad_quarter",
                )
            )
        elif year is not None and not _quarter_in_plan(plan, year, quarter):
            errors.append(
                _error(
                    row_number,
                    head("quarter"),
                    _("%(quarter)s. kvartal %(year)s ligger uden for planens periode.")
                    % {"quarter": quarter, "year": year},
                    "quarter_outside_plan",
                )
            )
        quantity = take(row.whole, "quantity", required=True, min_value=0, max_value=MAX_QUANTITY)
        if len(errors) > row_errors:
            continue
        assert activity and area and year is not None and quarter and quantity is not None
        key = (activity.pk, area.pk, year, quarter)
        if key in seen:
            errors.append(
                _error(
                    row_number,
                    head("activity"),
                    _(
                        "%(activity)s i %(area)s, %(quarter)s. kvartal %(year)s står også i "
                        "række %(first)s."
                    )
                    % {
                        "activity": activity.name,
                        "area": area.name,
                        "quarter": quarter,
                        "year": year,
                        "first": seen[key],
                    },
                    "duplicate_row",
                )
            )
            continue
        seen[key] = row_number
        wanted[key] = quantity
    if errors:
        raise ValidationError(errors)
    result = _write(plan, wanted)
    audit_event(
        instance=plan,
        event="activity_plan.imported",
        actor=user if getattr(user, "is_authenticated", False) else None,
        changes={
            "file": file_name,
            "created": result.created,
            "changed": result.updated,
            "unchanged": result.unchanged,
            "confirmed": result.confirmed,
        },
    )
    return result


def _write(plan: Plan, wanted: dict[tuple[int, int, int, int], int]) -> ImportResult:
    """Write only what differs; each write goes through full_clean and auditlog's diff."""
    existing = {
        (p.activity_id, p.area_id, p.year, p.quarter): p
        for p in PlannedQuantity.objects.filter(activity__plan=plan)
    }
    created = updated = unchanged = confirmed = 0
    for (activity_id, area_id, year, quarter), quantity in wanted.items():
        found = existing.get((activity_id, area_id, year, quarter))
        if found is None:
            obj = PlannedQuantity(
                activity_id=activity_id,
                area_id=area_id,
                year=year,
                quarter=quarter,
                quantity=quantity,
            )
            obj.full_clean(validate_constraints=False)
            obj.save()
            created += 1
            continue
        if found.quantity == quantity and not found.is_demo_data:
            unchanged += 1
            continue
        if found.quantity == quantity:
            unchanged += 1
            confirmed += 1
        else:
            updated += 1
        found.quantity, found.is_demo_data = quantity, False
        found.full_clean(validate_constraints=False)
        found.save(update_fields=["quantity", "is_demo_data"])
    return ImportResult(created=created, updated=updated, unchanged=unchanged, confirmed=confirmed)


# The export's column widths, by column key (the header texts are the plan's own).
WIDTHS = {"activity": 40, "area": 32, "year": 8, "quarter": 9, "quantity": 15, "unit": 22}


def activity_plan_rows(plan: Plan) -> report_rows.Rows:
    """The plan's activity plan with the plan's header texts (re-importable as is)."""
    settings = delivery_settings_for(plan)
    columns = list(DEFAULT_COLUMN_MAPPING)
    rows = (
        PlannedQuantity.objects.filter(activity__plan=plan)
        .select_related("activity", "area")
        .order_by("activity__order", "activity__name", "area__order", "year", "quarter")
    )
    values = [
        {
            "activity": p.activity.name,
            "area": p.area.name,
            "year": p.year,
            "quarter": p.quarter,
            "quantity": p.quantity,
            "unit": p.activity.unit_display,
        }
        for p in rows
    ]
    sheet = report_rows.Sheet(
        _("Aktivitetsskema"),
        tuple(
            report_rows.Column(
                settings.header(c),
                WIDTHS[c],
                report_rows.ColumnKind.NUMBER if c == "quantity" else report_rows.ColumnKind.TEXT,
            )
            for c in columns
        ),
        [tuple(v[c] for c in columns) for v in values],
    )
    return report_rows.Rows(title=_("Aktivitetsskema"), sheets=[sheet])


def activity_plan_xlsx(plan: Plan) -> bytes:
    """The activity plan as the XLSX its import reads (the first sheet, header in row 1)."""
    return render.render_xlsx(activity_plan_rows(plan))
