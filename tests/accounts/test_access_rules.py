"""The per-object rules of ``PlanAccess``, asked of each persona on the demo plan.

Personas: every role's demo user (the coordinator has Motalavej), a coordinator without
areas, a coordinator and municipal registrar in one person, and a user of another plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.http import Http404

from helhedsplan.accounts.access import (
    EVERYWHERE,
    PlanAccess,
    RegistrationScope,
    get_plan_access,
)
from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.activities.models import Activity
from helhedsplan.activities.selectors import activity_area_links
from helhedsplan.meetings import services as meeting_services
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import HousingArea, Plan
from tests.meetings.factories import board_meeting

# About the seed's split of the work (§ 6: the municipality registers its own activities,
# coordinators their areas), asked on the seed's activities, areas and bodies: the demo.
pytestmark = pytest.mark.demo

USERNAMES = {
    "secretariat": "sekretariat",
    "coordinator": "koordinator",
    "municipal": "kommune",
    "board": "bestyrelse",
    "lbf": "lbf",
    "auditor": "revisor",
}
Persona = Callable[[str], PlanAccess]


@pytest.fixture
def access_as(plan: Plan) -> Persona:
    """access_as("coordinator") is the demo user's PlanAccess; "coordinator_without_areas"
    and "coordinator_and_municipal" are made for the test."""

    def make(persona: str) -> PlanAccess:
        if persona in USERNAMES:
            return get_plan_access(User.objects.get(username=USERNAMES[persona]), plan.slug)
        user = User.objects.create_user(username=persona, password="x")
        Membership.objects.create(user=user, plan=plan, role=Role.COORDINATOR)
        if persona == "coordinator_and_municipal":
            Membership.objects.get(user=user).areas.add(_area(plan, "sydbyen"))
            Membership.objects.create(user=user, plan=plan, role=Role.MUNICIPAL)
        return get_plan_access(user, plan.slug)

    return make


def _area(plan: Plan, slug: str) -> HousingArea:
    return HousingArea.objects.get(plan=plan, slug=slug)


def _activity(plan: Plan, slug: str) -> Activity:
    return Activity.objects.get(plan=plan, slug=slug)


def _ids(plan: Plan, *slugs: str) -> frozenset[int]:
    return frozenset(_area(plan, s).pk for s in slugs)


# Observations (success criteria).


@pytest.mark.parametrize(
    ("persona", "areas"),
    [
        ("secretariat", None),
        ("municipal", None),
        ("coordinator", ("motalavej",)),
        ("coordinator_without_areas", ()),
        ("board", ()),
        ("lbf", ()),
        ("auditor", ()),
    ],
)
def test_observation_areas_per_persona(
    plan: Plan, access_as: Persona, persona: str, areas: tuple[str, ...] | None
) -> None:
    access = access_as(persona)
    expected = None if areas is None else _ids(plan, *areas)
    assert access.observation_area_ids == expected
    shown = [a.slug for a in access.observation_areas(plan.areas.all())]
    assert shown == [a.slug for a in plan.areas.all() if areas is None or a.slug in areas]
    assert access.may_register_total == (areas is None)


def test_only_the_secretariat_corrects_an_approved_figure(access_as: Persona) -> None:
    assert {p for p in USERNAMES if access_as(p).may_correct_approved} == {"secretariat"}


# Activities: registration and evaluation.


@pytest.mark.parametrize(
    ("persona", "activity", "area", "allowed"),
    [
        ("secretariat", "tryghedsvandringer", "sydbyen", True),
        ("municipal", "ekstra-sundhedspleje", "ringparken", True),  # its own, any area
        ("municipal", "tryghedsvandringer", "ringparken", False),
        ("coordinator", "tryghedsvandringer", "motalavej", True),  # any activity in its area
        ("coordinator", "ekstra-sundhedspleje", "motalavej", True),
        ("coordinator", "tryghedsvandringer", "sydbyen", False),
        ("coordinator_without_areas", "tryghedsvandringer", "motalavej", False),
        ("coordinator_and_municipal", "tryghedsvandringer", "sydbyen", True),  # the union
        ("coordinator_and_municipal", "ekstra-sundhedspleje", "motalavej", True),
        ("coordinator_and_municipal", "tryghedsvandringer", "motalavej", False),
        ("board", "tryghedsvandringer", "motalavej", False),
        ("lbf", "tryghedsvandringer", "motalavej", False),
        ("auditor", "ekstra-sundhedspleje", "motalavej", False),
    ],
)
def test_may_register(
    plan: Plan, access_as: Persona, persona: str, activity: str, area: str, allowed: bool
) -> None:
    access = access_as(persona)
    assert access.may_register(_activity(plan, activity), _area(plan, area).pk) is allowed


def test_registrable_pairs_are_the_links_may_register_allows(
    plan: Plan, access_as: Persona
) -> None:
    links = activity_area_links(plan)
    activities = {a.pk: a for a in Activity.objects.filter(plan=plan)}
    for persona in [*USERNAMES, "coordinator_without_areas"]:
        access = access_as(persona)
        expected = {(a, b) for a, _r, b in links if access.may_register(activities[a], b)}
        assert access.registrable_pairs(links) == expected, persona
    assert access_as("secretariat").registrable_pairs(links) == {(a, b) for a, _r, b in links}
    assert access_as("board").registrable_pairs(links) == frozenset()


def test_a_plans_rules_do_not_reach_another_plans_activities(plan: Plan, other_plan: Plan) -> None:
    outsider = other_plan.memberships.get().user
    with pytest.raises(Http404):
        get_plan_access(outsider, plan.slug)
    own = get_plan_access(outsider, other_plan.slug)  # the secretariat of its own plan
    assert own.registration_scope == EVERYWHERE
    assert not own.may_register(_activity(plan, "tryghedsvandringer"), _area(plan, "sydbyen").pk)


def test_registration_scope_is_plain_values() -> None:
    scope = RegistrationScope(area_ids=frozenset({7}), responsibles=frozenset({"municipality"}))
    assert scope.allows(responsible="secretariat", area_id=7)
    assert scope.allows(responsible="municipality", area_id=8)
    assert not scope.allows(responsible="secretariat", area_id=8)
    assert EVERYWHERE.allows(responsible="partner", area_id=8)


@pytest.mark.parametrize(
    ("persona", "activity", "allowed"),
    [
        ("secretariat", "uddannelsestilbud-sydbyen", True),
        ("secretariat", "vaerested-og-klub", True),  # runs nowhere yet; still the plan's
        ("coordinator", "opkvalificering-motalavej", True),
        ("coordinator", "uddannelsestilbud-sydbyen", False),
        ("coordinator", "vaerested-og-klub", False),
        ("coordinator_without_areas", "opkvalificering-motalavej", False),
        ("municipal", "ekstra-sundhedspleje", False),  # registers, does not evaluate
        ("board", "opkvalificering-motalavej", False),
        ("lbf", "opkvalificering-motalavej", False),
    ],
)
def test_may_evaluate(
    plan: Plan, access_as: Persona, persona: str, activity: str, allowed: bool
) -> None:
    obj = _activity(plan, activity)
    access = access_as(persona)
    assert access.may_evaluate(link.area_id for link in obj.area_links.all()) is allowed


# Meetings: who records decisions where.


@pytest.mark.parametrize(
    ("persona", "on_board", "on_group"),
    [
        ("secretariat", True, True),
        ("board", True, False),
        ("coordinator", False, False),
        ("municipal", False, False),
        ("lbf", False, False),
        ("auditor", False, False),
    ],
)
def test_may_record_decisions(
    plan: Plan, access_as: Persona, persona: str, on_board: bool, on_group: bool
) -> None:
    board = board_meeting(plan)
    group = meeting_services.meeting_create(
        plan=plan,
        body=Body.objects.get(plan=plan, slug="koordinationsgruppe"),
        date=date(2019, 4, 1),
    )
    access = access_as(persona)
    assert (access.may_record_decisions(board), access.may_record_decisions(group)) == (
        on_board,
        on_group,
    )


@pytest.mark.parametrize(
    ("persona", "at_assessment"),
    [
        ("secretariat", True),  # records it for the board
        ("board", True),
        ("coordinator", False),
        ("municipal", False),
        ("lbf", False),
        ("auditor", False),
    ],
)
def test_may_record_assessment(
    plan: Plan, access_as: Persona, persona: str, at_assessment: bool
) -> None:
    """Only at the board's assessment meetings, never at an ordinary board meeting."""
    assessment = board_meeting(plan, date(2019, 6, 1), kind="board_criteria_assessment")
    ordinary = board_meeting(plan)
    access = access_as(persona)
    assert access.may_record_assessment(assessment) is at_assessment
    assert access.may_record_assessment(ordinary) is False


# The agreement: LBF's decision on a version.


@pytest.mark.parametrize(
    ("roles", "may_decide", "needs_letter"),
    [
        ({Role.LBF}, True, False),
        ({Role.SECRETARIAT}, True, True),  # records LBF's decision, with the letter
        ({Role.LBF, Role.SECRETARIAT}, True, False),
        ({Role.BOARD}, False, True),
        ({Role.AUDITOR}, False, True),
        ({Role.COORDINATOR, Role.MUNICIPAL}, False, True),
    ],
)
def test_who_decides_a_version(
    plan: Plan, roles: set[Role], may_decide: bool, needs_letter: bool
) -> None:
    access = PlanAccess(plan=plan, roles=frozenset(roles))
    assert (access.may_decide_version, access.decision_needs_letter) == (may_decide, needs_letter)
