"""An area's list status for one list year, in words (the list page's sentences).

The engine (``lists.engine``) answers with codes and numbers (``AreaYearResult``); this module
words them through gettext: the categories' names, the statute's word for each operator, each
criterion's value against its threshold with met / not met / cannot be decided (and why), the
distance to each threshold in the area's own terms (residents where the engine knows the
numerator and denominator, else percentage points), and what keeps the area on the list.

Shares and thresholds are percentages (the list criteria's unit), ``beboere`` a count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from helhedsplan.lib.numbers import MISSING, format_number, language
from helhedsplan.lists.engine.types import (
    FOREBYGGELSE,
    GHETTO,
    HAARDT_GHETTO,
    OMDANNELSE,
    PARALLELSAMFUND,
    UDSAT,
    AreaYearResult,
    CategoryResult,
    Condition,
    Distance,
    Operator,
)
from helhedsplan.measurements.catalogue import (
    BASIC_SCHOOL,
    CONVICTED,
    INCOME,
    NON_WESTERN,
    OUTSIDE_WORK,
    RESIDENTS,
)

CATEGORY_NAMES = {
    UDSAT: gettext_lazy("udsat boligområde"),
    GHETTO: gettext_lazy("ghettoområde"),
    HAARDT_GHETTO: gettext_lazy("hårdt ghettoområde"),
    PARALLELSAMFUND: gettext_lazy("parallelsamfund"),
    OMDANNELSE: gettext_lazy("omdannelsesområde"),
    FOREBYGGELSE: gettext_lazy("forebyggelsesområde"),
}

# The criteria as the page's rows name them.
CRITERION_NAMES = {
    RESIDENTS: gettext_lazy("Beboere"),
    NON_WESTERN: gettext_lazy("Indvandrere og efterkommere fra ikke-vestlige lande"),
    OUTSIDE_WORK: gettext_lazy("18-64-årige uden for arbejde eller uddannelse"),
    CONVICTED: gettext_lazy("Dømte for straffelov, våbenlov eller lov om euforiserende stoffer"),
    BASIC_SCHOOL: gettext_lazy("30-59-årige med kun grundskoleuddannelse"),
    INCOME: gettext_lazy("Bruttoindkomst i procent af regionens gennemsnit"),
}

# The short names used inside a sentence ("... mangler for dømte").
CRITERION_SHORT = {
    RESIDENTS: gettext_lazy("beboere"),
    NON_WESTERN: gettext_lazy("ikke-vestlige indvandrere og efterkommere"),
    OUTSIDE_WORK: gettext_lazy("uden for arbejde eller uddannelse"),
    CONVICTED: gettext_lazy("dømte"),
    BASIC_SCHOOL: gettext_lazy("kun grundskole"),
    INCOME: gettext_lazy("indkomst"),
}

# The national figures a threshold is computed from (``ListThreshold.key``).
THRESHOLD_KEY_NAMES = {
    "doemte_landsgennemsnit_pct": gettext_lazy("landsgennemsnittet for dømte"),
}

# The statute's words for the operators.
OPERATOR_WORDS = {
    Operator.GT: gettext_lazy("overstiger"),
    Operator.GE: gettext_lazy("mindst"),
    Operator.LT: gettext_lazy("under"),
}

# Symbols beside the words (never colour alone, WCAG 1.4.1).
MET_SYMBOL = "✓"
NOT_MET_SYMBOL = "✗"
UNKNOWN_SYMBOL = "?"


def category_name(code: str) -> str:
    return str(CATEGORY_NAMES.get(code, code))


def criterion_name(code: str) -> str:
    return str(CRITERION_NAMES.get(code, code))


def operator_word(operator: Operator | str) -> str:
    return str(OPERATOR_WORDS.get(Operator(operator), operator))


def status_word(met: bool | None) -> str:
    if met is None:
        return _("kan ikke afgøres")
    return _("opfyldt") if met else _("ikke opfyldt")


def status_symbol(met: bool | None) -> str:
    if met is None:
        return UNKNOWN_SYMBOL
    return MET_SYMBOL if met else NOT_MET_SYMBOL


def member_word(member: bool | None) -> str:
    if member is None:
        return _("ukendt")
    return _("ja") if member else _("nej")


def _is_share(code: str) -> bool:
    return code != RESIDENTS


def quantity(code: str, value: Decimal | None) -> str:
    """A criterion's value or threshold: ``41,2 %``, ``1,98 %``, ``1.000`` (at most four
    decimals, trailing zeros dropped); a dash for none."""
    if value is None:
        return MISSING
    lang = language()
    if not _is_share(code):
        return format_number(value, max_decimals=0, lang=lang)
    # Up to the four decimals a value or a computed threshold (3 × 0,6633 % = 1,9899 %) is
    # stored with: a rounded threshold would misstate a boundary case.
    shown = format_number(value, max_decimals=4, lang=lang)
    return f"{shown}\u00a0%" if lang == "da" else f"{shown}%"


def points(value: Decimal) -> str:
    return format_number(abs(value), max_decimals=2, lang=language())


def missing_text(missing: str, year: int) -> str:
    """Why something cannot be decided, from the engine's code: ``threshold:<key>``,
    ``value:<code>``, ``history:<year>``, ``rule_set``."""
    kind, _sep, what = missing.partition(":")
    if kind == "threshold":
        name = THRESHOLD_KEY_NAMES.get(what)
        if name is not None:
            return _("%(figure)s mangler for listeåret %(year)s") % {"figure": name, "year": year}
        return _("landstallet «%(key)s» mangler for listeåret %(year)s") % {
            "key": what,
            "year": year,
        }
    if kind == "value":
        return _("værdien for %(criterion)s mangler for listeåret %(year)s") % {
            "criterion": CRITERION_SHORT.get(what, what),
            "year": year,
        }
    if kind == "history":
        return _("områdets listestatus for %(year)s kendes ikke") % {"year": what}
    if kind == "rule_set":
        return _("der er ingen regler for listeåret %(year)s") % {"year": year}
    return missing


def condition_status(condition: Condition, year: int) -> str:
    """``opfyldt``, ``ikke opfyldt`` or ``kan ikke afgøres: <what is missing>``."""
    if condition.met is not None:
        return status_word(condition.met)
    if condition.missing:
        return _("kan ikke afgøres: %(why)s") % {"why": missing_text(condition.missing, year)}
    return status_word(None)


def threshold_text(condition: Condition) -> str:
    """The threshold with the statute's word: ``overstiger 40 %``, ``mindst 1,98 %``."""
    return f"{operator_word(condition.operator)} {quantity(condition.code, condition.threshold)}"


_BASIS = re.compile(
    r"^(?P<factor>[\d,.]+) × (?P<key>[a-z0-9_]+)(?: \((?P<figure>[-\d,.]+)(?:\s?%)?\))?$"
)


def basis_text(condition: Condition) -> str:
    """How a threshold is computed from a national figure: ``3 × landsgennemsnittet for
    dømte (0,66 %)``; "" for a fixed threshold. The engine writes ``3 × <key> (0,66 %)``."""
    match = _BASIS.match(condition.basis or "")
    if match is None:
        return condition.basis or ""
    key = match["key"]
    name = str(THRESHOLD_KEY_NAMES.get(key, key))
    lang = language()
    factor = format_number(_engine_number(match["factor"]), max_decimals=4, lang=lang)
    text = f"{factor} × {name}"
    if match["figure"]:
        # The engine writes its numbers the Danish way; the page writes them in its language.
        figure = format_number(_engine_number(match["figure"]), max_decimals=4, lang=lang)
        if key.endswith("_pct"):
            figure = f"{figure}\u00a0%" if lang == "da" else f"{figure}%"
        text += f" ({figure})"
    return text


def _engine_number(text: str) -> Decimal:
    """A number as the engine's ``basis`` writes it (``0,66``, ``1.000,5``)."""
    return Decimal(text.replace(".", "").replace(",", "."))


def condition_sentence(condition: Condition, year: int) -> str:
    """``18-64-årige uden for arbejde eller uddannelse: 41,2 % (grænse: overstiger 40 %):
    opfyldt``."""
    return _("%(criterion)s: %(value)s (grænse: %(threshold)s): %(status)s") % {
        "criterion": criterion_name(condition.code),
        "value": quantity(condition.code, condition.value),
        "threshold": threshold_text(condition),
        "status": condition_status(condition, year),
    }


def _people_sentence(code: str, count: int, fewer: bool) -> str:
    """``12 beboere færre uden for arbejde eller uddannelse ville bringe andelen %(target)s``
    (the target still to be filled in), in the plural the count needs."""
    if code == OUTSIDE_WORK:
        if fewer:
            return ngettext(
                "%(count)s beboer færre uden for arbejde eller uddannelse ville bringe andelen "
                "%(target)s",
                "%(count)s beboere færre uden for arbejde eller uddannelse ville bringe andelen "
                "%(target)s",
                count,
            )
        return ngettext(
            "%(count)s beboer flere uden for arbejde eller uddannelse ville bringe andelen "
            "%(target)s",
            "%(count)s beboere flere uden for arbejde eller uddannelse ville bringe andelen "
            "%(target)s",
            count,
        )
    if code == CONVICTED:
        if fewer:
            return ngettext(
                "%(count)s dømt færre ville bringe andelen %(target)s",
                "%(count)s dømte færre ville bringe andelen %(target)s",
                count,
            )
        return ngettext(
            "%(count)s dømt flere ville bringe andelen %(target)s",
            "%(count)s dømte flere ville bringe andelen %(target)s",
            count,
        )
    if code == BASIC_SCHOOL:
        if fewer:
            return ngettext(
                "%(count)s beboer færre med kun grundskoleuddannelse ville bringe andelen "
                "%(target)s",
                "%(count)s beboere færre med kun grundskoleuddannelse ville bringe andelen "
                "%(target)s",
                count,
            )
        return ngettext(
            "%(count)s beboer flere med kun grundskoleuddannelse ville bringe andelen %(target)s",
            "%(count)s beboere flere med kun grundskoleuddannelse ville bringe andelen %(target)s",
            count,
        )
    if code == NON_WESTERN:
        if fewer:
            return ngettext(
                "%(count)s indvandrer eller efterkommer færre fra ikke-vestlige lande ville "
                "bringe andelen %(target)s",
                "%(count)s indvandrere og efterkommere færre fra ikke-vestlige lande ville "
                "bringe andelen %(target)s",
                count,
            )
        return ngettext(
            "%(count)s indvandrer eller efterkommer flere fra ikke-vestlige lande ville "
            "bringe andelen %(target)s",
            "%(count)s indvandrere og efterkommere flere fra ikke-vestlige lande ville "
            "bringe andelen %(target)s",
            count,
        )
    if fewer:
        return ngettext(
            "%(count)s beboer færre ville bringe andelen %(target)s",
            "%(count)s beboere færre ville bringe andelen %(target)s",
            count,
        )
    return ngettext(
        "%(count)s beboer flere ville bringe andelen %(target)s",
        "%(count)s beboere flere ville bringe andelen %(target)s",
        count,
    )


def falls(distance: Distance) -> bool:
    """Whether the value must fall to flip the condition: a met "overstiger" or "mindst", a
    not-met "under" (from the operator, not the sign: a value exactly at the threshold has
    0 points to go)."""
    return distance.met != (distance.operator == Operator.LT)


def _target(distance: Distance) -> str:
    """Where the change brings the share: it flips the condition."""
    threshold = quantity(distance.code, distance.threshold)
    if falls(distance):
        # GT is met above the threshold: at it, it is no longer met. GE and a not-met LT
        # need a value under it.
        if distance.operator == Operator.GT:
            return _("ned på %(threshold)s") % {"threshold": threshold}
        return _("under %(threshold)s") % {"threshold": threshold}
    # Rising: a not-met GT needs a value over it; GE and a met LT flip at it.
    if distance.operator == Operator.GT:
        return _("over %(threshold)s") % {"threshold": threshold}
    return _("op på %(threshold)s") % {"threshold": threshold}


def distance_sentence(distance: Distance) -> str:
    """How far the area's value is from flipping one condition, in its own terms.

    ``12 beboere færre uden for ...`` where the engine gives residents (``people``), else the
    percentage points; the income criterion as the share of the region's average.
    """
    threshold = quantity(distance.code, distance.threshold)
    down = falls(distance)
    if distance.code == INCOME:
        if down:
            return _(
                "indkomsten skal falde %(points)s procentpoint til under %(threshold)s af regionens"
            ) % {"points": points(distance.points), "threshold": threshold}
        return _("indkomsten skal stige %(points)s procentpoint til %(threshold)s af regionens") % {
            "points": points(distance.points),
            "threshold": threshold,
        }
    if distance.code == RESIDENTS:
        count = abs(distance.people if distance.people is not None else int(distance.points))
        if down:
            return ngettext(
                "%(count)s beboer færre ville bringe området %(target)s",
                "%(count)s beboere færre ville bringe området %(target)s",
                count,
            ) % {"count": format_number(count, lang=language()), "target": _target(distance)}
        return ngettext(
            "%(count)s beboer flere ville bringe området %(target)s",
            "%(count)s beboere flere ville bringe området %(target)s",
            count,
        ) % {"count": format_number(count, lang=language()), "target": _target(distance)}
    if distance.people is not None:
        count = abs(distance.people)
        return _people_sentence(distance.code, count, down) % {
            "count": format_number(count, lang=language()),
            "target": _target(distance),
        }
    words = {"points": points(distance.points), "target": _target(distance)}
    if down:
        return _("andelen skal falde %(points)s procentpoint %(target)s") % words
    return _("andelen skal stige %(points)s procentpoint %(target)s") % words


def keeps_on_list_sentence(result: AreaYearResult) -> str:
    """What keeps the area on the list: the smallest set of criteria whose change takes it
    off every list it is on. Empty when it is on no list."""
    if result.on_list is False:
        return ""
    codes = result.keeps_on_list
    if codes is None:
        if result.on_list:
            return _("Det kan ikke afgøres, hvad der holder området på listen.")
        return ""
    names = [str(CRITERION_SHORT.get(code, code)) for code in codes]
    if len(codes) == 1:
        return _("Området forlader listen, hvis dette ændres: %(criteria)s.") % {
            "criteria": names[0]
        }
    return _("Området forlader listen, hvis alle disse ændres: %(criteria)s.") % {
        "criteria": join_and(names)
    }


def join_and(names: Iterable[str]) -> str:
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s og %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def categories_sentence(result: AreaYearResult) -> str:
    """``Udsat boligområde og ghettoområde``, ``På ingen liste``, or what cannot be told."""
    members = [category_name(c) for c in result.member_of]
    unknown = [category_name(c) for c in result.unknown]
    if result.rule_set is None:
        return _("Der er ingen regler for listeåret %(year)s.") % {"year": result.year}
    if members and unknown:
        return _("%(members)s; ukendt: %(unknown)s") % {
            "members": capfirst(join_and(members)),
            "unknown": join_and(unknown),
        }
    if members:
        return capfirst(join_and(members))
    if unknown:
        return _("Ukendt: %(unknown)s") % {"unknown": join_and(unknown)}
    return _("På ingen liste")


@dataclass(frozen=True)
class ConditionRow:
    """One row of the page's criteria table."""

    code: str
    name: str
    value: str
    threshold: str
    basis: str
    met: bool | None
    symbol: str
    status: str


@dataclass(frozen=True)
class CategoryView:
    code: str
    name: str
    member: bool | None
    member_word: str
    symbol: str
    rule: str  # "2 af 4 skal være opfyldt" or ""
    rows: list[ConditionRow]
    missing: list[str]
    history: str  # the earlier list years a history category depends on, or ""


def category_view(category: CategoryResult, year: int) -> CategoryView:
    rows = [
        ConditionRow(
            code=c.code,
            name=criterion_name(c.code),
            value=quantity(c.code, c.value),
            threshold=threshold_text(c),
            basis=basis_text(c),
            met=c.met,
            symbol=status_symbol(c.met),
            status=condition_status(c, year),
        )
        for c in category.conditions
    ]
    rule = ""
    if category.needed:
        rule = _("%(needed)s af %(total)s skal være opfyldt (opfyldt: %(met)s)") % {
            "needed": category.needed,
            "total": category.counted or len(category.conditions),
            "met": category.met_count,
        }
    requires = [category_name(c) for c in category.requires]
    if requires:
        required = _("kræver: %(categories)s") % {"categories": join_and(requires)}
        rule = f"{rule}; {required}" if rule else required
    history = ""
    if category.history:
        history = _("Tidligere listeår: %(years)s") % {
            "years": " · ".join(
                f"{year}: {member_word(member)}" for year, member in category.history
            )
        }
    return CategoryView(
        code=category.code,
        name=category_name(category.code),
        member=category.member,
        member_word=member_word(category.member),
        symbol=status_symbol(category.member),
        rule=rule,
        rows=rows,
        # What is missing matters only where it leaves the membership unknown.
        missing=[missing_text(m, year) for m in category.missing]
        if category.member is None
        else [],
        history=history,
    )


@dataclass(frozen=True)
class DistanceRow:
    code: str
    name: str
    category: str
    met: bool
    sentence: str


@dataclass(frozen=True)
class AreaYearView:
    """Everything the page shows for one area and list year, worded."""

    year: int
    rule_set: str | None
    on_list: bool | None
    summary: str
    residents_ok: bool | None
    residents: str
    categories: list[CategoryView]
    distances: list[DistanceRow]
    keeps_on_list: str
    missing: list[str]


def residents_text(result: AreaYearResult) -> str:
    if result.residents_ok is None:
        return _("Antallet af beboere mangler: kravet om mindst 1.000 beboere kan ikke afgøres.")
    if result.residents_ok:
        return _("Området har mindst 1.000 beboere.")
    return _("Området har under 1.000 beboere og kan ikke komme på listen.")


def area_year_view(result: AreaYearResult) -> AreaYearView:
    distances = [
        DistanceRow(
            code=d.code,
            name=criterion_name(d.code),
            category=category_name(d.category),
            met=d.met,
            sentence=distance_sentence(d),
        )
        for code in result.distances
        for d in result.distances[code]
    ]
    categories = [category_view(c, result.year) for c in result.categories.values()]
    # What is missing: every undecided condition's value or national figure, and what
    # leaves a category unknown (a history year of a category the area cannot be in this
    # year decides nothing, and is left out).
    codes = [c.missing for c in result.criteria.values() if c.met is None and c.missing]
    for category in result.categories.values():
        if category.member is None:
            codes.extend(category.missing)
    missing: list[str] = []
    for code in codes:
        text = missing_text(code, result.year)
        if text not in missing:
            missing.append(text)
    return AreaYearView(
        year=result.year,
        rule_set=result.rule_set,
        on_list=result.on_list,
        summary=categories_sentence(result),
        residents_ok=result.residents_ok,
        residents=residents_text(result),
        categories=categories,
        distances=distances,
        keeps_on_list=keeps_on_list_sentence(result),
        missing=missing,
    )
