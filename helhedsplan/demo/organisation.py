"""The seed's organisation (§ 2) for the demo plan: rules as the agreement words them, and
its structure with placeholder people, since the agreement names nobody."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from helhedsplan.demo.base import existing_or
from helhedsplan.demo.seed import MUNICIPALITY
from helhedsplan.frameworks import catalogue
from helhedsplan.organisation.models import Body, Membership, Person
from helhedsplan.organisation.services import (
    Seat,
    body_create,
    composition_rule_upsert,
    framework_rules,
    memberships_create,
    person_create,
)
from helhedsplan.plans.models import Plan

POLICE = "Sydsjælland og Lolland Falsters Politi"
CENTRE = "Kompetencecentret (det boligsociale samarbejde)"

# How the demo spreads that over three placeholder coordinators (the seed does not say).
# Like the placeholder names, these seats say on every page that they are assumed.
COVERAGE_ASSUMED = (
    "Antagelse i demoen: aftalen fordeler koordinatortiden på områderne, men siger ikke, "
    "hvilken koordinator der dækker hvilket område."
)
DEPUTY_ASSUMED = (
    "Antagelse i demoen: aftalen siger, at en af koordinatorerne er stedfortræder for "
    "Kompetencechefen, men ikke hvem."
)
COORDINATOR_SHARES: list[dict[str | None, int]] = [
    {"motalavej": 50, None: 50},
    {"ringparken": 50, None: 50},
    {"sydbyen": 30, "skaelskoer": 30, None: 40},
]

H = "housing_organisation"
M = "municipality"
P = "police"

R = Membership.Role


def _person(plan: Plan, name: str, **values: Any) -> Person:
    return existing_or(
        Person.objects.filter(plan=plan, name=name),
        partial(person_create, plan=plan, name=name, **values),
    )


def _seat(
    seats: list[Seat],
    body: Body,
    person: Person,
    role: str,
    area: Any = None,
    fte: int | None = None,
    assumption: str = "",
) -> None:
    seats.append(
        Seat(
            body=body,
            person=person,
            role=role,
            area=area,
            start_date=body.plan.start_date,
            fte_percent=Decimal(fte) if fte is not None else None,
            assumption=assumption,
        )
    )


def _body(plan: Plan, slug: str, **values: Any) -> Body:
    return existing_or(
        Body.objects.filter(plan=plan, slug=slug),
        partial(body_create, plan=plan, slug=slug, **values),
    )


def load(plan: Plan) -> None:
    # The rules are the seed's § 2 as the 2015-18 framework holds them (frameworks/data),
    # with the seed's own numbers (six board members, three coordinators, their time).
    framework = catalogue.get(plan.framework)
    municipality = str(plan.municipality)
    for order, rule in enumerate(framework_rules(framework, with_plan_specific=True)):
        composition_rule_upsert(
            plan=plan,
            body_kind=rule.body_kind,
            kind=rule.kind,
            params=dict(rule.params),
            hard=rule.hard,
            description=rule.wording(municipality),
            order=order,
        )
    bodies: dict[str, Body] = {}
    fixed = [
        ("bestyrelse", Body.Kind.BOARD, "Bestyrelse"),
        ("formandskab", Body.Kind.CHAIRMANSHIP, "Formandskab"),
        ("koordinationsgruppe", Body.Kind.COORDINATION_GROUP, "Koordinationsgruppe"),
        ("kompetencecentret", Body.Kind.SECRETARIAT, "Kompetencecentret (sekretariat)"),
        ("koordinatorer", Body.Kind.COORDINATORS, "Koordinatorer"),
    ]
    for order, (slug, kind, name) in enumerate(fixed):
        bodies[slug] = _body(plan, slug, kind=kind, name=name, order=order)
    areas = list(plan.areas.order_by("order"))
    for i, area in enumerate(areas):
        bodies[f"beboerhus-{area.slug}"] = _body(
            plan,
            f"beboerhus-{area.slug}",
            kind=Body.Kind.COMMUNITY_HOUSE,
            name=f"Beboerhus – {area.name}",
            area=area,
            order=10 + i,
        )
        bodies[f"foelgegruppe-{area.slug}"] = _body(
            plan,
            f"foelgegruppe-{area.slug}",
            kind=Body.Kind.FOLLOW_UP_GROUP,
            name=f"Lokal følgegruppe – {area.name}",
            area=area,
            order=20 + i,
        )

    # The whole organisation is seated at once, as a secretariat setting it up would: the
    # hard rules (six on the board, two in the chairmanship ...) hold for the result.
    seats: list[Seat] = []
    orgs = list(plan.housing_organisations.order_by("name"))
    board = []
    for n, org in enumerate(orgs, start=1):
        board.append(
            _person(
                plan,
                f"Bestyrelsesmedlem {n} (pladsholder)",
                organisation_kind=H,
                housing_organisation=org,
                level="executive",
                title="Direktør (pladsholder)",
            )
        )
    municipal_director = _person(
        plan,
        f"Bestyrelsesmedlem {len(orgs) + 1} (pladsholder)",
        organisation_kind=M,
        organisation_name=MUNICIPALITY,
        level="executive",
        title="Direktør (pladsholder)",
    )
    board.append(municipal_director)
    for person in board:
        chair = person in (board[0], municipal_director)
        _seat(seats, bodies["bestyrelse"], person, R.CHAIR if chair else R.MEMBER)
    _seat(seats, bodies["formandskab"], board[0], R.CHAIR)
    _seat(seats, bodies["formandskab"], municipal_director, R.CHAIR)

    chief = _person(
        plan,
        "Kompetencechef (pladsholder)",
        organisation_kind="other",
        organisation_name=CENTRE,
        level="manager",
        title="Kompetencechef",
    )
    _seat(seats, bodies["kompetencecentret"], chief, R.CHIEF)
    _seat(seats, bodies["koordinationsgruppe"], chief, R.CONVENER)
    for n in (1, 2):
        head = _person(
            plan,
            f"Centerchef {n} (pladsholder)",
            organisation_kind=M,
            organisation_name=MUNICIPALITY,
            level="centre_head",
            title="Centerchef (pladsholder)",
        )
        _seat(seats, bodies["koordinationsgruppe"], head, R.MEMBER)
        police = _person(
            plan,
            f"Politirepræsentant {n} (pladsholder)",
            organisation_kind=P,
            organisation_name=POLICE,
            level="police_management",
            title="Politiets lokale/regionale ledelse (pladsholder)",
        )
        _seat(seats, bodies["koordinationsgruppe"], police, R.MEMBER)

    by_slug = {a.slug: a for a in areas}
    local_coordinator = {}
    for n, shares in enumerate(COORDINATOR_SHARES, start=1):
        coordinator = _person(
            plan,
            f"Koordinator {n} (pladsholder)",
            organisation_kind="other",
            organisation_name=CENTRE,
            level="staff",
            title="Koordinator",
        )
        for area_slug, fte in shares.items():
            _seat(
                seats,
                bodies["koordinatorer"],
                coordinator,
                R.COORDINATOR,
                by_slug.get(area_slug) if area_slug else None,
                fte,
                COVERAGE_ASSUMED,
            )
            if area_slug:
                local_coordinator[area_slug] = coordinator
        if n == 1:
            _seat(
                seats, bodies["kompetencecentret"], coordinator, R.DEPUTY, assumption=DEPUTY_ASSUMED
            )

    for area in areas:
        staff = _person(
            plan,
            f"Beboerhusmedarbejder {area.name} (pladsholder)",
            organisation_kind="other",
            organisation_name=f"Beboerhuset i {area.name}",
            level="staff",
            title="Medarbejder (pladsholder)",
        )
        _seat(seats, bodies[f"beboerhus-{area.slug}"], staff, R.STAFF)
        operations = _person(
            plan,
            f"Ejendomsdrift {area.name} (pladsholder)",
            organisation_kind="other",
            organisation_name="Ejendomsdrift (pladsholder)",
            level="staff",
            title="Driftsrepræsentant (pladsholder)",
        )
        police = _person(
            plan,
            f"Lokalpoliti {area.name} (pladsholder)",
            organisation_kind=P,
            organisation_name=POLICE,
            level="staff",
            title="Lokalbetjent (pladsholder)",
        )
        group = bodies[f"foelgegruppe-{area.slug}"]
        _seat(
            seats,
            group,
            local_coordinator[area.slug],
            R.LOCAL_COORDINATOR,
            assumption=COVERAGE_ASSUMED,
        )
        _seat(seats, group, staff, R.HOUSE_STAFF)
        _seat(seats, group, operations, R.PROPERTY_OPERATIONS)
        _seat(seats, group, police, R.LOCAL_POLICE)
        _seat(seats, group, chief, R.MAY_ATTEND)
    # The seats a previous run created are left out: a second run writes nothing.
    seated = set(
        Membership.objects.filter(body__plan=plan).values_list("body", "person", "role", "area")
    )
    memberships_create(
        plan=plan,
        seats=[
            s for s in seats if (s.body.pk, s.person.pk, s.role, s.area and s.area.pk) not in seated
        ],
    )
