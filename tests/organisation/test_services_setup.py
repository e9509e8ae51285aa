"""Setting up the organisation: bodies, and seats filled several at a time under the hard
composition rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.audit.models import AuditEntry
from helhedsplan.organisation.models import Body, Membership, Person
from helhedsplan.organisation.services import (
    Seat,
    body_create,
    composition_rule_upsert,
    membership_create,
    memberships_create,
    person_create,
)
from helhedsplan.plans.models import Plan
from helhedsplan.plans.services import housing_area_create
from tests import factories
from tests.errors import codes

pytestmark = pytest.mark.django_db
START = date(2018, 1, 1)


def _plan(slug: str = "proeve") -> Plan:
    return factories.PlanFactory(name=f"Plan {slug}", slug=slug)


def _people(plan: Plan, n: int) -> list[Person]:
    return [
        person_create(plan=plan, name=f"Medlem {i}", organisation_kind="other")
        for i in range(1, n + 1)
    ]


def test_body_create_for_an_area() -> None:
    plan = _plan()
    area = housing_area_create(plan=plan, slug="parken", name="Parken")
    body = body_create(
        plan=plan, kind=Body.Kind.FOLLOW_UP_GROUP, slug="foelgegruppe", name="Følgegruppe",
        area=area,
    )  # fmt: skip
    assert body.area == area


def test_body_create_refuses_an_area_of_another_plan() -> None:
    plan, other = _plan(), _plan("anden-proeve")
    area = housing_area_create(plan=other, slug="parken", name="Parken")
    with pytest.raises(ValidationError) as exc:
        body_create(plan=plan, kind=Body.Kind.COMMUNITY_HOUSE, slug="hus", name="Hus", area=area)
    assert codes(exc.value) == {"other_plan"}
    assert not Body.objects.filter(plan=plan).exists()


def test_membership_create_records_an_assumed_seat() -> None:
    plan = _plan()
    body = body_create(plan=plan, kind=Body.Kind.COORDINATORS, slug="k", name="Koordinatorer")
    [person] = _people(plan, 1)
    membership = membership_create(
        body=body, person=person, role=Membership.Role.COORDINATOR, start_date=START,
        assumption="Antaget i prøven.",
    )  # fmt: skip
    assert membership.assumption == "Antaget i prøven."


def test_memberships_create_seats_a_full_board_at_once() -> None:
    plan = _plan()
    composition_rule_upsert(plan=plan, body_kind="board", kind="max_members", params={"max": 3},
                            hard=True, description="Højst 3.", order=0)  # fmt: skip
    board = body_create(plan=plan, kind=Body.Kind.BOARD, slug="bestyrelse", name="Bestyrelse")
    entries = AuditEntry.objects.count()
    created = memberships_create(
        plan=plan, seats=[Seat(board, p, Membership.Role.MEMBER, START) for p in _people(plan, 3)]
    )
    assert [m.person.name for m in created] == ["Medlem 1", "Medlem 2", "Medlem 3"]
    assert AuditEntry.objects.count() == entries + 3 + 3  # the people, then one per seat


def test_memberships_create_refuses_seats_that_break_a_hard_rule_together() -> None:
    plan = _plan()
    composition_rule_upsert(plan=plan, body_kind="board", kind="max_members", params={"max": 3},
                            hard=True, description="Højst 3.", order=0)  # fmt: skip
    board = body_create(plan=plan, kind=Body.Kind.BOARD, slug="bestyrelse", name="Bestyrelse")
    seats = [Seat(board, p, Membership.Role.MEMBER, START) for p in _people(plan, 4)]
    with pytest.raises(ValidationError) as exc:
        memberships_create(plan=plan, seats=seats)
    assert codes(exc.value) == {"too_many_members"}
    assert not Membership.objects.filter(body=board).exists()
