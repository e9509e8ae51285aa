"""Optimistic locking for edit forms: the version an edit was opened from travels with it.

Every form that edits an existing object carries a hidden ``version`` field: a token made
from the object's persisted field values when the page was opened (a short digest per
field, so no migration is needed on any model). The service that writes locks the row
(``select_for_update``) inside its transaction, recomputes the token from the database and
compares. A save against a changed object raises ``StaleEdit`` (a ``ValidationError`` with
code ``stale_edit``) whose Danish message names what changed and shows the newer values;
nothing is written. The form re-renders with the user's input, the message, and the newer
token, so saving again is a deliberate decision to overwrite.

Callers without a form (the CLI, the demo loader) pass ``version=None``: no check.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helhedsplan.lib.numbers import fmt_date, fmt_datetime, fmt_number

VERSION_FIELD = "version"
# The token of "nothing here yet": a form opened where no object existed.
NEW = "new"
_PREFIX = "v1"
_SHOWN_CHARS = 300

M = TypeVar("M", bound=models.Model)

MISSING = gettext_lazy("Formularen mangler sin version. Åbn siden igen, og gem dine ændringer dér.")


@dataclass(frozen=True)
class Part:
    """One compared value of a snapshot: a stable key, a label for people, the raw value.

    ``display`` renders the value for the refusal message; it is called only for the
    parts that changed, so making a token never queries related objects."""

    key: str
    label: str
    raw: Any
    display: Callable[[], str] | None = None

    @property
    def digest(self) -> str:
        data = f"{self.key}={_canonical(self.raw)}".encode()
        return hashlib.sha256(data).hexdigest()[:8]

    @property
    def shown(self) -> str:
        return self.display() if self.display else show(self.raw)


def _canonical(value: Any) -> str:
    """The same text for a value read from the database and the same value in memory
    (a choices member and its string, 41 and Decimal("41.0000"))."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    return repr(value)


def show(value: Any, *, quote: bool = True) -> str:
    """A value as a person reads it in the refusal message; free text in »quotes«."""
    if value is None or value == "" or value == []:
        return _("(tom)")
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, Decimal | float):
        return fmt_number(value)
    if isinstance(value, datetime):
        return fmt_datetime(value)
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(show(v, quote=quote) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(v, quote=quote)}" for k, v in value.items())
    text = str(value)
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS].rstrip() + " …"
    return f"»{text}«" if quote and isinstance(value, str) else text


def snapshot(
    obj: models.Model,
    *,
    fields: Sequence[str] | None = None,
    exclude: Iterable[str] = (),
    prefix: str = "",
    label_prefix: str = "",
) -> list[Part]:
    """The parts of ``obj`` that a version covers: by default every concrete field but the
    primary key. Foreign keys compare by id and show as their ``str``; choices show their
    label. ``prefix`` keeps keys distinct when several objects share one version, and
    ``label_prefix`` names the object in the message."""
    excluded = set(exclude)
    parts = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in excluded:
            continue
        if fields is not None and field.name not in fields:
            continue
        parts.append(
            Part(
                prefix + field.name,
                label_prefix + str(field.verbose_name),
                getattr(obj, field.attname),
                partial(_show_field, obj, field),
            )
        )
    return parts


def related_part(key: str, label: str, objs: Iterable[models.Model]) -> Part:
    """A part over a set of related objects (a meeting's attendees, a registration's
    partners): which ones, by primary key; shown by their names."""
    rows = sorted(objs, key=lambda o: o.pk)
    return Part(
        key,
        label,
        [o.pk for o in rows],
        lambda: show([getattr(o, "name", str(o)) for o in rows], quote=False),
    )


def snapshot_many(
    objs: Iterable[M], *, label: Callable[[M], str], what_rows: str = "", **kw: Any
) -> list[Part]:
    """One version over several rows edited in one form (the funding sources): which rows
    there are, and each row's fields, named by ``label(row)`` in the message."""
    rows = sorted(objs, key=lambda o: o.pk)
    names = [label(o) for o in rows]
    parts = [
        Part(
            "rows",
            what_rows or _("rækkerne"),
            [o.pk for o in rows],
            lambda: ", ".join(names),
        )
    ]
    for obj, name in zip(rows, names, strict=True):
        parts += snapshot(obj, prefix=f"{obj.pk}.", label_prefix=f"{name}: ", **kw)
    return parts


def _show_field(obj: models.Model, field: Any) -> str:
    raw = getattr(obj, field.attname)
    if raw is None or raw == "":
        return show(None)
    if isinstance(field, models.ForeignKey):
        return show(str(getattr(obj, field.name)), quote=False)
    if field.choices:
        return show(str(getattr(obj, f"get_{field.name}_display")()), quote=False)
    return show(raw)


def token(parts: Sequence[Part]) -> str:
    return ".".join([_PREFIX, *(p.digest for p in parts)])


def version_of(obj: models.Model | None, **kw: Any) -> str:
    """The token of ``obj`` as persisted (load it from the database first); NEW for None."""
    return NEW if obj is None else token(snapshot(obj, **kw))


class StaleEdit(ValidationError):
    """The object changed since the form was opened. ``current`` is its token now."""

    def __init__(self, message: str, *, current: str, changed: list[Part]) -> None:
        super().__init__(message, code="stale_edit")
        self.current = current
        self.changed = changed


def check(parts: Sequence[Part] | None, submitted: str | None, *, what: str) -> None:
    """Refuse (``StaleEdit``) when ``submitted`` is not the token of ``parts``.

    ``parts`` must be read from the row locked in the caller's transaction, or be None
    when there is no such object (its token is NEW). ``submitted`` None skips the check
    (callers without a form)."""
    if submitted is None:
        return
    if not submitted:
        raise ValidationError(MISSING, code="version_missing")
    current = NEW if parts is None else token(parts)
    if submitted == current:
        return
    if parts is None:
        raise stale(what=what, current=current, changed=[], gone=True)
    if submitted == NEW:  # opened where nothing was; meanwhile it was created
        raise stale(what=what, current=current, changed=list(parts), created=True)
    sent = submitted.split(".")[1:] if submitted.startswith(_PREFIX + ".") else []
    if len(sent) == len(parts):
        changed = [p for p, digest in zip(parts, sent, strict=True) if p.digest != digest]
    else:
        changed = list(parts)
    raise stale(what=what, current=current, changed=changed)


def stale(
    *, what: str, current: str, changed: list[Part], gone: bool = False, created: bool = False
) -> StaleEdit:
    """The refusal: ``what`` (e.g. "Observationen for Motalavej 2016") and its newer values."""
    # Something created meanwhile is shown by what it holds: its empty fields say nothing.
    shown = [p for p in changed if not created or p.raw not in (None, "", [], {})]
    changes = "; ".join(
        _("%(field)s er nu %(value)s") % {"field": p.label, "value": p.shown} for p in shown
    )
    params = {"what": what, "changes": changes}
    if gone:
        message = _("%(what)s findes ikke længere. Intet er gemt.") % params
    elif created:
        message = (
            _(
                "%(what)s er allerede registreret: %(changes)s. Intet er gemt. Dine indtastninger "
                "står stadig i formularen: se de registrerede værdier, og gem igen, hvis dine "
                "skal erstatte dem."
            )
            % params
        )
    else:
        message = (
            _(
                "%(what)s er ændret af en anden, siden du åbnede siden: %(changes)s. Intet er "
                "gemt. Dine indtastninger står stadig i formularen: se de nye værdier, og gem "
                "igen, hvis dine ændringer stadig skal gælde."
            )
            % params
        )
    return StaleEdit(message, current=current, changed=changed)


def lock(obj: M) -> M:
    """``obj``'s row, read again and locked until the end of the transaction.

    ``order_by()`` drops default orderings that join nullable relations, which
    PostgreSQL refuses with FOR UPDATE."""
    return type(obj)._default_manager.select_for_update().order_by().get(pk=obj.pk)


def lock_and_check(obj: M, submitted: str | None, *, what: str, **kw: Any) -> M:
    """Lock ``obj``'s row, refuse a stale ``submitted`` token, return the locked row."""
    locked = lock(obj)
    check(snapshot(locked, **kw), submitted, what=what)
    return locked


# --- forms ---------------------------------------------------------------------------------


def carry_version(form: forms.BaseForm, current: str) -> None:
    """Give ``form`` the hidden version field, opened at ``current``. A bound form without
    the field is refused (it was not opened from this page)."""
    form.fields[VERSION_FIELD] = forms.CharField(
        widget=forms.HiddenInput,
        initial=current,
        error_messages={"required": MISSING},
    )


def submitted_version(form: forms.BaseForm) -> str | None:
    """The version a valid form was opened from; None when the form carries none."""
    if VERSION_FIELD not in form.fields:
        return None
    return str(form.cleaned_data[VERSION_FIELD])


def show_stale(form: forms.BaseForm, exc: StaleEdit) -> None:
    """Show the refusal on the form and carry the newer version, so that saving again
    (after reading the newer values) is a deliberate overwrite."""
    form.add_error(None, exc)
    if form.is_bound:
        data = form.data.copy()  # type: ignore[attr-defined]
        data[form.add_prefix(VERSION_FIELD)] = exc.current
        form.data = data
