"""psycopg's text dumper of Python lists, escaping without a regular expression per quote.

On PostgreSQL Django's ``bulk_create`` sends each column as one array (``INSERT ... SELECT *
FROM UNNEST(%s::jsonb[], ...)``), and psycopg's ``ListDumper`` escapes every double quote and
backslash in every element with ``re.sub(rb'(["\\])', rb"\\\1", ...)``. On Python 3.11 a
substitution with a template is a Python call per match, some 5 µs: an audit entry's diff
(``{"value": ["None", "20.00"], ...}``) holds a hundred quotes, so the 640 entries of an
import of 640 figures spent about 40 ms in it, as long as PostgreSQL took to insert them.
Here the same bytes come out of two ``bytes.replace`` (tests/lib/test_postgres.py holds the
output to psycopg's own). Installed on every PostgreSQL connection by ``lib.apps``.
"""

from __future__ import annotations

from typing import Any

from psycopg.types.array import ListDumper as _PsycopgListDumper


class _Escape:
    """What ``ListDumper`` calls as ``_re_esc.sub(rb"\\\\\\1", element)``: a backslash before
    each double quote and backslash. Any other use (a later psycopg's) goes to psycopg's own
    expression unchanged."""

    _psycopg = _PsycopgListDumper._re_esc

    def sub(self, template: bytes, element: Any) -> bytes:
        if template != rb"\\\1":
            return bytes(self._psycopg.sub(template, element))
        return bytes(element).replace(b"\\", b"\\\\").replace(b'"', b'\\"')


class ListDumper(_PsycopgListDumper):
    """psycopg's text ``ListDumper`` with ``_Escape`` for its regular expression."""

    _re_esc = _Escape()  # type: ignore[assignment]


def install(adapters: Any) -> None:
    """Use ``ListDumper`` for lists in ``adapters`` (a psycopg connection's), as psycopg
    registers its own: for the text format and for ``%s``."""
    adapters.register_dumper(list, ListDumper)
