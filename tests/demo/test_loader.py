"""The demo plan carries the seed's figures exactly, and loading it twice changes nothing.

About the seed's content: uses the demo.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.demo.loader import load_demo
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.plans.models import FocusArea, HousingOrganisation, Plan

# About the seed's content: uses the demo (tests/conftest.py: demo_plan).
pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _snapshot() -> dict[str, object]:
    from helhedsplan.audit.models import AuditEntry

    return {
        "counts": _row_counts(),
        "audit": list(AuditEntry.objects.values_list("pk", flat=True)),
        "passwords": dict(User.objects.values_list("username", "password")),
    }


@pytest.mark.slow
def test_loading_twice_changes_nothing() -> None:
    # The session fixture made the first load into an empty database; these are the 2nd and 3rd.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before


def test_stable_identifiers() -> None:
    plan = load_demo()
    assert plan.slug == "slagelse"
    assert [a.slug for a in plan.areas.order_by("order")] == [
        "motalavej",
        "ringparken",
        "sydbyen",
        "skaelskoer",
    ]
    ringparken = plan.areas.get(slug="ringparken")
    assert ringparken.name == "Ringparken og Schackenborgvænge"
    assert [s.name for s in ringparken.sub_areas.all()] == ["Ringparken", "Schackenborgvænge"]
    assert [s.name for s in plan.areas.get(slug="skaelskoer").sub_areas.all()] == [
        "Parkvej",
        "Præstevænget",
    ]


def test_funding_is_the_seeds() -> None:
    plan = load_demo()
    summary = funding_summary(plan.pk)
    assert summary.lbf == Decimal(25000)
    assert summary.local == Decimal(19450)
    assert summary.total == Decimal(44450)
    assert round(summary.local_share, 1) == Decimal("43.8")  # type: ignore[arg-type]


def test_focus_areas_as_the_seed_writes_them() -> None:
    plan = load_demo()
    areas = list(FocusArea.objects.filter(plan=plan))
    assert [(f.code, f.name) for f in areas] == [
        ("5.1", "Tryghed og trivsel"),
        ("5.2", "Kriminalpræventiv indsats"),
        ("5.3", "Uddannelse og beskæftigelse"),
        ("5.4", "Forebyggelse og forældreansvar"),
    ]
    assert areas[0].sub_goal_list[4] == "Lavere fraflytningsprocent"
    assert "At højne trygheden" in areas[1].purpose
    assert areas[1].sub_goal_list == [
        "Alle unge skal have muligheden for at få et fritidsjob",
        "Alle unge skal have muligheden for at deltage i foreningslivet eller i "
        "selvorganiseret idræt",
    ]


def test_unnamed_organisations_are_marked_as_placeholders() -> None:
    plan = load_demo()
    orgs = list(plan.housing_organisations.all())
    assert len(orgs) == 5
    assert all(o.is_placeholder and "pladsholder" in o.name for o in orgs)
    assert HousingOrganisation.objects.filter(is_placeholder=False).count() == 0


def test_one_demo_user_per_role() -> None:
    plan = load_demo()
    roles = dict(Membership.objects.filter(plan=plan).values_list("user__username", "role"))
    assert roles == {
        "sekretariat": Role.SECRETARIAT,
        "koordinator": Role.COORDINATOR,
        "kommune": Role.MUNICIPAL,
        "bestyrelse": Role.BOARD,
        "lbf": Role.LBF,
        "revisor": Role.AUDITOR,
    }
    assert all(u.check_password("demo") and u.is_demo for u in User.objects.all())
    coordinator = Membership.objects.get(plan=plan, role=Role.COORDINATOR)
    assert [a.slug for a in coordinator.areas.all()] == ["motalavej"]


def test_no_residents_are_invented() -> None:
    plan = load_demo()
    assert not Plan.objects.get(pk=plan.pk).areas.filter(populations__isnull=False).exists()


def test_the_areas_priority_is_the_seeds() -> None:
    """§ 3: Motalavej and Ringparken/Schackenborgvænge first, then Sydbyen, then Skælskør."""
    plan = Plan.objects.get(slug="slagelse")
    assert dict(plan.areas.values_list("slug", "priority")) == {
        "motalavej": 1,
        "ringparken": 1,
        "sydbyen": 2,
        "skaelskoer": 3,
    }
