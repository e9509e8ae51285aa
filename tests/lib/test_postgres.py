"""lib.postgres: the list dumper writes exactly psycopg's bytes, and every PostgreSQL
connection uses it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from psycopg import adapt
from psycopg.adapt import PyFormat
from psycopg.types.array import ListDumper as PsycopgListDumper
from psycopg.types.json import Jsonb

from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import Observation
from helhedsplan.lib.postgres import ListDumper
from helhedsplan.plans.models import Plan
from tests import factories

LISTS: list[list[Any]] = [
    ['a"b', "c\\d", '\\"', "", "NULL", "null", None, "{x}", "a,b", "a b", "æøå", "\u2003x"],
    [Jsonb({"value": ["None", "20.00"], "note": 'he said "no" \\ twice'}), None],
    [[1, 2], [3, None]],
    [['x"y', "z"], ["", "\\"]],
    [Decimal("1.5"), None, Decimal("-2")],
    [],
]


@pytest.mark.parametrize("values", LISTS)
def test_the_same_bytes_as_psycopgs_dumper(values: list[Any]) -> None:
    def dump(cls: type[PsycopgListDumper]) -> bytes:
        dumper = cls(list, adapt.Transformer()).upgrade(values, PyFormat.TEXT)
        return bytes(dumper.dump(values) or b"")

    assert dump(ListDumper) == dump(PsycopgListDumper)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection's")
def test_every_postgresql_connection_uses_it(db: None) -> None:
    connection.ensure_connection()
    adapters = connection.connection.adapters
    assert adapters.get_dumper(list, PyFormat.TEXT) is ListDumper
    assert adapters.get_dumper(list, PyFormat.AUTO) is ListDumper


def test_a_bulk_insert_reads_back_what_it_wrote(plan: Plan) -> None:
    """Quotes and backslashes in a text column and in a JSON column, through UNNEST's
    arrays on PostgreSQL."""
    measure = factories.MeasureFactory(plan=plan)
    notes = ['"citat"', "c:\\sti\\fil", 'begge \\" dele', ""]
    written = Observation.objects.bulk_create(
        [
            Observation(measure=measure, year=2019 + n, value=Decimal(n), source_note=note)
            for n, note in enumerate(notes)
        ]
    )
    changes = [{"source_note": ["None", note]} for note in notes]
    kind = ContentType.objects.get_for_model(Observation)
    entries = AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=kind,
                object_pk=str(o.pk),
                object_repr=str(o),
                action=0,
                changes=c,
                plan=plan,
            )
            for o, c in zip(written, changes, strict=True)
        ]
    )
    stored = Observation.objects.filter(pk__in=[o.pk for o in written]).order_by("year")
    assert [o.source_note for o in stored] == notes
    read = AuditEntry.objects.in_bulk([e.pk for e in entries])
    assert [read[e.pk].changes for e in entries] == changes
