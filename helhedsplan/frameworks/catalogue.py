"""LBF's grant frameworks as data, read from ``data/<code>.json``. Pure Python, no Django.

A framework holds what a plan under it must have: the focus areas to choose from, the
required attachments, the bodies and their composition rules, the agreement's section
headings and the measurement duties. Every item says how far it is known: ``verified``
(read in the regulativ or the template, or the seed for 2015-18), ``unverified`` (named by
LBF's pages, not checked against the regulativ) or ``unknown`` (the framework has such an
item but its content is not public here). Nothing unknown is invented: it is marked.

The file format is versioned by ``format`` (this module reads format 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")
FORMAT = 1
DEFAULT = "2015-18"


class Known(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Item:
    """One named thing of a framework: a focus area, an attachment, a section, a duty."""

    key: str
    name: str
    known: Known = Known.VERIFIED
    source: str = ""
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BodyTemplate:
    """A body a plan under the framework has. ``per_area``: one per housing area of the
    plan, its slug and name then carry the area's (``<slug>-<area slug>``,
    ``<name> – <area name>``), its order ``order + the area's position``."""

    kind: str
    name: str
    known: Known = Known.VERIFIED
    source: str = ""
    required: bool = True
    slug: str = ""
    per_area: bool = False
    order: int = 0
    description: str = ""


@dataclass(frozen=True)
class RuleTemplate:
    """A composition rule as ``organisation.rules.RULE_KINDS`` reads it."""

    body_kind: str
    kind: str
    params: dict[str, Any]
    hard: bool = True
    known: Known = Known.VERIFIED
    source: str = ""
    # The agreement's wording; ``{kommune}`` stands for the plan's municipality.
    description: str = ""
    # The numbers are the seed's own (six board members for its five housing organisations,
    # its coordinators' time per area): a plan sets its own, so the rule is not created
    # from the framework for another plan.
    plan_specific: bool = False

    def wording(self, municipality: str) -> str:
        return self.description.replace("{kommune}", municipality)


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    in_force: str
    source: str
    period_years: int | None
    min_local_share_pct: int | None
    focus_areas: tuple[Item, ...]
    attachments: tuple[Item, ...]
    sections: tuple[Item, ...]
    bodies: tuple[BodyTemplate, ...]
    rules: tuple[RuleTemplate, ...]
    measurement_duties: tuple[Item, ...]
    notes: tuple[str, ...] = ()
    # Facts about the framework itself (period, local share, in force ...), each marked.
    facts: tuple[Item, ...] = ()

    def focus_area(self, key: str) -> Item | None:
        return next((f for f in self.focus_areas if f.key == key), None)

    def section_keys(self) -> list[tuple[str, str]]:
        return [(s.key, s.name) for s in self.sections]

    def required_section_keys(self) -> frozenset[str]:
        """The sections that must have text before a version is submitted (all, unless a
        section says ``"required": false``, as a heading that is not known does)."""
        return frozenset(s.key for s in self.sections if s.extra.get("required", True))

    def attachment(self, key: str) -> Item | None:
        return next((a for a in self.attachments if a.key == key), None)

    def attachment_keys(self) -> list[tuple[str, str]]:
        return [(a.key, a.name) for a in self.attachments]


class UnknownFramework(KeyError):
    pass


class FormatError(ValueError):
    """A data file of a format this module does not read (newer, or malformed)."""


def _items(raw: list[dict[str, Any]]) -> tuple[Item, ...]:
    out = []
    for r in raw:
        r = dict(r)
        known = Known(r.pop("known", "verified"))
        base = {k: r.pop(k) for k in ("key", "name")}
        source, description = r.pop("source", ""), r.pop("description", "")
        out.append(Item(**base, known=known, source=source, description=description, extra=r))
    return tuple(out)


def _read(path: Path) -> Framework:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("format") != FORMAT:
        raise FormatError(f"{path.name}: format {raw.get('format')!r}, expected {FORMAT}")
    for name in ("code", "name"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise FormatError(f"{path.name}: {name!r} is missing")
    return Framework(
        code=raw["code"],
        name=raw["name"],
        in_force=raw.get("in_force", ""),
        source=raw.get("source", ""),
        period_years=raw.get("period_years"),
        min_local_share_pct=raw.get("min_local_share_pct"),
        focus_areas=_items(raw.get("focus_areas", [])),
        attachments=_items(raw.get("attachments", [])),
        sections=_items(raw.get("sections", [])),
        bodies=tuple(
            BodyTemplate(**{**b, "known": Known(b.get("known", "verified"))})
            for b in raw.get("bodies", [])
        ),
        rules=tuple(
            RuleTemplate(**{**r, "known": Known(r.get("known", "verified"))})
            for r in raw.get("rules", [])
        ),
        measurement_duties=_items(raw.get("measurement_duties", [])),
        notes=tuple(raw.get("notes", [])),
        facts=_items(raw.get("facts", [])),
    )


def read(path: Path) -> Framework:
    """One data file (``FormatError`` if its format is not this module's)."""
    return _read(path)


@cache
def all_frameworks() -> tuple[Framework, ...]:
    found = [_read(p) for p in sorted(DATA.glob("*.json"))]
    return tuple(sorted(found, key=lambda f: f.code))


def all_attachment_keys() -> list[tuple[str, str]]:
    """Every framework's attachment keys (first name wins), for fields that accept them all."""
    seen: dict[str, str] = {}
    for framework in all_frameworks():
        for item in framework.attachments:
            seen.setdefault(item.key, item.name)
    return list(seen.items())


def all_section_keys() -> frozenset[str]:
    return frozenset(s.key for f in all_frameworks() for s in f.sections)


def get(code: str) -> Framework:
    for framework in all_frameworks():
        if framework.code == code:
            return framework
    raise UnknownFramework(code)


def choices() -> list[tuple[str, str]]:
    return [(f.code, f.name) for f in all_frameworks()]
