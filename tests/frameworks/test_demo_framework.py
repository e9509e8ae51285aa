"""The Slagelse demo is the 2015-18 framework's plan: its rules are the framework's, its
focus areas are chosen from it, and nothing of the framework is missing. About the seed's
content, so it uses the demo."""

from __future__ import annotations

import pytest

from helhedsplan.frameworks import catalogue
from helhedsplan.organisation.models import Body, CompositionRule
from helhedsplan.organisation.selectors import missing_from_framework
from helhedsplan.organisation.services import organisation_from_framework
from helhedsplan.plans.models import Plan

pytestmark = pytest.mark.demo


def test_the_demo_is_a_2015_18_plan_with_the_frameworks_focus_areas(demo_plan: Plan) -> None:
    assert demo_plan.framework == "2015-18"
    keys = list(demo_plan.focus_areas.order_by("order").values_list("code", "framework_key"))
    assert keys == [
        ("5.1", "tryghed-og-trivsel"),
        ("5.2", "kriminalpraeventiv-indsats"),
        ("5.3", "uddannelse-og-beskaeftigelse"),
        ("5.4", "forebyggelse-og-foraeldreansvar"),
    ]


def test_the_demos_rules_are_the_frameworks_in_its_order(demo_plan: Plan) -> None:
    framework = catalogue.get("2015-18")
    rules = CompositionRule.objects.filter(plan=demo_plan).order_by("order")
    assert [(r.order, r.body_kind, r.kind, r.params, r.hard, r.description) for r in rules] == [
        (n, t.body_kind, t.kind, t.params, t.hard, t.wording("Slagelse Kommune"))
        for n, t in enumerate(framework.rules)
    ]
    assert any(r.description == "En direktør fra Slagelse Kommune." for r in rules)


def test_organisation_from_framework_adds_nothing_to_the_demo(demo_plan: Plan) -> None:
    missing = missing_from_framework(demo_plan, catalogue.get("2015-18"))
    assert missing.nothing_missing and missing.plan_specific == []
    bodies, rules = Body.objects.filter(plan=demo_plan).count(), demo_plan.composition_rules.count()
    assert organisation_from_framework(plan=demo_plan) == []
    assert Body.objects.filter(plan=demo_plan).count() == bodies
    assert demo_plan.composition_rules.count() == rules
