"""Reading the organisation: who sits where on a date, and how it measures up to the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet

from helhedsplan.frameworks import catalogue
from helhedsplan.organisation import rules
from helhedsplan.organisation.models import Body, CompositionRule, Membership, Person
from helhedsplan.plans.models import HousingArea, Plan


def memberships_on(plan: Plan, on: date) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(body__plan=plan, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person", "person__housing_organisation", "area", "body")
        .order_by(
            "body__order",
            "body__name",
            "role",
            "person__name",
            F("area__order").asc(nulls_last=True),
        )
    )


@dataclass
class BodyOnDate:
    body: Body
    memberships: list[Membership]

    @property
    def people_count(self) -> int:
        return len({m.person_id for m in self.memberships})


def bodies_on(plan: Plan, on: date) -> list[BodyOnDate]:
    """Every body of the plan with its memberships in force on ``on`` (two queries)."""
    by_body: dict[int, list[Membership]] = {}
    for m in memberships_on(plan, on):
        by_body.setdefault(m.body_id, []).append(m)
    bodies = Body.objects.filter(plan=plan).select_related("area").order_by("order", "name")
    return [BodyOnDate(b, by_body.get(b.pk, [])) for b in bodies]


def _person_fact(p: Person) -> rules.Person:
    return rules.Person(p.pk, p.name, p.organisation_kind, p.housing_organisation_id, p.level)


def composition_from(
    plan: Plan, bodies: Iterable[BodyOnDate], extra: Iterable[Membership] = ()
) -> rules.Composition:
    extra = list(extra)
    facts = []
    chief_ids = set()
    for entry in bodies:
        members = [m for m in entry.memberships if m.pk not in {e.pk for e in extra if e.pk}]
        members += [e for e in extra if e.body_id == entry.body.pk]
        for m in members:
            if m.role == Membership.Role.CHIEF:
                chief_ids.add(m.person_id)
        facts.append(
            rules.Body(
                entry.body.pk,
                entry.body.kind,
                entry.body.name,
                entry.body.area.slug if entry.body.area else None,
                tuple(
                    rules.Member(
                        _person_fact(m.person),
                        m.role,
                        m.area.slug if m.area else None,
                        m.fte_percent,
                        m.pk,
                    )
                    for m in members
                ),
            )
        )
    return rules.Composition(
        bodies=tuple(facts),
        housing_organisations={o.pk: o.name for o in plan.housing_organisations.all()},
        areas={a.slug: a.name for a in plan.areas.order_by("order")},
        chief_ids=frozenset(chief_ids),
    )


def composition_on(plan: Plan, on: date, extra: Iterable[Membership] = ()) -> rules.Composition:
    """The composition on ``on``; ``extra`` memberships (saved or not) replace or add to it."""
    extra = [m for m in extra if m.start_date <= on and (m.end_date is None or m.end_date >= on)]
    return composition_from(plan, bodies_on(plan, on), extra)


def rules_for_plan(plan: Plan) -> list[CompositionRule]:
    return list(CompositionRule.objects.filter(plan=plan).order_by("order", "pk"))


def people_for_plan(plan: Plan) -> QuerySet[Person]:
    return Person.objects.filter(plan=plan).select_related("housing_organisation")


@dataclass(frozen=True)
class MissingBody:
    template: catalogue.BodyTemplate
    area: HousingArea | None

    @property
    def name(self) -> str:
        return f"{self.template.name} – {self.area.name}" if self.area else self.template.name


@dataclass(frozen=True)
class FromFramework:
    """What the plan's framework has and the plan does not: bodies, rules; and the rules
    the plan lacks that are left out because their numbers are the seed's own
    (``plan_specific``)."""

    framework: catalogue.Framework
    bodies: list[MissingBody]
    rules: list[catalogue.RuleTemplate]
    plan_specific: list[catalogue.RuleTemplate]

    @property
    def nothing_missing(self) -> bool:
        return not self.bodies and not self.rules


def same_rule(rule: CompositionRule, template: catalogue.RuleTemplate) -> bool:
    return (rule.body_kind, rule.kind, rule.params) == (
        template.body_kind,
        template.kind,
        template.params,
    )


def missing_from_framework(
    plan: Plan, framework: catalogue.Framework, *, with_plan_specific: bool = False
) -> FromFramework:
    """A body is there when the plan has one of its kind (an area body: of its kind in that
    area), whatever its name; a rule when one of the same organ type, kind and parameters
    is. Three queries."""
    have: set[tuple[str, int | None]] = set(
        Body.objects.filter(plan=plan).values_list("kind", "area_id")
    )
    areas: list[HousingArea | None] = list(
        HousingArea.objects.filter(plan=plan).order_by("order", "pk")
    )
    bodies = [
        MissingBody(t, area)
        for t in framework.bodies
        for area in (areas if t.per_area else [None])
        if (t.kind, area.pk if area else None) not in have
    ]
    existing = list(CompositionRule.objects.filter(plan=plan))
    wanted = [r for r in framework.rules if with_plan_specific or not r.plan_specific]
    return FromFramework(
        framework=framework,
        bodies=bodies,
        rules=[t for t in wanted if not any(same_rule(r, t) for r in existing)],
        plan_specific=[
            t
            for t in framework.rules
            if t.plan_specific and t not in wanted and not any(same_rule(r, t) for r in existing)
        ],
    )
