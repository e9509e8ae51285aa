"""Users and their roles on a plan, created through the accounts services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.accounts.services import membership_create, user_create
from helhedsplan.plans.models import Plan
from helhedsplan.plans.services import housing_area_create
from tests import factories
from tests.errors import codes

pytestmark = pytest.mark.django_db


def _plan(slug: str = "proeve") -> Plan:
    return factories.PlanFactory(name=f"Plan {slug}", slug=slug)


def test_user_create_stores_the_password_hashed() -> None:
    user = user_create(username="anne", password="hemmelig-kode", first_name="Anne")
    assert user.password != "hemmelig-kode"
    assert User.objects.get(username="anne").check_password("hemmelig-kode")


def test_user_create_refuses_an_empty_password_and_a_username_in_use() -> None:
    with pytest.raises(ValidationError) as exc:
        user_create(username="anne", password="")
    assert codes(exc.value) == {"password_required"}
    user_create(username="anne", password="kode")
    with pytest.raises(ValidationError) as exc:
        user_create(username="anne", password="kode")
    assert codes(exc.value) == {"unique"}


def test_membership_create_gives_a_coordinator_their_areas() -> None:
    plan = _plan("proeve")
    area = housing_area_create(plan=plan, slug="parken", name="Parken")
    user = user_create(username="anne", password="kode")
    membership = membership_create(user=user, plan=plan, role=Role.COORDINATOR, areas=[area])
    assert list(membership.areas.all()) == [area]


def test_membership_create_refuses_areas_for_another_role_or_plan() -> None:
    plan, other = _plan("proeve"), _plan("anden-proeve")
    area = housing_area_create(plan=other, slug="parken", name="Parken")
    user = user_create(username="anne", password="kode")
    with pytest.raises(ValidationError) as exc:
        membership_create(user=user, plan=other, role=Role.BOARD, areas=[area])
    assert codes(exc.value) == {"areas_only_for_coordinators"}
    with pytest.raises(ValidationError) as exc:
        membership_create(user=user, plan=plan, role=Role.COORDINATOR, areas=[area])
    assert codes(exc.value) == {"unknown_area"}
    assert not Membership.objects.filter(user=user).exists()
