"""Reading the organisation: who sits where on a date, and how it measures up to the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet

from helhedsplan.organisation import rules
from helhedsplan.organisation.models import Body, CompositionRule, Membership, Person
from helhedsplan.plans.models import Plan


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
