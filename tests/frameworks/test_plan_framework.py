"""A plan reads its own framework: the agreement's sections, the attachments checklist, the
organisation created from the framework, and the framework page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from helhedsplan.agreements import services as agreements
from helhedsplan.agreements.attachments import checklist
from helhedsplan.agreements.package import _why_missing
from helhedsplan.frameworks import catalogue
from helhedsplan.frameworks.services import focus_areas_link_to_framework
from helhedsplan.organisation.models import Body, CompositionRule
from helhedsplan.organisation.services import (
    composition_rule_upsert,
    organisation_from_framework,
)
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories
from tests.files.samples import pdf_bytes

pytestmark = pytest.mark.django_db


def _plan(framework: str) -> Plan:
    return factories.small_plan(framework=framework)


@pytest.mark.parametrize("code", ["2015-18", "2019-26"])
def test_a_new_agreement_version_has_the_frameworks_sections(code: str) -> None:
    plan = _plan(code)
    version = agreements.agreement_version_create(plan=plan, sections={})
    framework = catalogue.get(code)
    assert [(s.key, s.title) for s in version.sections.order_by("order")] == (
        framework.section_keys()
    )


def test_a_2019_26_plan_gets_2019_26_headings_and_submits_without_the_unknown_ones() -> None:
    plan = _plan("2019-26")
    required = catalogue.get("2019-26").required_section_keys()
    version = agreements.agreement_version_create(
        plan=plan, sections={key: "Tekst." for key in required}
    )
    headings = [s.heading for s in version.sections.order_by("order")]
    assert headings[:3] == [
        "Aftaledokumenter og parter",
        "Organisering",
        "Indsatsområder: indsatser, mål og indikatorer",
    ]
    assert "5. Indsatsområder" not in headings  # the 2015-18 numbering is not carried over
    agreements.agreement_version_submit(version=version)  # the unknown sections may be empty


def test_a_2015_18_plan_refuses_submission_with_an_empty_section() -> None:
    plan = _plan("2015-18")
    version = agreements.agreement_version_create(plan=plan, sections={"1": "Formål."})
    with pytest.raises(ValidationError) as caught:
        agreements.agreement_version_submit(version=version)
    assert caught.value.code == "section_empty"


def test_the_checklist_lists_the_plans_frameworks_attachments() -> None:
    old, new = _plan("2015-18"), _plan("2019-26")
    assert [i.kind for i in checklist(old)] == [
        k for k, _ in catalogue.get("2015-18").attachment_keys()
    ]
    items = {i.kind: i for i in checklist(new)}
    assert list(items) == [k for k, _ in catalogue.get("2019-26").attachment_keys()]
    assert "contingency_plan" not in items
    # Unknown requirements are shown as such, with their source, not hidden.
    other = items["other_required"]
    assert (other.state, other.state_label, other.known) == (
        "unknown",
        "Krav ikke kendt",
        "unknown",
    )
    assert other.source in other.remark
    assert other.is_missing and other.source in _why_missing(other)
    assert items["sub_agreements"].known == "unverified"


def test_an_upload_of_an_attachment_outside_the_framework_is_refused() -> None:
    plan = _plan("2019-26")
    upload = SimpleUploadedFile("beredskab.pdf", pdf_bytes("Beredskab"))
    with pytest.raises(ValidationError) as caught:
        agreements.plan_attachment_upload(plan=plan, kind="contingency_plan", upload=upload)
    assert caught.value.code == "attachment_not_in_framework"
    assert not plan.attachments.exists()
    upload = SimpleUploadedFile("andet.pdf", pdf_bytes("Andet"))
    agreements.plan_attachment_upload(plan=plan, kind="other_required", upload=upload)
    item = next(i for i in checklist(plan) if i.kind == "other_required")
    assert item.state == "complete"
    assert str(plan.attachments.get()).startswith("Øvrige bilag")


def test_organisation_from_framework_creates_what_is_missing_once() -> None:
    plan = _plan("2015-18")
    board = Body.objects.get(plan=plan, kind="board")
    created = organisation_from_framework(plan=plan)
    assert sorted(b.slug for b in created) == [
        "beboerhus-nord",
        "beboerhus-syd",
        "foelgegruppe-nord",
        "foelgegruppe-syd",
        "formandskab",
        "koordinationsgruppe",
        "koordinatorer",
        "sekretariat",
    ]
    assert Body.objects.get(plan=plan, kind="board") == board  # kept, not duplicated
    assert Body.objects.get(slug="foelgegruppe-syd", plan=plan).name == (
        "Lokal følgegruppe – Sydparken"
    )
    framework = catalogue.get("2015-18")
    general = [r for r in framework.rules if not r.plan_specific]
    rules = list(CompositionRule.objects.filter(plan=plan).order_by("order"))
    assert [(r.body_kind, r.kind, r.params) for r in rules] == [
        (t.body_kind, t.kind, t.params) for t in general
    ]
    municipality = str(plan.municipality)
    assert any(r.description == f"En direktør fra {municipality}." for r in rules)
    assert not any("{kommune}" in r.description for r in rules)
    bodies, rule_count = Body.objects.filter(plan=plan).count(), len(rules)
    assert organisation_from_framework(plan=plan) == []
    assert (Body.objects.filter(plan=plan).count(), plan.composition_rules.count()) == (
        bodies,
        rule_count,
    )


def test_organisation_from_framework_keeps_the_plans_own_rules() -> None:
    plan = _plan("2019-26")
    own = composition_rule_upsert(
        plan=plan,
        body_kind="board",
        kind="max_members",
        params={"max": 9},
        hard=True,
        description="Højst ni medlemmer.",
        order=0,
    )
    created = organisation_from_framework(plan=plan)
    assert sorted(b.kind for b in created) == ["follow_up_group", "follow_up_group", "secretariat"]
    own.refresh_from_db()
    assert (own.order, own.params, own.description) == (0, {"max": 9}, "Højst ni medlemmer.")
    assert list(plan.composition_rules.order_by("order").values_list("order", "kind")) == [
        (0, "max_members"),
        (1, "one_per_housing_organisation"),
        (2, "requires_member"),
    ]


def test_focus_areas_are_linked_to_the_framework_by_name() -> None:
    plan = _plan("2015-18")
    factories.FocusAreaFactory(plan=plan, code="5.9", name="Noget helt andet", order=9)
    linked = focus_areas_link_to_framework(plan=plan)
    assert [(fa.code, fa.framework_key) for fa in linked] == [("5.1", "tryghed-og-trivsel")]
    assert focus_areas_link_to_framework(plan=plan) == []


def test_the_from_framework_page_creates_on_post_for_the_secretariat(
    factory_client_for: Callable[[str], Client], factory_plan: Plan
) -> None:
    url = reverse("organisation:from_framework", kwargs={"slug": factory_plan.slug})
    page = factory_client_for("secretariat").get(url).content.decode()
    assert "Opret organer og regler fra rammen" in page and "Formandskab" in page
    assert "Opret organer og regler fra rammen" not in (
        factory_client_for("board").get(url).content.decode()
    )
    overview = reverse("organisation:overview", kwargs={"slug": factory_plan.slug})
    assert url in factory_client_for("secretariat").get(overview).content.decode()
    response = factory_client_for("secretariat").post(url)
    assert response.status_code == 302 and response["Location"] == overview
    assert factory_plan.bodies.count() == 9
    page = factory_client_for("secretariat").get(url).content.decode()
    assert "Planen har alle rammens organer." in page
    assert "Opret organer og regler fra rammen" not in page
    assert factory_client_for("board").post(url).status_code == 403


@pytest.mark.parametrize("role", factories.ROLES)
def test_the_framework_page_shows_the_framework_and_what_the_plan_has(
    role: str,
    factory_client_for: Callable[[str], Client],
    factory_plan: Plan,
    django_assert_max_num_queries: Any,
) -> None:
    factory_plan.framework = "2019-26"
    factory_plan.save()
    FocusArea.objects.filter(plan=factory_plan).update(framework_key="kriminalitetsforebyggelse")
    url = reverse("plans:framework", kwargs={"slug": factory_plan.slug})
    client = factory_client_for(role)
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Landsbyggefondens 2019-26-midler" in page
    assert 'data-known="unknown"' in page and 'data-known="unverified"' in page
    assert 'data-known="verified"' not in page
    assert "5.1 Tryghed og trivsel" in page  # chosen from the framework, by its key
    assert "Øvrige bilag, som regulativet eller skabelonen kræver" in page
    overview = reverse("plans:overview", kwargs={"slug": factory_plan.slug})
    assert url in client.get(overview).content.decode()
