"""The activity plan (aktivitetsskema) as XLSX: import all-or-nothing, export.

The header texts come from the plan's DeliverySettings.column_mapping (LBF's template is
not public, so a plan can rename them). The import reads the first sheet; the first row
holds the headers, in any order; extra columns are ignored. Every problem is collected
with its row and column, and if there is one, nothing is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from helhedsplan.activities.models import (
    DEFAULT_COLUMN_MAPPING,
    REQUIRED_COLUMNS,
    Activity,
    ActivityArea,
    PlannedQuantity,
)
from helhedsplan.activities.services import delivery_settings_for
from helhedsplan.lib.numbers import parse_decimal
from helhedsplan.lib.stable import stable_zip
from helhedsplan.plans.models import HousingArea, Plan

MAX_ROWS = 20000


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _error(row: int, header: str, message: str, code: str) -> ValidationError:
    return ValidationError(
        _("Række %(row)s, kolonne '%(column)s': %(message)s")
        % {"row": row, "column": header, "message": message},
        code=code,
    )


def _whole_number(value: Any) -> int | None:
    """The cell as a whole number, or None if it is text or has decimals."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = (
            Decimal(str(value)) if isinstance(value, float) else parse_decimal(_cell_text(value))
        )
    except (ValueError, InvalidOperation):
        return None
    return int(number) if number == number.to_integral_value() else None


def _quarter(value: Any) -> int | None:
    text = _cell_text(value).upper().replace("KVARTAL", "").replace(".", "").strip()
    text = text.removeprefix("K").removeprefix("Q").strip()
    return int(text) if text in {"1", "2", "3", "4"} else None


def _quarter_in_plan(plan: Plan, year: int, quarter: int) -> bool:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first <= plan.end_date and last > plan.start_date


@transaction.atomic
def activity_plan_import(*, plan: Plan, file: IO[bytes]) -> ImportResult:
    """Create or update planned quantities from an XLSX file; all or nothing.

    Codes: bad_file, missing_column, unknown_activity, unknown_area, area_not_in_activity,
    not_a_number, negative_number, bad_quarter, quarter_outside_plan, duplicate_row.
    Rows not in the file are kept.
    """
    settings = delivery_settings_for(plan)
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError(
            _("Filen kunne ikke læses som et regneark (XLSX)."), code="bad_file"
        ) from exc
    if not rows:
        raise ValidationError(_("Regnearket er tomt."), code="bad_file")
    headers = {_cell_text(h).casefold(): i for i, h in enumerate(rows[0]) if _cell_text(h)}
    index: dict[str, int] = {}
    missing = []
    for column in DEFAULT_COLUMN_MAPPING:
        header = settings.header(column)
        if header.casefold() in headers:
            index[column] = headers[header.casefold()]
        elif column in REQUIRED_COLUMNS:
            missing.append(header)
    if missing:
        raise ValidationError(
            _("Række 1: kolonnen/kolonnerne %(columns)s mangler. Intet er indlæst.")
            % {"columns": ", ".join(f"'{m}'" for m in missing)},
            code="missing_column",
        )

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
    for row_number, row in enumerate(rows[1:], start=2):
        cells = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
        if all(_cell_text(v) == "" for v in cells.values()):
            continue
        row_errors = len(errors)

        def head(column: str) -> str:
            return settings.header(column)

        activity = activities.get(_cell_text(cells["activity"]).casefold())
        if activity is None:
            errors.append(
                _error(
                    row_number,
                    head("activity"),
                    _("ukendt aktivitet '%(value)s'.") % {"value": _cell_text(cells["activity"])},
                    "unknown_activity",
                )
            )
        area = areas.get(_cell_text(cells["area"]).casefold())
        if area is None:
            errors.append(
                _error(
                    row_number,
                    head("area"),
                    _("ukendt boligområde '%(value)s'.") % {"value": _cell_text(cells["area"])},
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
        year = _whole_number(cells["year"])
        if year is None:
            errors.append(
                _error(
                    row_number,
                    head("year"),
                    _("'%(value)s' er ikke et årstal.") % {"value": _cell_text(cells["year"])},
                    "not_a_number",
                )
            )
        quarter = _quarter(cells["quarter"])
        if quarter is None:
            errors.append(
                _error(
                    row_number,
                    head("quarter"),
                    _("'%(value)s' er ikke et kvartal (1-4).")
                    % {"value": _cell_text(cells["quarter"])},
                    "bad_quarter",
                )
            )
        elif year is not None and not (
            1900 < year < 2200 and _quarter_in_plan(plan, year, quarter)
        ):
            errors.append(
                _error(
                    row_number,
                    head("quarter"),
                    _("%(quarter)s. kvartal %(year)s ligger uden for planens periode.")
                    % {"quarter": quarter, "year": year},
                    "quarter_outside_plan",
                )
            )
        quantity = _whole_number(cells["quantity"])
        if quantity is None:
            errors.append(
                _error(
                    row_number,
                    head("quantity"),
                    _("'%(value)s' er ikke et helt tal.")
                    % {"value": _cell_text(cells["quantity"])},
                    "not_a_number",
                )
            )
        elif quantity < 0:
            errors.append(
                _error(
                    row_number,
                    head("quantity"),
                    _("antallet må ikke være negativt (%(value)s).") % {"value": quantity},
                    "negative_number",
                )
            )
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
    if len(rows) > MAX_ROWS:
        errors.append(
            ValidationError(
                _("Filen har mere end %(max)s rækker.") % {"max": MAX_ROWS}, code="too_many_rows"
            )
        )
    if errors:
        raise ValidationError(errors)

    existing = {
        (p.activity_id, p.area_id, p.year, p.quarter): p
        for p in PlannedQuantity.objects.filter(activity__plan=plan)
    }
    created = updated = unchanged = 0
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
        elif found.quantity != quantity or found.is_demo_data:
            found.quantity, found.is_demo_data = quantity, False
            found.save(update_fields=["quantity", "is_demo_data"])
            updated += 1
        else:
            unchanged += 1
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def activity_plan_xlsx(plan: Plan) -> bytes:
    """The plan's activity plan with the plan's header texts (re-importable as is)."""
    settings = delivery_settings_for(plan)
    columns = list(DEFAULT_COLUMN_MAPPING)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Aktivitetsskema")[:31]
    sheet.append([settings.header(c) for c in columns])
    rows = (
        PlannedQuantity.objects.filter(activity__plan=plan)
        .select_related("activity", "area")
        .order_by("activity__order", "activity__name", "area__order", "year", "quarter")
    )
    for p in rows:
        values = {
            "activity": p.activity.name,
            "area": p.area.name,
            "year": p.year,
            "quarter": p.quarter,
            "quantity": p.quantity,
            "unit": p.activity.unit_display,
        }
        sheet.append([values[c] for c in columns])
    for i, width in enumerate([40, 32, 8, 9, 15, 22], start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return stable_zip(out.getvalue())  # byte-stable: fixed times and stamps
