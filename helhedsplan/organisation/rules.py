"""Composition rules of a plan's organisation, checked over plain values (no Django import).

A plan stores its rules as data (kind + parameters, see ``RULE_KINDS``); the agreement of
Slagelse is one set of them, another plan may have another. ``check`` takes the composition
on one date and the rules, and returns one ``Breach`` per thing that is wrong, each with a
stable ``code`` and the values a message needs. The Django side words the messages.

A rule marked ``hard`` is a limit the system refuses to break (a seventh board member, a
coordinator above 100 %); the others describe what a complete organisation has and are
reported, not enforced, since a body is built up one member at a time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "RULE_KINDS",
    "Body",
    "Breach",
    "Composition",
    "Member",
    "Person",
    "Rule",
    "check",
]


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    organisation_kind: str  # housing_organisation | municipality | police | other
    housing_organisation_id: int | None = None
    level: str = "other"  # executive | administrative | centre_head | police_management | ...


@dataclass(frozen=True)
class Member:
    person: Person
    role: str
    area: str | None = None  # area slug, for coordinators' time
    fte: Decimal | None = None  # percent of a full-time post
    id: int | None = None  # the stored membership, if any


@dataclass(frozen=True)
class Body:
    id: int
    kind: str
    name: str
    area: str | None = None
    members: tuple[Member, ...] = ()

    @property
    def people(self) -> dict[int, Person]:
        return {m.person.id: m.person for m in self.members}


@dataclass(frozen=True)
class Composition:
    """The organisation on one date."""

    bodies: tuple[Body, ...]
    housing_organisations: Mapping[int, str] = field(default_factory=dict)  # id -> name
    areas: Mapping[str, str] = field(default_factory=dict)  # slug -> name
    chief_ids: frozenset[int] = frozenset()  # the Kompetencechef (role "chief")

    def of_kind(self, kind: str) -> list[Body]:
        return [b for b in self.bodies if b.kind == kind]


@dataclass(frozen=True)
class Rule:
    id: int
    body_kind: str
    kind: str
    params: Mapping[str, Any]
    hard: bool = False


@dataclass(frozen=True)
class Breach:
    rule_id: int
    code: str
    body: str
    hard: bool
    values: Mapping[str, Any]

    @property
    def key(self) -> tuple[Any, ...]:
        """Identity of the breach, to tell a new breach from one that was there before."""
        return (self.rule_id, self.code, self.body, tuple(sorted(self.values.items())))


Found = Iterable[tuple[str, dict[str, Any]]]


def _max_members(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    if len(body.people) > p["max"]:
        yield "too_many_members", {"actual": len(body.people), "max": p["max"]}


def _min_members(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    if len(body.people) < p["min"]:
        yield "too_few_members", {"actual": len(body.people), "min": p["min"]}


def _one_per_housing_organisation(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    per_org = Counter(
        person.housing_organisation_id
        for person in body.people.values()
        if person.organisation_kind == "housing_organisation"
    )
    for org_id, name in c.housing_organisations.items():
        if per_org[org_id] == 0:
            yield "housing_organisation_missing", {"organisation": name}
        elif per_org[org_id] > 1:
            yield "housing_organisation_twice", {"organisation": name, "actual": per_org[org_id]}
    levels = p.get("levels")
    if levels:
        for person in sorted(body.people.values(), key=lambda x: x.name):
            if person.organisation_kind == "housing_organisation" and person.level not in levels:
                yield (
                    "wrong_level",
                    {"person": person.name, "level": person.level, "levels": tuple(levels)},
                )


def _requires_member(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    levels = p.get("levels")
    actual = sum(
        1
        for person in body.people.values()
        if person.organisation_kind == p["organisation_kind"]
        and (not levels or person.level in levels)
    )
    low, high = p.get("min", 1), p.get("max")
    if actual < low or (high is not None and actual > high):
        yield (
            "member_missing",
            {"label": p["label"], "min": low, "max": high, "actual": actual},
        )


def _members_of_body(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    others = c.of_kind(p["body_kind"])
    inside = {pid for other in others for pid in other.people}
    for person in sorted(body.people.values(), key=lambda x: x.name):
        if person.id not in inside:
            yield "not_member_of_body", {"person": person.name, "other": p["body_kind"]}


def _requires_role(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    holders = {m.person.id: m.person for m in body.members if m.role == p["role"]}
    low, high = p.get("min", 1), p.get("max")
    if len(holders) < low or (high is not None and len(holders) > high):
        yield "role_count", {"role": p["role"], "actual": len(holders), "min": low, "max": high}
    if p.get("chief"):
        for person in holders.values():
            if person.id not in c.chief_ids:
                yield "role_not_chief", {"role": p["role"], "person": person.name}


def _area_fte(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    per_area: dict[str | None, Decimal] = defaultdict(Decimal)
    for m in body.members:
        per_area[m.area] += m.fte or Decimal(0)
    for slug, expected in p["shares"].items():
        if per_area[slug] != Decimal(str(expected)):
            yield (
                "area_fte_mismatch",
                {
                    "area": c.areas.get(slug, slug),
                    "expected": Decimal(str(expected)),
                    "actual": per_area[slug],
                },
            )


def person_fte(composition: Composition) -> dict[int, Decimal]:
    """Each person's booked time (percent) across every body, on the composition's date."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for body in composition.bodies:
        for m in body.members:
            if m.fte:
                totals[m.person.id] += m.fte
    return dict(totals)


def _max_fte_per_person(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    totals = person_fte(c)
    limit = Decimal(str(p["max"]))
    for person in sorted(body.people.values(), key=lambda x: x.name):
        if totals.get(person.id, Decimal(0)) > limit:
            yield (
                "person_over_fte",
                {"person": person.name, "total": totals[person.id], "max": limit},
            )


def _deputy_from_body(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    deputies = {m.person.id: m.person for m in body.members if m.role == p["role"]}
    if len(deputies) != p.get("count", 1):
        yield "deputy_count", {"actual": len(deputies), "expected": p.get("count", 1)}
    pool = {pid for other in c.of_kind(p["body_kind"]) for pid in other.people}
    for person in deputies.values():
        if person.id not in pool:
            yield "deputy_not_from_body", {"person": person.name, "other": p["body_kind"]}


def _local_coordinator_covers_area(body: Body, p: Mapping[str, Any], c: Composition) -> Found:
    covering = {
        m.person.id
        for other in c.of_kind(p["body_kind"])
        for m in other.members
        if m.area == body.area and m.fte
    }
    for m in body.members:
        if m.role == p["role"] and m.person.id not in covering:
            yield (
                "local_coordinator_not_in_area",
                {"person": m.person.name, "area": c.areas.get(body.area or "", body.area)},
            )


Check = Callable[[Body, Mapping[str, Any], Composition], Found]

# kind -> (check per body, required parameters)
RULE_KINDS: dict[str, tuple[Check, frozenset[str]]] = {
    "max_members": (_max_members, frozenset({"max"})),
    "min_members": (_min_members, frozenset({"min"})),
    "one_per_housing_organisation": (_one_per_housing_organisation, frozenset()),
    "requires_member": (_requires_member, frozenset({"organisation_kind", "label"})),
    "members_of_body": (_members_of_body, frozenset({"body_kind"})),
    "requires_role": (_requires_role, frozenset({"role"})),
    "area_fte": (_area_fte, frozenset({"shares"})),
    "max_fte_per_person": (_max_fte_per_person, frozenset({"max"})),
    "deputy_from_body": (_deputy_from_body, frozenset({"role", "body_kind"})),
    "local_coordinator_covers_area": (
        _local_coordinator_covers_area,
        frozenset({"role", "body_kind"}),
    ),
    # Checked once for the plan, not per body: one body of the kind in every area.
    "one_body_per_area": (lambda b, p, c: (), frozenset()),
}


def check(composition: Composition, rules: Iterable[Rule], hard_only: bool = False) -> list[Breach]:
    """Every breach of ``rules`` in ``composition``, in rule order."""
    breaches: list[Breach] = []
    for rule in rules:
        if hard_only and not rule.hard:
            continue
        check_body, required = RULE_KINDS[rule.kind]
        missing = required - set(rule.params)
        if missing:
            raise ValueError(f"Rule {rule.id} ({rule.kind}) lacks {sorted(missing)}")
        bodies = composition.of_kind(rule.body_kind)
        if rule.kind == "one_body_per_area":
            have = Counter(b.area for b in bodies)
            for slug, name in composition.areas.items():
                if have[slug] != 1:
                    breaches.append(
                        Breach(
                            rule.id,
                            "body_per_area",
                            rule.body_kind,
                            rule.hard,
                            {"area": name, "actual": have[slug]},
                        )
                    )
            continue
        if not bodies:
            breaches.append(Breach(rule.id, "body_missing", rule.body_kind, rule.hard, {}))
            continue
        for body in bodies:
            for code, values in check_body(body, rule.params, composition):
                breaches.append(Breach(rule.id, code, body.name, rule.hard, values))
    return breaches
