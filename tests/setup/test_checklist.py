"""The setup checklist, computed from the data: everything is missing on an empty plan,
nothing on a complete one, each gap is named where it is, and the queries do not grow with
the plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.models import Role
from helhedsplan.criteria.models import Measure, Target
from helhedsplan.finance.models import FundingSource
from helhedsplan.frameworks import catalogue
from helhedsplan.organisation.models import Body, Membership
from helhedsplan.plans.models import AreaDepartment, FocusArea
from helhedsplan.setup.selectors import (
    STEPS,
    missing_count,
    required_body_kinds,
    setup_checklist,
    setup_steps,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _codes(plan, step: str | None = None) -> set[str]:  # type: ignore[no-untyped-def]
    return {i.code for i in setup_checklist(plan) if step is None or i.step == step}


def test_on_an_empty_plan_every_step_lacks_something() -> None:
    plan = factories.PlanFactory()
    checklist = setup_checklist(plan)
    assert [(i.step, i.code) for i in checklist] == [
        ("plan", "lbf_case_number"),
        ("parties", "no_housing_organisation"),
        ("areas", "no_area"),
        ("focus_areas", "no_focus_area"),
        *[("bodies", "no_body") for _kind in required_body_kinds(catalogue.get(plan.framework))],
        ("funding", "no_lbf"),
        ("funding", "no_local"),
        ("users", "no_user_coordinator"),
        ("users", "no_user_board"),
        ("users", "no_user_lbf"),
    ]
    steps = setup_steps(plan, checklist)
    assert [s.key for s in steps] == [key for key, _title in STEPS]
    # Criteria and activities are per focus area: with none, the focus-area step says so.
    assert [s.key for s in steps if s.done] == ["criteria", "activities", "users"]
    # Every required item: the six of the other steps and one per body the framework requires.
    bodies = len(required_body_kinds(catalogue.get(plan.framework)))
    assert bodies == 7  # the seed's board, chairmanship, groups, staff and houses
    assert missing_count(checklist) == 6 + bodies
    assert all(i.url.startswith(f"/planer/{plan.slug}/") for i in checklist)
    # A missing role links to the invitation form on the plan's users page.
    assert {i.url for i in checklist if i.step == "users"} == {
        f"/planer/{plan.slug}/brugere/inviter/"
    }
    users = reverse("accounts:plan_users", kwargs={"slug": plan.slug})
    # No bodies yet: the step and its items open the framework's bodies to create them.
    from_framework = reverse("organisation:from_framework", kwargs={"slug": plan.slug})
    assert all(i.url == from_framework for i in checklist if i.step == "bodies")
    urls = {s.key: s.url for s in steps}
    assert urls["bodies"] == from_framework
    assert urls["users"] == users
    assert urls["criteria"] == reverse("criteria:criterion_create", kwargs={"slug": plan.slug})
    assert urls["activities"] == reverse("activities:activity_create", kwargs={"slug": plan.slug})
    assert urls["funding"] == reverse("finance:funding_edit", kwargs={"slug": plan.slug})


def test_items_about_one_criterion_measure_or_activity_link_to_its_page() -> None:
    plan = factories.complete_plan()
    fa = plan.focus_areas.order_by("order", "code").first()
    assert fa is not None
    criterion = fa.criteria.order_by("code").first()
    activity = fa.activities.order_by("name").first()
    assert criterion is not None and activity is not None
    criterion.targets.all().delete()
    measure = criterion.measure
    type(measure).objects.filter(pk=measure.pk).update(data_source="")
    type(activity).objects.filter(pk=activity.pk).update(responsible_is_placeholder=True)
    by_code = {i.code: i.url for i in setup_checklist(plan)}
    slug = plan.slug
    assert by_code["no_target"] == reverse(
        "criteria:target_create", kwargs={"slug": slug, "code": criterion.code}
    )
    assert by_code["no_data_source"] == reverse(
        "criteria:measure_edit", kwargs={"slug": slug, "measure": measure.slug}
    )
    assert by_code["no_responsible"] == reverse(
        "activities:activity_edit", kwargs={"slug": slug, "activity": activity.slug}
    )
    # With its bodies in place the organisation step opens the organisation's page.
    steps = {s.key: s.url for s in setup_steps(plan)}
    assert steps["bodies"] == reverse("organisation:overview", kwargs={"slug": slug})


def test_a_focus_area_without_criteria_or_activities_opens_the_create_pages_at_it() -> None:
    plan = factories.complete_plan()
    fa = factories.FocusAreaFactory(plan=plan, code="5.9", name="Ny")
    by_code = {i.code: i.url for i in setup_checklist(plan) if fa.code in i.text}
    slug = plan.slug
    criterion_create = reverse("criteria:criterion_create", kwargs={"slug": slug})
    activity_create = reverse("activities:activity_create", kwargs={"slug": slug})
    assert by_code["no_criterion"] == f"{criterion_create}?indsatsomraade=5.9"
    assert by_code["no_activity"] == f"{activity_create}?indsatsomraade=5.9"


def test_on_a_complete_plan_nothing_is_missing() -> None:
    plan = factories.complete_plan()
    assert setup_checklist(plan) == []
    assert all(step.done for step in setup_steps(plan))


def test_each_party_needs_a_cvr_number() -> None:
    plan = factories.complete_plan()
    org = factories.HousingOrganisationFactory(name="Uden CVR")
    plan.housing_organisations.add(org)
    [item] = setup_checklist(plan)
    assert (item.step, item.code) == ("parties", "cvr")
    assert "Uden CVR" in item.text
    assert item.url == f"/planer/{plan.slug}/opsaetning/parter/{org.pk}/"


def test_an_area_lacks_departments_residents_and_a_priority() -> None:
    plan = factories.complete_plan()
    area = factories.HousingAreaFactory(plan=plan, name="Sydbyen", slug="sydbyen")
    items = [i for i in setup_checklist(plan) if i.step == "areas"]
    assert {i.code for i in items} == {"no_department", "no_residents", "no_priority"}
    assert all("Sydbyen" in i.text for i in items)
    assert all(i.url.endswith("/opsaetning/omraader/sydbyen/") for i in items)
    factories.AreaDepartmentFactory(area=area)
    factories.AreaPopulationFactory(area=area, year=2019)
    area.priority = 2
    area.save()
    assert _codes(plan, "areas") == set()


def test_a_focus_area_not_from_the_framework_and_without_texts() -> None:
    plan = factories.complete_plan(focus_areas=1)
    FocusArea.objects.filter(plan=plan).update(
        framework_key="", purpose="", sub_goals="", target_groups=""
    )
    assert _codes(plan, "focus_areas") == {
        "not_from_framework",
        "no_purpose",
        "no_sub_goals",
        "no_target_groups",
    }


def test_criteria_need_source_owner_direction_and_a_target() -> None:
    plan = factories.complete_plan(focus_areas=1)
    Measure.objects.filter(plan=plan).update(data_source="", delivered_by="", direction="")
    Target.objects.filter(criterion__plan=plan).delete()
    assert _codes(plan, "criteria") == {
        "no_data_source",
        "no_data_owner",
        "no_direction",
        "no_target",
    }


def test_a_qualitative_criterion_needs_no_direction() -> None:
    plan = factories.complete_plan(focus_areas=1)
    Measure.objects.filter(plan=plan).update(value_kind=Measure.ValueKind.RATING, direction="")
    assert _codes(plan, "criteria") == set()


def test_every_focus_area_needs_a_criterion_and_an_activity() -> None:
    plan = factories.complete_plan(focus_areas=1)
    fa = factories.FocusAreaFactory(
        plan=plan,
        code="5.2",
        framework_key="kriminalpraeventiv-indsats",
        sub_goals="a",
        target_groups="b",
    )
    items = [i for i in setup_checklist(plan) if i.step in ("criteria", "activities")]
    assert {(i.step, i.code) for i in items} == {
        ("criteria", "no_criterion"),
        ("activities", "no_activity"),
    }
    assert all(fa.code in i.text for i in items)


def test_an_activity_needs_areas_and_a_confirmed_responsible() -> None:
    plan = factories.complete_plan(focus_areas=1)
    factories.ActivityFactory(
        plan=plan,
        focus_area=plan.focus_areas.get(),
        responsible_is_placeholder=True,
        name="Lektiecafé",
    )
    assert _codes(plan, "activities") == {"no_areas", "no_responsible"}


def test_the_board_needs_current_members() -> None:
    plan = factories.complete_plan()
    Membership.objects.filter(body__plan=plan).update(end_date=date(2019, 1, 1))
    assert _codes(plan, "bodies") == {"no_members"}
    assert setup_checklist(plan, today=date(2018, 6, 1)) == []


def test_the_framework_decides_which_bodies_are_required(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    base = catalogue.get("2015-18")
    plan = factories.complete_plan(framework="2015-18")  # every body of the real data
    Body.objects.filter(plan=plan, kind=Body.Kind.COORDINATION_GROUP).delete()
    with_bodies = replace(
        base,
        bodies=(
            catalogue.BodyTemplate(kind="board", name="Bestyrelse"),
            catalogue.BodyTemplate(kind="coordination_group", name="Koordinationsgruppe"),
            catalogue.BodyTemplate(kind="follow_up_group", name="Følgegruppe", required=False),
            catalogue.BodyTemplate(kind="ukendt", name="Ukendt organ"),
        ),
    )
    monkeypatch.setattr(catalogue, "all_frameworks", lambda: (with_bodies,))
    assert required_body_kinds(with_bodies) == ["board", "coordination_group"]
    assert required_body_kinds(replace(base, bodies=())) == ["board"]
    [item] = setup_checklist(plan)
    assert (item.step, item.code) == ("bodies", "no_body")
    assert "Koordinationsgruppe" in item.text
    factories.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP)
    assert _codes(plan) == {"no_members"}


def test_funding_needs_both_parts_and_the_frameworks_local_share() -> None:
    plan = factories.complete_plan()
    FundingSource.objects.filter(plan=plan, kind="local").update(amount_tkr=Decimal(999))
    [item] = setup_checklist(plan)
    assert (item.step, item.code) == ("funding", "local_share_too_low")
    assert "25" in item.text
    FundingSource.objects.filter(plan=plan, kind="local").update(amount_tkr=Decimal(0))
    assert _codes(plan, "funding") == {"no_local"}


def test_users_are_advised_not_required() -> None:
    plan = factories.complete_plan()
    plan.memberships.filter(role=Role.COORDINATOR).delete()
    checklist = setup_checklist(plan)
    assert [(i.code, i.required) for i in checklist] == [("no_user_coordinator", False)]
    assert missing_count(checklist) == 0


def test_the_lbf_case_number_and_an_unknown_framework() -> None:
    plan = factories.complete_plan()
    plan.lbf_case_number = ""
    plan.framework = "findes-ikke"
    plan.save()
    assert {"lbf_case_number", "framework_unknown"} <= _codes(plan, "plan")


def _queries(plan) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        setup_checklist(plan)
    return len(ctx.captured_queries)


def test_the_checklist_queries_do_not_grow_with_the_plan() -> None:
    small = factories.complete_plan(areas=1, focus_areas=1, criteria=1)
    large = factories.complete_plan(areas=5, focus_areas=4, criteria=3)
    # Gaps in every row of the large plan: the items are many, the queries the same.
    AreaDepartment.objects.filter(area__plan=large).delete()
    Measure.objects.filter(plan=large).update(data_source="")
    assert len(setup_checklist(large)) > len(setup_checklist(small))
    assert _queries(small) == _queries(large)


def test_a_role_invited_but_not_answered_says_so_and_links_to_the_users_page() -> None:
    plan = factories.PlanFactory()
    factories.InvitationFactory(plan=plan, role=Role.LBF, email="fond@lbf.dk")
    factories.InvitationFactory(plan=plan, role=Role.BOARD, revoked_at=timezone.now())
    items = {i.code: i for i in setup_checklist(plan) if i.step == "users"}
    assert str(items["no_user_lbf"].text) == (
        "Rollen Landsbyggefonden er inviteret (fond@lbf.dk), men invitationen er ikke besvaret."
    )
    assert items["no_user_lbf"].url == f"/planer/{plan.slug}/brugere/"
    # A revoked invitation does not count: the board still needs one.
    assert str(items["no_user_board"].text) == "Ingen bruger har rollen Bestyrelsesmedlem."
    assert items["no_user_board"].url == f"/planer/{plan.slug}/brugere/inviter/"
