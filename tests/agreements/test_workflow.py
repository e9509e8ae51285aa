"""The LBF workflow: only an approved version is in force; nothing approved is edited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.accounts.models import Role
from helhedsplan.agreements import selectors, services
from helhedsplan.agreements.models import AgreementSection, AgreementVersion, VersionStatus
from helhedsplan.audit.models import AuditEntry
from helhedsplan.frameworks import catalogue
from helhedsplan.plans.models import Plan
from tests.agreements.conftest import client_as
from tests.editing import opened_version
from tests.files.samples import executable_bytes, pdf_bytes, upload


def _as(plan: Plan, *roles: Role) -> dict[str, Any]:
    """The plain values ``version_decide`` takes for a user with these roles."""
    access = PlanAccess(plan=plan, roles=frozenset(roles))
    return {
        "may_decide": access.may_decide_version,
        "letter_required": access.decision_needs_letter,
    }


def _v(plan: Plan, n: int) -> AgreementVersion:
    return AgreementVersion.objects.get(plan=plan, number=n)


@pytest.mark.demo  # about the seed's content: its agreement text and sections
def test_demo_has_the_seed_as_approved_version_1_and_version_2_awaiting_lbf(plan: Plan) -> None:
    v1, v2 = _v(plan, 1), _v(plan, 2)
    assert v1.status == VersionStatus.APPROVED and v1.in_force_from == date(2018, 1, 1)
    assert v2.status == VersionStatus.SUBMITTED
    assert [s.key for s in v1.sections.all()] == ["front", *[str(n) for n in range(1, 12)]]
    body = v1.sections.get(key="9").body
    assert body.startswith("Kompetencechefen er under alle forhold ansvarlig")
    assert "Demonstrationsændring" in v2.sections.get(key="6").body


@pytest.mark.usefixtures("versions")
def test_in_force_on_a_date(plan: Plan) -> None:
    assert selectors.agreement_in_force(plan, date(2017, 12, 31)) is None
    assert selectors.agreement_in_force(plan, date(2019, 6, 1)) == _v(plan, 1)
    services.version_decide(
        version=_v(plan, 2),
        **_as(plan, Role.LBF),
        approve=True,
        in_force_from=date(2020, 1, 1),
    )
    assert selectors.agreement_in_force(plan, date(2019, 12, 31)) == _v(plan, 1)
    assert selectors.agreement_in_force(plan, date(2020, 1, 1)) == _v(plan, 2)


@pytest.mark.usefixtures("versions")
def test_submitting_with_an_empty_required_section_is_refused(plan: Plan) -> None:
    services.version_decide(
        version=_v(plan, 2),
        **_as(plan, Role.LBF),
        approve=False,
        remarks="Uddyb afsnit 6.",
    )
    v2 = _v(plan, 2)
    services.agreement_section_update(section=v2.sections.get(key="9"), body="  ")
    with pytest.raises(ValidationError) as exc:
        services.agreement_version_submit(version=v2)
    assert exc.value.code == "section_empty"
    assert "9. Underretning" in exc.value.messages[0]
    assert _v(plan, 2).status == VersionStatus.RETURNED


@pytest.mark.usefixtures("versions")
def test_approving_a_version_that_is_not_submitted_is_refused(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        services.version_decide(version=_v(plan, 1), **_as(plan, Role.LBF), approve=True)
    assert exc.value.code == "version_not_submitted"


@pytest.mark.usefixtures("versions")
def test_returning_needs_remarks(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        services.version_decide(version=_v(plan, 2), **_as(plan, Role.LBF), approve=False)
    assert exc.value.code == "remarks_required"
    assert _v(plan, 2).status == VersionStatus.SUBMITTED


@pytest.mark.parametrize("role", [Role.BOARD, Role.AUDITOR, Role.COORDINATOR, Role.MUNICIPAL])
@pytest.mark.usefixtures("versions")
def test_approving_as_a_role_that_may_not_is_refused(plan: Plan, role: Role) -> None:
    with pytest.raises(ValidationError) as exc:
        services.version_decide(version=_v(plan, 2), **_as(plan, role), approve=True)
    assert exc.value.code == "not_allowed_to_decide"
    assert _v(plan, 2).status == VersionStatus.SUBMITTED


@pytest.mark.usefixtures("versions")
def test_secretariat_records_lbfs_decision_only_with_the_letter(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        services.version_decide(version=_v(plan, 2), **_as(plan, Role.SECRETARIAT), approve=True)
    assert exc.value.code == "lbf_letter_required"
    services.version_decide(
        version=_v(plan, 2),
        **_as(plan, Role.SECRETARIAT),
        approve=True,
        letter=upload("afgoerelse.pdf", pdf_bytes("Landsbyggefonden godkender")),
    )
    v2 = _v(plan, 2)
    assert v2.status == VersionStatus.APPROVED and v2.lbf_letter is not None


@pytest.mark.usefixtures("versions")
def test_a_renamed_executable_as_the_letter_is_refused_and_nothing_decided(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        services.version_decide(
            version=_v(plan, 2),
            **_as(plan, Role.SECRETARIAT),
            approve=True,
            letter=upload("brev.pdf", executable_bytes()),
        )
    assert exc.value.code == "file_type_not_allowed"
    assert _v(plan, 2).status == VersionStatus.SUBMITTED


@pytest.mark.usefixtures("versions")
def test_editing_an_approved_version_is_refused(plan: Plan) -> None:
    section = _v(plan, 1).sections.get(key="1")
    with pytest.raises(ValidationError) as exc:
        services.agreement_section_update(section=section, body="Ny tekst")
    assert exc.value.code == "version_not_editable"
    assert AgreementSection.objects.get(pk=section.pk).body != "Ny tekst"


@pytest.mark.usefixtures("versions")
def test_only_one_open_version_at_a_time(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agreement_version_create(plan=plan, sections={})
    assert exc.value.code == "open_version_exists"


@pytest.mark.usefixtures("versions")
def test_compare_marks_only_the_changed_section(plan: Plan) -> None:
    diffs = selectors.compare_versions(_v(plan, 1), _v(plan, 2))
    changed = [d.heading for d in diffs if d.changed]
    assert changed == ["6. Lokal evaluering"]
    assert "Demonstrationsændring" in next(d.html for d in diffs if d.changed)


@pytest.mark.usefixtures("versions")
def test_lbf_approves_in_the_system_and_it_is_audited(plan: Plan) -> None:
    url = reverse("agreements:version_decide", kwargs={"slug": plan.slug, "number": 2})
    response = client_as(plan, "lbf", Role.LBF).post(
        url, {"decision": "approve", "in_force_from": "2020-01-01"}
    )
    assert response.status_code == 302
    assert _v(plan, 2).status == VersionStatus.APPROVED
    entry = AuditEntry.objects.filter(
        content_type__model="agreementversion", object_pk=str(_v(plan, 2).pk)
    ).latest("timestamp")
    assert entry.actor is not None and entry.actor.username == "lbf"
    assert entry.changes["status"] == ["submitted", "approved"]


@pytest.mark.usefixtures("versions")
def test_editing_an_approved_section_through_the_page_shows_the_message(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("agreements:section_edit", kwargs={"slug": plan.slug, "number": 1, "key": "1"})
    client = client_for("secretariat")
    data = {"body": "Ny tekst", "version": opened_version(client.get(url))}
    response = client.post(url, data)
    assert "kan ikke ændres" in response.content.decode()


@pytest.mark.usefixtures("versions")
def test_version_in_force_page_on_a_date(plan: Plan, client_for: Callable[[str], Client]) -> None:
    url = reverse("agreements:overview", kwargs={"slug": plan.slug})
    text = client_for("board").get(url, {"dato": "2017-06-01"}).content.decode()
    assert "Ingen godkendt version var i kraft på den dato." in text
    text = client_for("board").get(url, {"dato": "2019-06-01"}).content.decode()
    assert "i kraft fra 1. januar 2018" in text


def test_a_plan_without_an_agreement_is_offered_its_first_version(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """A plan made in the product starts its agreement from the overview: version 1 with the
    framework's sections, no change note to write."""
    url = reverse("agreements:overview", kwargs={"slug": factory_plan.slug})
    page = client_for("secretariat").get(url).content.decode()
    assert 'data-testid="first-version"' in page and "Opret version 1" in page
    assert 'data-testid="first-version"' not in client_for("lbf").get(url).content.decode()
    create = reverse("agreements:version_create", kwargs={"slug": factory_plan.slug})
    hidden = "Første version af den strategiske samarbejdsaftale."
    response = client_for("secretariat").post(create, {"change_note": hidden})
    assert response.status_code == 302
    version = AgreementVersion.objects.get(plan=factory_plan)
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    assert version.sections.count() == len(catalogue.get(factory_plan.framework).sections)
    assert 'data-testid="first-version"' not in client_for("secretariat").get(url).content.decode()
