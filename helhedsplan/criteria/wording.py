"""The engine's results in words, in the active language (gettext; Danish is the source).

``criteria.engine`` is pure and returns codes with values (``Detail``, ``Status``, ``Target``,
``TargetError``); this module words them, as the organisation pages word
``organisation.rules``' breaches: ``describe`` states a target, ``detail_text`` explains an
evaluation, ``status_label`` names a status and ``target_error_text`` says why a target does
not hang together. Numbers are written by ``lib.numbers`` in the same language. Each function
takes an optional ``lang`` ("da"/"en") to word in another language than the active one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from helhedsplan.criteria.engine import (
    ChangeUnit,
    Detail,
    Direction,
    Op,
    Status,
    Target,
    TargetError,
    TargetKind,
)
from helhedsplan.lib.numbers import format_number, language

__all__ = ["describe", "detail_text", "op_word", "status_label", "target_error_text"]


def _in(lang: str | None, word: Callable[[], str]) -> str:
    if lang is None:
        return word()
    with translation.override(lang):
        return word()


def status_label(status: Status, lang: str | None = None) -> str:
    return _in(lang, lambda: _status_words()[Status(status)])


def op_word(op: Op, lang: str | None = None) -> str:
    """ "under", "højst", "over", "mindst" (also the op's choice labels on the target form)."""
    return _in(lang, lambda: _op_words()[Op(op)])


def describe(target: Target, lang: str | None = None) -> str:
    """The sentence that states ``target`` to users."""
    target.validate()
    return _in(lang, lambda: _describe(target))


def detail_text(detail: Detail | None, lang: str | None = None) -> str:
    """Why an evaluation came out as it did, in one short sentence ("" without a detail)."""
    if detail is None:
        return ""
    return _in(lang, lambda: _detail(detail))


# --- words ---------------------------------------------------------------------------------


# The word tables by language, built once: a scorecard words a status and an operator for
# every cell, and building a table is a gettext per word.
_TABLES: dict[tuple[str, str], dict[Any, str]] = {}


def _table(name: str, build: Callable[[], dict[Any, str]]) -> dict[Any, str]:
    key = (name, translation.get_language() or "")
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES[key] = build()
    return table


def _status_words() -> dict[Status, str]:
    return _table("status", _build_status_words)


def _op_words() -> dict[Op, str]:
    return _table("op", _build_op_words)


def _build_status_words() -> dict[Any, str]:
    return {
        Status.MET: _("Opfyldt"),
        Status.NOT_MET: _("Ikke opfyldt"),
        Status.PARTLY: _("Delvist opfyldt"),
        Status.ON_TRACK: _("På vej"),
        Status.BEHIND: _("Bagud"),
        Status.PENDING: _("Afventer nulpunkt"),
        Status.NO_DATA: _("Mangler data"),
        Status.NOT_DUE: _("Ikke aktuel"),
    }


def _build_op_words() -> dict[Any, str]:
    return {Op.LT: _("under"), Op.LE: _("højst"), Op.GT: _("over"), Op.GE: _("mindst")}


def _num(value: Decimal, unit: str | None = None) -> str:
    text = format_number(value, trim=True, lang=language())
    return f"{text} {unit}" if unit else text


def _required(value: Decimal) -> str:
    """A requirement as shown: at most 2 decimals; "ca." marks that rounding hid digits."""
    text = format_number(value, max_decimals=2, lang=language())
    exact = format_number(value, max_decimals=2) == format_number(value, trim=True)
    return text if exact else _("ca. %(value)s") % {"value": text}


def _in_year(value: str, year: object) -> str:
    return _("%(value)s i %(year)s") % {"value": value, "year": year}


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _change(percent: Decimal, unit: ChangeUnit) -> str:
    word = "%" if unit is ChangeUnit.PERCENT else _("procentpoint")
    return _num(percent, word)


# --- targets -------------------------------------------------------------------------------


def _describe(t: Target) -> str:
    if t.kind is TargetKind.PENDING_BASELINE:
        if t.resolved is not None:
            return _("%(sentence)s (fastlagt på baggrund af nulpunktet for %(year)s)") % {
                "sentence": _describe(t.resolved), "year": t.baseline_year}  # fmt: skip
        return _("Målet fastlægges på baggrund af nulpunktet for %(year)s") % {
            "year": t.baseline_year}  # fmt: skip
    single = t.first_year == t.last_year
    span = _years(t.first_year, t.last_year)
    years = (_("i %(years)s") if single else _("hvert år i %(years)s")) % {"years": span}
    unit = t.unit_label
    lower = t.direction is Direction.LOWER_IS_BETTER
    if t.baseline_value is not None:
        base = _num(t.baseline_value, unit)
        baseline = _in_year(base, t.baseline_year)
    else:
        base, baseline = _("nulpunktet"), str(t.baseline_year)
    op = op_word(t.op) if t.op is not None else ""
    value = _num(t.value, unit) if t.value is not None else ""
    match t.kind:
        case TargetKind.THRESHOLD:
            return _("Værdien skal være %(op)s %(value)s %(years)s") % {
                "op": op, "value": value, "years": years}  # fmt: skip
        case TargetKind.PATH:
            text = (
                _("Værdien skal falde fra %(base)s i %(base_year)s til %(op)s %(value)s i "
                  "%(last_year)s") if lower else
                _("Værdien skal stige fra %(base)s i %(base_year)s til %(op)s %(value)s i "
                  "%(last_year)s")
            )  # fmt: skip
            return text % {"base": base, "base_year": t.baseline_year, "op": op,
                           "value": value, "last_year": t.last_year}  # fmt: skip
        case TargetKind.YEAR_OVER_YEAR | TargetKind.COMPOUNDED:
            assert t.percent is not None
            sentences = {
                (TargetKind.YEAR_OVER_YEAR, True): _(
                    "Værdien skal hvert år være mindst %(change)s lavere end året før, første "
                    "år i forhold til nulpunktet (%(baseline)s)"),
                (TargetKind.YEAR_OVER_YEAR, False): _(
                    "Værdien skal hvert år være mindst %(change)s højere end året før, første "
                    "år i forhold til nulpunktet (%(baseline)s)"),
                (TargetKind.COMPOUNDED, True): _(
                    "Værdien skal falde med mindst %(change)s om året%(compound)s fra "
                    "nulpunktet (%(baseline)s)"),
                (TargetKind.COMPOUNDED, False): _(
                    "Værdien skal stige med mindst %(change)s om året%(compound)s fra "
                    "nulpunktet (%(baseline)s)"),
            }  # fmt: skip
            compound = t.change_unit is ChangeUnit.PERCENT
            return sentences[(t.kind, lower)] % {
                "change": _change(t.percent, t.change_unit), "baseline": baseline,
                "compound": f" ({_('renters rente')})" if compound else "",
            }  # fmt: skip
        case TargetKind.REFERENCE:
            if t.reference_year is None:
                ref_value = f", {_('samme år')}"
            elif t.value is None:
                ref_value = f", {t.reference_year}"
            else:
                ref_value = f": {_in_year(value, t.reference_year)}"
            assert t.op is not None
            text = {
                Op.LT: _("Værdien skal ligge under referencen (%(label)s%(ref_value)s)"),
                Op.LE: _("Værdien skal ligge på eller under referencen (%(label)s%(ref_value)s)"),
                Op.GT: _("Værdien skal ligge over referencen (%(label)s%(ref_value)s)"),
                Op.GE: _("Værdien skal ligge på eller over referencen (%(label)s%(ref_value)s)"),
            }[t.op]
            return text % {"label": t.reference_label, "ref_value": ref_value}
        case TargetKind.DIRECTION:
            text = (
                _("Værdien skal være lavere end nulpunktet (%(baseline)s)") if lower else
                _("Værdien skal være højere end nulpunktet (%(baseline)s)")
            )  # fmt: skip
            return text % {"baseline": baseline}
        case _:  # QUALITATIVE
            return _(
                "Målopfyldelsen vurderes kvalitativt (opfyldt, delvist opfyldt eller ikke "
                "opfyldt) %(years)s"
            ) % {"years": years}


# --- evaluations ---------------------------------------------------------------------------


def _detail(d: Detail) -> str:
    v: Mapping[str, Any] = d.values
    match d.code:
        case "judged":
            text = (_("%(value)s er %(op)s %(required)s") if v["holds"] else
                    _("%(value)s er ikke %(op)s %(required)s"))  # fmt: skip
            text %= {"value": _num(v["value"]), "op": op_word(v["op"]),
                     "required": _required(v["required"])}  # fmt: skip
            return f"{text} ({_detail(v['context'])})" if v["context"] else text
        case "reference":
            return f"{v['label']} {v['year']}"
        case "end_target":
            return _("slutmålet")
        case "path":
            return _("linjen fra %(base)s til %(end)s") % {
                "base": _in_year(_num(v["base"]), v["base_year"]),
                "end": _in_year(_num(v["end"]), v["last_year"]),
            }  # fmt: skip
        case "change":
            lower = v["direction"] is Direction.LOWER_IS_BETTER
            if v["steps"] == 1:
                text = _("%(change)s under %(base)s") if lower else _("%(change)s over %(base)s")
            else:
                text = (_("%(change)s om året i %(steps)s år under %(base)s") if lower else
                        _("%(change)s om året i %(steps)s år over %(base)s"))  # fmt: skip
            base = _in_year(_num(v["base"]), v["year"])
            change = _change(v["percent"], v["change_unit"])
            return text % {"change": change, "steps": v["steps"], "base": base}
        case "from_baseline":
            return _("nulpunktet %(base)s") % {"base": _in_year(_num(v["base"]), v["year"])}
        case "baseline_year":
            return _("%(year)s er målets basisår (nulpunkt); målet vurderes fra %(first)s") % v
        case "before_baseline":
            return (
                _(
                    "%(year)s ligger før målets basisår %(baseline_year)s; målet vurderes fra "
                    "%(first)s"
                )
                % v
            )
        case "outside_period":
            return _("%(year)s ligger uden for målets periode (%(years)s)") % {
                "year": v["year"], "years": _years(v["first_year"], v["last_year"])}  # fmt: skip
        case "no_rating":
            return _("Der er ikke registreret en vurdering for %(year)s") % v
        case "rated":
            return _("Vurderet som %(status)s") % {"status": status_label(v["status"]).lower()}
        case "pending":
            return _("Målet afventer nulpunktet for %(baseline_year)s") % v
        case "no_value":
            return _("Der mangler en godkendt værdi for %(year)s") % v
        case "no_reference":
            return _("Referenceværdien (%(label)s) for %(year)s mangler") % v
        case "no_baseline":
            return _("Nulpunktet for %(year)s mangler en godkendt værdi") % v
        case "no_previous":
            return _("Sammenligningsåret %(year)s mangler en godkendt værdi") % v
    raise ValueError(f"unknown detail code: {d.code!r}")


# --- inconsistent targets ------------------------------------------------------------------


def _field_label(field: str) -> str:
    labels = {
        "op": _("Sammenligning"), "value": _("Målværdi"), "percent": _("Ændring pr. år"),
        "baseline_year": _("Nulpunktsår"), "baseline_value": _("Nulpunkt"),
        "reference_label": _("referenceserie"), "reference_year": _("Referenceår"),
        "direction": _("Retning"), "resolved": _("endeligt mål"),
    }  # fmt: skip
    return labels.get(field, field)


def _kind_label(kind: TargetKind) -> str:
    from helhedsplan.criteria.models import Target as StoredTarget

    choices = dict(StoredTarget._meta.get_field("kind").choices or [])
    return str(choices.get(TargetKind(kind).value, kind))


def target_error_text(error: TargetError, lang: str | None = None) -> str:
    """Why a target is inconsistent, as a sentence for the person who entered it."""
    return _in(lang, lambda: _target_error(error))


def _target_error(error: TargetError) -> str:
    v = error.values
    kind = _kind_label(v["kind"])
    match error.code:
        case "ends_before_start":
            return _("Målets første år (%(first_year)s) ligger efter dets sidste år "
                     "(%(last_year)s).") % v  # fmt: skip
        case "needs":
            return _("Et mål af typen »%(kind)s« skal have »%(field)s« udfyldt.") % {
                "kind": kind, "field": _field_label(v["field"])}  # fmt: skip
        case "unused":
            return _("Et mål af typen »%(kind)s« bruger ikke »%(field)s«; lad feltet stå "
                     "tomt.") % {"kind": kind, "field": _field_label(v["field"])}  # fmt: skip
        case "not_finite":
            return _("»%(field)s« skal være et endeligt tal.") % {
                "field": _field_label(v["field"])}  # fmt: skip
        case "negative_percent":
            return _("Ændringen pr. år må ikke være negativ; retningen giver fortegnet.")
        case "falls_over_100":
            return _("Et mål kan ikke falde med mere end 100 % om året.")
        case "ends_by_baseline":
            return _("Målet skal slutte efter sit nulpunktsår %(baseline_year)s.") % v
        case "op_contradicts_direction":
            direction = (_("Lavere er bedre") if v["direction"] is Direction.LOWER_IS_BETTER
                         else _("Højere er bedre"))  # fmt: skip
            return _("Sammenligningen »%(op)s« strider mod målingens retning (%(direction)s).") % {
                "op": op_word(v["op"]), "direction": direction.lower()}  # fmt: skip
        case "reference_needs_year":
            return _("En fast referenceværdi skal have et referenceår.")
        case "bad_resolution":
            return _("Et mål, der afventer nulpunkt, kan ikke fastlægges som »%(kind)s«.") % {
                "kind": _kind_label(v["resolved_kind"])}  # fmt: skip
    return str(error)
