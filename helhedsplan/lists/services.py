"""Writing the national figures of the lists (ListThreshold): one at a time or from a file.

Both doors check the same things (``_check``): the list year has a rule set, the key is one
that year's rule set uses, the value is not negative (a share at most 100) and the source is
given. The import is all or nothing: every row is checked first, and one bad row writes
nothing; it writes one ``list_thresholds.imported`` audit event with the count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.audit.services import audit_event
from helhedsplan.files.tabular import (
    Column,
    TableError,
    TableRejected,
    TableRow,
    read_table,
)
from helhedsplan.lists import selectors
from helhedsplan.lists.models import ListThreshold

__all__ = ["IMPORT_COLUMNS", "list_threshold_set", "list_thresholds_import"]

IMPORT_COLUMNS = (
    Column("list_year", "listeår", ("listeaar", "list_year", "year", "år"), required=True),
    Column("key", "nøgletal", ("noegletal", "key"), required=True),
    Column("value", "værdi", ("vaerdi", "value"), required=True),
    Column("source", "kilde", ("source",), required=True),
)
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2_000
HUNDRED = Decimal(100)


def _check(list_year: int, key: str, value: Decimal | None, source: str) -> dict[str, str]:
    """field -> Danish message for what is wrong (empty: nothing)."""
    errors: dict[str, str] = {}
    rule_set = selectors.rule_set_for(list_year)
    if rule_set is None:
        errors["list_year"] = _("Der er intet regelsæt for listeåret %(year)s.") % {
            "year": list_year
        }
    elif key not in rule_set.national_keys:
        needed = ", ".join(rule_set.national_keys) or _("ingen")
        errors["key"] = _(
            "Regelsættet %(rule_set)s for listeåret %(year)s bruger ikke nøgletallet "
            "»%(key)s« (det bruger: %(needed)s)."
        ) % {"rule_set": rule_set.id, "year": list_year, "key": key, "needed": needed}
    if value is None:
        errors["value"] = _("Angiv en værdi.")
    elif value < 0:
        errors["value"] = _("Værdien kan ikke være negativ.")
    elif key.endswith("_pct") and value > HUNDRED:
        errors["value"] = _("En andel kan ikke være over 100 %.")
    if not source.strip():
        errors["source"] = _("Angiv kilden til landstallet.")
    return errors


def _codes() -> dict[str, str]:
    return {"list_year": "no_rule_set", "key": "unknown_key", "value": "bad_value",
            "source": "source_required"}  # fmt: skip


@transaction.atomic
def list_threshold_set(
    *, list_year: int, key: str, value: Decimal, source: str, user: Any = None
) -> ListThreshold:
    """Enter (or change) one national figure for a list year."""
    errors = _check(list_year, key, value, source)
    if errors:
        raise ValidationError(
            {
                f: ValidationError(m, code=_codes()[f])  # type: ignore[misc]
                for f, m in errors.items()
            }
        )
    threshold = ListThreshold.objects.filter(list_year=list_year, key=key).first()
    if threshold is None:
        threshold = ListThreshold(list_year=list_year, key=key)
    threshold.value = value
    threshold.source = source.strip()
    threshold.entered_by = user if getattr(user, "pk", None) else None
    threshold.full_clean()
    threshold.save()
    return threshold


def _rows_of(rows: Iterable[Mapping[str, Any]]) -> list[TableRow]:
    """Rows given as mappings (header or key -> raw cell), numbered as a file's (from 2)."""
    labels = {c.key: c.label for c in IMPORT_COLUMNS}
    names = {n: c.key for c in IMPORT_COLUMNS for n in (c.key, c.label, *c.aliases)}
    return [
        TableRow(
            number=i,
            cells={names.get(str(k).strip().lower(), str(k)): v for k, v in row.items()},
            labels=labels,
        )
        for i, row in enumerate(rows, start=2)
    ]


@transaction.atomic
def list_thresholds_import(
    *,
    file: Any = None,
    rows: Iterable[Mapping[str, Any]] | None = None,
    name: str = "",
    user: Any = None,
) -> int:
    """Import national figures from an XLSX/CSV file (columns listeår;nøgletal;værdi;kilde)
    or from ``rows``; all or nothing. Returns the number of figures written."""
    if file is not None:
        try:
            table = read_table(
                file, name=name, columns=IMPORT_COLUMNS, max_bytes=MAX_IMPORT_BYTES,
                max_rows=MAX_IMPORT_ROWS, refuse_unknown_columns=True,
            )  # fmt: skip
        except TableRejected as exc:
            raise exc.validation_error() from None
        table_rows = table.rows
    else:
        table_rows = _rows_of(rows or [])
    labels = {c.key: c.label for c in IMPORT_COLUMNS}
    errors: list[TableError] = []
    parsed: list[tuple[int, str, Decimal, str]] = []
    seen: dict[tuple[int, str], int] = {}
    for row in table_rows:
        before = len(errors)
        try:
            year = row.year("list_year", first=2010, last=2100, required=True)
        except TableError as exc:
            errors.append(exc)
            year = None
        try:
            key = row.text("key", max_length=60, required=True)
        except TableError as exc:
            errors.append(exc)
            key = ""
        try:
            value = row.decimal("value", max_digits=12, decimal_places=4, required=True)
        except TableError as exc:
            errors.append(exc)
            value = None
        try:
            source = row.text("source", max_length=300, required=True)
        except TableError as exc:
            errors.append(exc)
            source = ""
        if len(errors) > before or year is None or value is None:
            continue
        for field, message in _check(year, key, value, source).items():
            errors.append(
                TableError(message, code=_codes()[field], row=row.number, column=labels[field])
            )
        if (year, key) in seen:
            errors.append(
                TableError(
                    _("Listeåret %(year)s og nøgletallet »%(key)s« står også i række %(row)s.")
                    % {"year": year, "key": key, "row": seen[(year, key)]},
                    code="duplicate",
                    row=row.number,
                    column=labels["key"],
                )
            )
        seen.setdefault((year, key), row.number)
        if len(errors) == before:
            parsed.append((year, key, value, source))
    if not table_rows:
        errors.append(TableError(_("Filen har ingen rækker med landstal."), code="empty"))
    if errors:
        raise TableRejected(errors).validation_error()
    written = [
        list_threshold_set(list_year=y, key=k, value=v, source=s, user=user)
        for y, k, v, s in parsed
    ]
    audit_event(
        instance=written[-1],
        event="list_thresholds.imported",
        actor=user if getattr(user, "pk", None) else None,
        changes={"file": name or getattr(file, "name", "") or "", "count": len(written)},
    )
    return len(written)
