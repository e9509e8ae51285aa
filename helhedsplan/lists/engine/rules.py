"""The rule sets of the government's lists as versioned data: reading and validating them.

Pure Python, no Django. A rule set is a JSON file (``lists/rules/*.json``, and a deployer's
extra directory) covering the list years ``from_year``..``to_year`` (``to_year`` null: open
ended). Format 1::

    {"format": 1, "id": "2018-2020", "from_year": 2018, "to_year": 2020, "source": "...",
     "min_residents": 1000,
     "categories": [
        {"code": "udsat", "name": "...", "source": "...", "needed": 2,
         "criteria": [{"code": "uden_arbejde_uddannelse_pct", "operator": ">",
                       "threshold": 40, "source": "..."},
                      {"code": "doemte_pct", "operator": ">=", "factor": 3,
                       "national": "doemte_landsgennemsnit_pct", "source": "..."}],
         "requires": [], "excludes": [],
         "history": {"years": 5, "counts": ["ghetto"]}}]}

``needed`` is k of the *counted* criteria (0: all of them); a criterion with
``"counted": false`` must always be met (forebyggelse's non-western share). ``requires``: the
categories of the same year the area must also be in; ``excludes``: those it must not be in.
``history``: the category also needs one of ``counts`` in the list year and in each of the
``years - 1`` list years before it (earlier years judged by their own rule set).

Errors are ``RuleSetError`` with the file, a code and its parameters; ``str()`` gives the
Danish message (``lists.wording`` words it through gettext on the Django side).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from helhedsplan.lists.engine.types import CATEGORY_CODES, Operator
from helhedsplan.measurements.catalogue import LIST_CODES, RESIDENTS

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
FORMAT = 1

# The Danish messages (the Django side words them through gettext in lists.wording).
MESSAGES: dict[str, str] = {
    "json": "Filen er ikke gyldig JSON: {detail}.",
    "format": "Ukendt format {value} (kun format 1 kendes).",
    "field": "Feltet »{field}« mangler eller er ugyldigt.",
    "years": "Første listeår {from_year} ligger efter sidste listeår {to_year}.",
    "overlap": "Regelsættene {first} og {second} gælder begge for listeåret {year}.",
    "duplicate_id": "To regelsæt har id'et {id}.",
    "category": "Ukendt kategori »{value}«.",
    "duplicate_category": "Kategorien »{value}« står to gange.",
    "operator": "Ukendt operator »{value}« ved kriteriet »{criterion}« (kendte: >, >=, <).",
    "criterion": "Ukendt kriterium »{value}« i kategorien »{category}«.",
    "threshold": "Kriteriet »{criterion}« i kategorien »{category}« har hverken en gyldig "
    "tærskel eller en faktor gange et landstal.",
    "needed": "Kategorien »{category}« kræver {needed} kriterier, men har kun {count}.",
    "reference": "Kategorien »{category}« henviser til den ukendte kategori »{value}«.",
    "history": "Historikken i kategorien »{category}« skal gælde mindst 2 år og nævne "
    "mindst én kategori.",
}


class RuleSetError(ValueError):
    def __init__(self, file: str, code: str, **params: Any) -> None:
        self.file = file
        self.code = code
        self.params = params
        super().__init__(f"{file}: {MESSAGES[code].format(**params)}")


@dataclass(frozen=True)
class Criterion:
    code: str
    operator: Operator
    threshold: Decimal | None = None  # a fixed threshold, or
    factor: Decimal | None = None  # factor × the national figure ``national``
    national: str = ""
    counted: bool = True  # counts toward "k of n"; False: must always be met
    source: str = ""

    def threshold_for(self, national: Mapping[str, Decimal]) -> Decimal | None:
        if self.threshold is not None:
            return self.threshold
        figure = national.get(self.national)
        if figure is None or self.factor is None:
            return None
        return self.factor * figure


@dataclass(frozen=True)
class History:
    years: int  # consecutive list years, the list year included
    counts: tuple[str, ...]  # any of these categories counts for a year


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    criteria: tuple[Criterion, ...] = ()
    needed: int = 0
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    history: History | None = None
    source: str = ""

    @property
    def counted(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.counted)

    @property
    def k(self) -> int:
        """How many counted criteria must be met."""
        return self.needed or len(self.counted)


@dataclass(frozen=True)
class RuleSet:
    id: str
    from_year: int
    to_year: int | None
    categories: tuple[Category, ...]
    min_residents: int = 1000
    source: str = ""
    note: str = ""
    file: str = ""

    def covers(self, year: int) -> bool:
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    @property
    def national_keys(self) -> tuple[str, ...]:
        """The national figures (ListThreshold keys) the rule set needs, in order."""
        keys: list[str] = []
        for category in self.categories:
            for criterion in category.criteria:
                if criterion.national and criterion.national not in keys:
                    keys.append(criterion.national)
        return tuple(keys)

    @property
    def criterion_codes(self) -> tuple[str, ...]:
        codes: list[str] = []
        for category in self.categories:
            for criterion in category.criteria:
                if criterion.code not in codes:
                    codes.append(criterion.code)
        return tuple(codes)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(value)


def parse_rule_set(data: Any, file: str = "") -> RuleSet:
    """One rule set from its decoded JSON; ``RuleSetError`` when it does not hang together."""

    def fail(code: str, **params: Any) -> RuleSetError:
        return RuleSetError(file, code, **params)

    if not isinstance(data, dict):
        raise fail("field", field="format")
    if data.get("format") != FORMAT:
        raise fail("format", value=data.get("format"))
    ident = data.get("id")
    if not isinstance(ident, str) or not ident:
        raise fail("field", field="id")
    from_year = _int(data.get("from_year"))
    if from_year is None:
        raise fail("field", field="from_year")
    to_year = data.get("to_year")
    if to_year is not None and _int(to_year) is None:
        raise fail("field", field="to_year")
    if to_year is not None and from_year > to_year:
        raise fail("years", from_year=from_year, to_year=to_year)
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise fail("field", field="source")
    min_residents = _int(data.get("min_residents", 1000))
    if min_residents is None or min_residents < 0:
        raise fail("field", field="min_residents")
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        raise fail("field", field="categories")

    categories: list[Category] = []
    for raw in raw_categories:
        if not isinstance(raw, dict):
            raise fail("field", field="categories")
        code = raw.get("code")
        if code not in CATEGORY_CODES:
            raise fail("category", value=code)
        if any(c.code == code for c in categories):
            raise fail("duplicate_category", value=code)
        criteria: list[Criterion] = []
        raw_criteria = raw.get("criteria", [])
        if not isinstance(raw_criteria, list):
            raise fail("field", field=f"{code}.criteria")
        for rc in raw_criteria:
            if not isinstance(rc, dict):
                raise fail("field", field=f"{code}.criteria")
            ccode = rc.get("code")
            if ccode not in LIST_CODES or ccode == RESIDENTS:
                raise fail("criterion", value=ccode, category=code)
            try:
                operator = Operator(str(rc.get("operator")))
            except ValueError:
                raise fail("operator", value=rc.get("operator"), criterion=ccode) from None
            threshold = _decimal(rc.get("threshold")) if "threshold" in rc else None
            factor = _decimal(rc.get("factor")) if "factor" in rc else None
            national = rc.get("national", "")
            fixed = threshold is not None and "factor" not in rc and not national
            computed = (
                "threshold" not in rc
                and factor is not None
                and isinstance(national, str)
                and bool(national)
            )
            if not (fixed or computed):
                raise fail("threshold", criterion=ccode, category=code)
            counted = rc.get("counted", True)
            if not isinstance(counted, bool):
                raise fail("field", field=f"{code}.{ccode}.counted")
            criteria.append(
                Criterion(
                    code=ccode,
                    operator=operator,
                    threshold=threshold if fixed else None,
                    factor=factor if computed else None,
                    national=national if computed else "",
                    counted=counted,
                    source=str(rc.get("source", "")),
                )
            )
        needed = _int(raw.get("needed", 0))
        if needed is None or needed < 0:
            raise fail("field", field=f"{code}.needed")
        count = sum(1 for c in criteria if c.counted)
        if needed > count:
            raise fail("needed", category=code, needed=needed, count=count)
        requires = _str_list(raw.get("requires"))
        excludes = _str_list(raw.get("excludes"))
        if requires is None:
            raise fail("field", field=f"{code}.requires")
        if excludes is None:
            raise fail("field", field=f"{code}.excludes")
        history = None
        if raw.get("history") is not None:
            rh = raw["history"]
            years = _int(rh.get("years")) if isinstance(rh, dict) else None
            counts = _str_list(rh.get("counts")) if isinstance(rh, dict) else None
            if years is None or years < 2 or not counts:
                raise fail("history", category=code)
            for value in counts:
                if value not in CATEGORY_CODES:
                    raise fail("reference", category=code, value=value)
            history = History(years=years, counts=counts)
        if not criteria and not requires and history is None:
            raise fail("field", field=f"{code}.criteria")
        categories.append(
            Category(
                code=code,
                name=str(raw.get("name", code)),
                criteria=tuple(criteria),
                needed=needed,
                requires=requires,
                excludes=excludes,
                history=history,
                source=str(raw.get("source", "")),
            )
        )
    # requires/excludes name a category defined earlier in the same rule set (evaluation
    # order); a history names any known category (earlier years have their own rule sets).
    seen: list[str] = []
    for category in categories:
        for value in (*category.requires, *category.excludes):
            if value not in seen:
                raise fail("reference", category=category.code, value=value)
        seen.append(category.code)
    return RuleSet(
        id=ident,
        from_year=from_year,
        to_year=to_year,
        categories=tuple(categories),
        min_residents=min_residents,
        source=source,
        note=str(data.get("note", "")),
        file=file,
    )


def load_rule_set(path: Path) -> RuleSet:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RuleSetError(path.name, "json", detail=str(exc)) from None
    return parse_rule_set(data, path.name)


def check_rule_sets(rule_sets: Sequence[RuleSet]) -> None:
    """No two rule sets share an id or a list year."""
    ordered = sorted(rule_sets, key=lambda r: r.from_year)
    ids: set[str] = set()
    for rule_set in ordered:
        if rule_set.id in ids:
            raise RuleSetError(rule_set.file, "duplicate_id", id=rule_set.id)
        ids.add(rule_set.id)
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if first.to_year is None or second.from_year <= first.to_year:
                year = second.from_year
                raise RuleSetError(
                    second.file, "overlap", first=first.id, second=second.id, year=year
                )


def load_rule_sets(dirs: Iterable[Path] = ()) -> tuple[RuleSet, ...]:
    """The package's rule sets plus those in ``dirs``, checked, ordered by first list year."""
    paths = sorted(RULES_DIR.glob("*.json"))
    for directory in dirs:
        paths.extend(sorted(Path(directory).glob("*.json")))
    rule_sets = [load_rule_set(p) for p in paths]
    check_rule_sets(rule_sets)
    return tuple(sorted(rule_sets, key=lambda r: r.from_year))


def rule_set_for(rule_sets: Sequence[RuleSet], year: int) -> RuleSet | None:
    return next((r for r in rule_sets if r.covers(year)), None)
