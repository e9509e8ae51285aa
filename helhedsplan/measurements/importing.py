"""The import of LBF's central measurements (XLSX or CSV), all or nothing.

The file is read through the shared reader (``files.tabular``) with the plan's header texts
(``MeasurementSettings.columns``, default ``område;år;indikator;værdi;tæller;nævner;kilde``):
the first row holds the headers, in any order; other columns are ignored. ``område``,
``år``, ``indikator`` and ``værdi`` must be there; ``tæller``, ``nævner`` and ``kilde`` may be
left out. One row is one indicator's value for one of the plan's areas (by its short name)
and one year. The rules (each refusal names the row, the column's header and what is wrong):

- ``område`` is a short name of one of the plan's areas (code unknown_area; an area of
  another plan is said to be so, without naming that plan: area_of_other_plan);
- ``år`` is a year 1990-2100 (bad_year); ``indikator`` a code of the plan's framework's
  catalogue (unknown_indicator);
- ``værdi``, ``tæller``, ``nævner`` are numbers, Danish (``1.234,5``) or the spreadsheet's, or a
  mark of suppression (``diskretioneret``, ``catalogue.SUPPRESSED_MARKS``, any case): the row
  is then stored as suppressed, with no value (never zero), whatever else it holds;
- a rate (``is_rate``) has a value from 0 to 100 % (share_out_of_range), a numerator and a
  denominator that are not negative, and a numerator not above the denominator
  (numerator_above_denominator); without a value it is computed from them, with one it must
  agree with them within 0,05 percentage points (value_disagrees); a denominator of 0 gives
  no share (zero_denominator). Only a rate has a numerator and denominator (not_a_rate);
- any percentage is at least 0 (share_out_of_range; a share of the region's average income
  may be above 100); a count (unit ``antal``: the residents) is a whole number, not negative
  (not_whole, negative); an amount or a scale may be any number;
- an area, indicator and year stand once in the file (duplicate_row, naming the first row);
- a row without any value (no_value).

Existing values for the same area, indicator and year are replaced (the audit trail has the
old and new values, ``CentralMeasurement`` being ``Audited``); one audit event
``central_measurements.imported`` records the file, its rows and what changed. The lookups
are a fixed number of queries whatever the file's size (the areas, the catalogue, the
existing values); the writes are one save per new or changed row (for the trail).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.audit.services import audit_event
from helhedsplan.files.tabular import Column, TableError, TableRejected, TableRow, read_table
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.measurements import catalogue
from helhedsplan.measurements.models import CentralMeasurement, Indicator
from helhedsplan.plans import versions
from helhedsplan.plans.closing import ensure_plan_open
from helhedsplan.plans.models import HousingArea, Plan

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
EVENT = "central_measurements.imported"
# A given value and its numerator/denominator agree within this (percentage points).
TOLERANCE = Decimal("0.05")
REQUIRED = ("area", "year", "indicator", "value")
VALUE_PLACES = Decimal("0.0001")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Parsed:
    """One checked row of the file."""

    number: int
    area: HousingArea
    indicator: Indicator
    year: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    suppressed: bool
    source: str

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.area.pk, self.indicator.pk, self.year)

    def differs(self, stored: CentralMeasurement) -> bool:
        def same(a: Decimal | None, b: Decimal | None) -> bool:
            return (a is None and b is None) or (a is not None and b is not None and a == b)

        return not (
            same(self.value, stored.value)
            and same(self.numerator, stored.numerator)
            and same(self.denominator, stored.denominator)
            and self.suppressed == stored.suppressed
            and self.source == stored.source
        )


@dataclass
class Change:
    row: Parsed
    old: CentralMeasurement | None  # None: a new value


@dataclass
class ImportPreview:
    """What the file would do: new, changed (with the old value) and unchanged rows."""

    file_name: str
    created: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.changed) + len(self.unchanged)


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    rows: int
    created: int
    updated: int
    unchanged: int
    suppressed: int


def header_columns(plan: Plan, columns: Mapping[str, str] | None = None) -> dict[str, str]:
    """The header text of each logical column: ``columns`` where given, else the plan's."""
    from helhedsplan.measurements.services import columns_for, measurement_settings_for

    heads = columns_for(measurement_settings_for(plan))
    if columns:
        heads.update({k: str(v).strip() for k, v in columns.items() if k in heads and v})
    return heads


def _is_suppressed(raw: Any) -> bool:
    return isinstance(raw, str) and raw.strip().casefold() in catalogue.SUPPRESSED_MARKS


def _error(row: int, header: str, message: str, code: str) -> ValidationError:
    return TableError(message, code=code, row=row, column=header).validation_error()


def _pct(value: Decimal) -> str:
    return fmt_number(value, trim=True) + " %"


class _Checker:
    """Checks the rows of one file against one plan, with the lookups done once."""

    def __init__(
        self, plan: Plan, heads: dict[str, str], rows: list[TableRow], found: set[str]
    ) -> None:
        self.plan, self.heads, self.heads_found = plan, heads, found
        self.areas = {a.slug.casefold(): a for a in HousingArea.objects.filter(plan=plan)}
        for area in self.areas.values():
            area.plan = plan  # the audit trail reads the plan through the area
        self.indicators = {
            i.code.casefold(): i for i in Indicator.objects.filter(framework=plan.framework)
        }
        wanted = {
            str(r.raw("area")).strip().casefold() for r in rows if not r.is_empty("area")
        } - set(self.areas)
        self.elsewhere = (
            {
                s.casefold()
                for s in HousingArea.objects.filter(slug__in=_variants(wanted))
                .exclude(plan=plan)
                .values_list("slug", flat=True)
            }
            if wanted
            else set()
        )
        self.errors: list[ValidationError] = []
        self.seen: dict[tuple[int, int, int], int] = {}

    def fail(self, row: TableRow, key: str, message: str, code: str) -> None:
        self.errors.append(_error(row.number, self.heads[key], message, code))

    def take(self, parse: Any, key: str, **kw: Any) -> Any:
        try:
            return parse(key, **kw)
        except TableError as exc:
            self.errors.append(exc.validation_error())
            return None

    def area(self, row: TableRow) -> HousingArea | None:
        slug = self.take(row.text, "area", required=True, max_length=50)
        if not slug:
            return None
        found = self.areas.get(slug.casefold())
        if found is None:
            known = ", ".join(a.slug for a in self.areas.values()) or _("ingen")
            if slug.casefold() in self.elsewhere:
                message = _(
                    "området '%(slug)s' findes ikke i planen; det er et område i en anden plan. "
                    "Planens områder: %(known)s."
                )
            else:
                message = _("området '%(slug)s' findes ikke i planen. Planens områder: %(known)s.")
            code = "area_of_other_plan" if slug.casefold() in self.elsewhere else "unknown_area"
            self.fail(row, "area", message % {"slug": slug, "known": known}, code)
        return found

    def indicator(self, row: TableRow) -> Indicator | None:
        code = self.take(row.text, "indicator", required=True, max_length=60)
        if not code:
            return None
        found = self.indicators.get(code.casefold())
        if found is None:
            self.fail(row, "indicator",
                _("indikatoren '%(code)s' findes ikke i kataloget for bevillingsrammen "
                  "%(framework)s. Kendte koder: %(known)s.")
                % {"code": code, "framework": self.plan.framework,
                   "known": ", ".join(i.code for i in self.indicators.values())},
                "unknown_indicator")  # fmt: skip
        return found

    def number(self, row: TableRow, key: str, places: int) -> tuple[Decimal | None, bool]:
        """(the number, whether the cell is a mark of suppression)."""
        if key not in self.heads_found:
            return None, False
        if _is_suppressed(row.raw(key)):
            return None, True
        return self.take(row.decimal, key, max_digits=14, decimal_places=places), False

    def check(self, row: TableRow) -> Parsed | None:
        before = len(self.errors)
        area = self.area(row)
        year = self.take(row.year, "year", required=True, first=1990, last=2100)
        indicator = self.indicator(row)
        numbers_from = len(self.errors)
        value, value_mark = self.number(row, "value", 4)
        numerator, num_mark = self.number(row, "numerator", 2)
        denominator, den_mark = self.number(row, "denominator", 2)
        source = (
            self.take(row.text, "source", max_length=200) if "source" in self.heads_found else ""
        ) or ""
        suppressed = value_mark or num_mark or den_mark
        if indicator is not None and len(self.errors) == numbers_from:
            # The value's rules are the indicator's: checked even where the area or year is
            # wrong, so that every problem of the row is said at once.
            if not suppressed and value is None and numerator is None and denominator is None:
                self.fail(row, "value", _("cellen er tom: rækken har ingen værdi (skriv "
                                          "'diskretioneret', hvis kilden har skjult den)."),
                          "no_value")  # fmt: skip
            else:
                value = self._rules(row, indicator, value, numerator, denominator, suppressed)
        if len(self.errors) > before or area is None or indicator is None or year is None:
            return None
        parsed = Parsed(
            row.number, area, indicator, year, None if suppressed else value, numerator,
            denominator, suppressed, source or indicator.source,
        )  # fmt: skip
        first = self.seen.get(parsed.key)
        if first is not None:
            self.fail(row, "indicator",
                _("%(area)s, %(code)s, %(year)s står også i række %(first)s.")
                % {"area": area.slug, "code": indicator.code, "year": year, "first": first},
                "duplicate_row")  # fmt: skip
            return None
        self.seen[parsed.key] = row.number
        return parsed

    def _rules(
        self,
        row: TableRow,
        indicator: Indicator,
        value: Decimal | None,
        numerator: Decimal | None,
        denominator: Decimal | None,
        suppressed: bool,
    ) -> Decimal | None:
        unit = indicator.unit
        if not indicator.is_rate and (numerator is not None or denominator is not None):
            key = "numerator" if numerator is not None else "denominator"
            self.fail(row, key,
                _("indikatoren '%(code)s' er ikke en andel og har ingen tæller og nævner; "
                  "skriv kun værdien.") % {"code": indicator.code},
                "not_a_rate")  # fmt: skip
            return None
        bad_parts = False
        for key, part in (("numerator", numerator), ("denominator", denominator)):
            if part is not None and part < 0:
                bad_parts = True
                self.fail(row, key,
                    _("%(value)s er negativt; et antal personer er 0 eller derover.")
                    % {"value": fmt_number(part)}, "negative")  # fmt: skip
        if numerator is not None and denominator is not None and numerator > denominator:
            bad_parts = True
            self.fail(row, "numerator",
                _("tælleren (%(num)s) er større end nævneren (%(den)s).")
                % {"num": fmt_number(numerator), "den": fmt_number(denominator)},
                "numerator_above_denominator")  # fmt: skip
        if bad_parts:
            return None
        if value is None and not suppressed and indicator.is_rate:
            if numerator is None or denominator is None:
                self.fail(row, "value",
                    _("værdien mangler; skriv værdien, eller både tæller og nævner."),
                    "no_value")  # fmt: skip
                return None
            if denominator == 0:
                self.fail(
                    row,
                    "denominator",
                    _("nævneren er 0, så andelen kan ikke beregnes."),
                    "zero_denominator",
                )
                return None
            value = (numerator * 100 / denominator).quantize(VALUE_PLACES, ROUND_HALF_UP)
        if value is None:
            return None
        if unit == Indicator.Unit.PERCENT and value < 0:
            self.fail(row, "value",
                _("%(value)s er under 0 %%; en andel er mellem 0 og 100 %%.")
                % {"value": _pct(value)}, "share_out_of_range")  # fmt: skip
        elif indicator.is_rate and value > 100:
            self.fail(row, "value",
                _("%(value)s er over 100 %%; en andel er mellem 0 og 100 %%.")
                % {"value": _pct(value)}, "share_out_of_range")  # fmt: skip
        elif unit in (Indicator.Unit.COUNT, Indicator.Unit.PER_1000) and value < 0:
            self.fail(row, "value",
                _("%(value)s er negativt; tallet skal være 0 eller derover.")
                % {"value": fmt_number(value)}, "negative")  # fmt: skip
        elif unit == Indicator.Unit.COUNT and value != value.to_integral_value():
            self.fail(row, "value",
                _("'%(value)s' er ikke et helt tal; %(name)s er et antal.")
                % {"value": fmt_number(value), "name": indicator.name}, "not_whole")  # fmt: skip
        elif (
            indicator.is_rate
            and numerator is not None
            and denominator is not None
            and denominator > 0
            and abs(value - numerator * 100 / denominator) > TOLERANCE
        ):
            computed = (numerator * 100 / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
            self.fail(row, "value",
                _("værdien %(value)s passer ikke med tæller og nævner (%(num)s af %(den)s er "
                  "%(computed)s).")
                % {"value": _pct(value), "num": fmt_number(numerator),
                   "den": fmt_number(denominator), "computed": _pct(computed)},
                "value_disagrees")  # fmt: skip
        return value


def _variants(slugs: set[str]) -> set[str]:
    """The slugs as typed and lower-cased (a slug is stored lower-case; the lookup is exact)."""
    return slugs | {s.lower() for s in slugs}


def read_file(
    plan: Plan,
    file: Any,
    *,
    file_name: str = "",
    columns: Mapping[str, str] | None = None,
) -> list[Parsed]:
    """The file's rows, checked; ``ValidationError`` with every problem (nothing written)."""
    heads = header_columns(plan, columns)
    table_columns = [Column(key, heads[key], required=key in REQUIRED) for key in heads]
    try:
        table = read_table(
            file, name=file_name, columns=table_columns, max_bytes=MAX_BYTES, max_rows=MAX_ROWS
        )
    except TableRejected as exc:
        raise exc.validation_error() from None
    checker = _Checker(plan, heads, table.rows, set(table.headers))
    parsed = [p for p in (checker.check(row) for row in table.rows) if p is not None]
    if checker.errors:
        raise ValidationError(checker.errors)
    return parsed


def _existing(plan: Plan, rows: list[Parsed]) -> dict[tuple[int, int, int], CentralMeasurement]:
    if not rows:
        return {}
    found = CentralMeasurement.objects.filter(
        area__plan=plan,
        indicator_id__in={r.indicator.pk for r in rows},
        year__in={r.year for r in rows},
    )
    return {(m.area_id, m.indicator_id, m.year): m for m in found}


def preview(
    *,
    plan: Plan,
    file: Any,
    file_name: str = "",
    columns: Mapping[str, str] | None = None,
) -> ImportPreview:
    """What importing the file would do; writes nothing. ``ValidationError`` as the import."""
    rows = read_file(plan, file, file_name=file_name, columns=columns)
    existing = _existing(plan, rows)
    result = ImportPreview(file_name)
    for row in rows:
        old = existing.get(row.key)
        if old is None:
            result.created.append(Change(row, None))
        elif row.differs(old):
            result.changed.append(Change(row, old))
        else:
            result.unchanged.append(Change(row, old))
    return result


@transaction.atomic
@versions.batched()  # one raise of the plan's data version, however many rows are audited
def import_file(
    *,
    plan: Plan,
    file: Any,
    user: Any = None,
    file_name: str = "",
    columns: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the file, all or nothing (one transaction: any error, nothing is written)."""
    ensure_plan_open(plan.pk)
    name = file_name or getattr(file, "name", "") or ""
    plan_preview = preview(plan=plan, file=file, file_name=name, columns=columns)
    actor = user if getattr(user, "is_authenticated", False) else None
    writes = [*plan_preview.created, *plan_preview.changed]
    total = len(writes)
    if progress:
        progress(0, total)
    for done, change in enumerate(writes, start=1):
        row = change.row
        measurement = change.old or CentralMeasurement(
            area=row.area, indicator=row.indicator, year=row.year
        )
        measurement.area = row.area
        measurement.value = row.value
        measurement.numerator = row.numerator
        measurement.denominator = row.denominator
        measurement.suppressed = row.suppressed
        measurement.source = row.source
        measurement.imported_by = actor
        # The foreign keys and the uniqueness are the checker's (looked up once, not per row).
        measurement.full_clean(
            exclude=["area", "indicator", "imported_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        measurement.save()
        if progress:
            progress(done, total)
    result = ImportResult(
        file_name=name,
        rows=plan_preview.rows,
        created=len(plan_preview.created),
        updated=len(plan_preview.changed),
        unchanged=len(plan_preview.unchanged),
        suppressed=sum(c.row.suppressed for c in writes),
    )
    audit_event(
        instance=plan,
        event=EVENT,
        actor=actor,
        changes={
            "file": name,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result
