"""Every change of domain data is in the trail: who, when, from what to what."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.models import Role
from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.models import AuditEntry
from helhedsplan.audit.services import audit_event
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories
from tests.editing import opened_version


@pytest.fixture(autouse=True)
def _focus_areas(plan: Plan) -> None:
    """Focus areas 5.1 and 5.2, which the tests edit (the demo has them already)."""
    for code in ("5.1", "5.2"):
        if not FocusArea.objects.filter(plan=plan, code=code).exists():
            factories.FocusAreaFactory(plan=plan, code=code, sub_goals="Et delmål")


def _edit_focus_area(client: Client, plan: Plan, purpose: str) -> None:
    fa = FocusArea.objects.get(plan=plan, code="5.2")
    url = reverse("plans:focus_area_edit", kwargs={"slug": plan.slug, "code": "5.2"})
    response = client.post(
        url,
        {
            "version": opened_version(client.get(url)),
            "name": fa.name,
            "purpose": purpose,
            "sub_goals": fa.sub_goals,
            "target_groups": fa.target_groups,
        },
    )
    assert response.status_code == 302


def test_a_change_records_who_and_from_what_to_what(plan: Plan) -> None:
    old = FocusArea.objects.get(plan=plan, code="5.2").purpose
    client = Client()
    client.force_login(factories.user_named(plan, "sekretariat", Role.SECRETARIAT))
    _edit_focus_area(client, plan, "Nyt formål")
    entry = AuditEntry.objects.filter(plan=plan, action=AuditEntry.Action.UPDATE).latest(
        "timestamp"
    )
    assert entry.actor is not None and entry.actor.username == "sekretariat"
    assert entry.changes["purpose"] == [old, "Nyt formål"]
    assert entry.timestamp is not None


def test_create_and_delete_are_recorded(plan: Plan) -> None:
    fa = FocusArea.objects.create(plan=plan, code="9.9", name="Midlertidig")
    pk = fa.pk
    fa.delete()
    actions = list(
        AuditEntry.objects.filter(object_pk=str(pk), content_type__model="focusarea")
        .order_by("timestamp")
        .values_list("action", flat=True)
    )
    assert actions == [AuditEntry.Action.CREATE, AuditEntry.Action.DELETE]


def test_reason_is_carried_to_the_entry(plan: Plan) -> None:
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    with audit_reason("Bestyrelsen besluttede det 1. marts 2019"):
        fa.name = "Tryghed & trivsel"
        fa.save()
    entry = AuditEntry.objects.filter(object_pk=str(fa.pk)).latest("timestamp")
    assert entry.reason == "Bestyrelsen besluttede det 1. marts 2019"
    fa.name = "Tryghed og trivsel"
    fa.save()
    assert AuditEntry.objects.filter(object_pk=str(fa.pk)).latest("timestamp").reason == ""


def test_business_events_join_the_same_trail(plan: Plan) -> None:
    entry = audit_event(instance=plan, event="plan.exported", changes={"format": "pdf"})
    assert entry.plan_id == plan.pk and entry.event == "plan.exported"


def test_plan_trail_page_shows_changes_and_only_this_plans(
    plan: Plan, other_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    _edit_focus_area(client_for("secretariat"), plan, "Et helt nyt formål")
    other_plan.name = "Hemmelig omdøbning"
    other_plan.save()
    text = (
        client_for("auditor")
        .get(reverse("audit:plan", kwargs={"slug": plan.slug}))
        .content.decode()
    )
    assert "Et helt nyt formål" in text
    assert "Hemmelig omdøbning" not in text


def test_object_history_fragment(plan: Plan, client_for: Callable[[str], Client]) -> None:
    _edit_focus_area(client_for("secretariat"), plan, "Formål til historikken")
    fa = FocusArea.objects.get(plan=plan, code="5.2")
    url = reverse(
        "audit:object",
        kwargs={
            "slug": plan.slug,
            "ct": ContentType.objects.get_for_model(FocusArea).pk,
            "pk": fa.pk,
        },
    )
    response = client_for("board").get(url, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "Formål til historikken" in text
    assert "<html" not in text  # a fragment for htmx


def test_object_history_of_another_plans_object_is_empty(
    plan: Plan, other_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    other_plan.name = "Skjult navn"
    other_plan.save()
    url = reverse(
        "audit:object",
        kwargs={
            "slug": plan.slug,
            "ct": ContentType.objects.get_for_model(Plan).pk,
            "pk": other_plan.pk,
        },
    )
    assert "Skjult navn" not in client_for("secretariat").get(url).content.decode()
