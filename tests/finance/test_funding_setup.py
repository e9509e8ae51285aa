"""Setting up the funding of a plan made in the product, adding and removing a source."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.audit.models import AuditEntry
from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.services import funding_source_remove
from helhedsplan.plans.models import HousingOrganisation, Plan
from tests import factories
from tests.editing import opened_version

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def _url(plan: Plan, name: str = "funding_edit", **kwargs: object) -> str:
    return reverse(f"finance:{name}", kwargs={"slug": plan.slug, **kwargs})


def _funding(plan: Plan) -> list[tuple[str, str, Decimal]]:
    return [
        (s.kind, s.name, s.amount_tkr)
        for s in FundingSource.objects.filter(plan=plan).order_by("order", "pk")
    ]


@pytest.fixture
def organisation(plan: Plan) -> HousingOrganisation:
    org = factories.HousingOrganisationFactory(name="Boligselskabet Nord")
    plan.housing_organisations.add(org)
    return org


def test_a_plan_without_funding_is_offered_the_rows(
    plan: Plan, organisation: HousingOrganisation, client_for: Clients
) -> None:
    assert not FundingSource.objects.filter(plan=plan).exists()
    page = client_for("secretariat").get(_url(plan)).content.decode()
    assert "Landsbyggefondens bevilling" in page
    assert f"{plan.municipality.name} (kommunens medfinansiering)" in page
    assert "Boligselskabet Nord (boligorganisationens medfinansiering)" in page
    assert "<legend>Anden kilde</legend>" in page
    assert 'for="id_other_name"' in page and 'id="id_other_name"' in page


def test_an_empty_plan_sets_up_its_funding_in_one_go(
    plan: Plan, organisation: HousingOrganisation, client_for: Clients
) -> None:
    org_field = f"org_{organisation.pk}"
    audit_before = AuditEntry.objects.count()
    response = client_for("secretariat").post(
        _url(plan),
        {
            "lbf": "3.000",
            "municipality": "600",
            org_field: "400",
            "other_kind": "local",
            "other_name": "Fonden for Tryghed",
            "other_amount": "1.000",
        },
    )
    assert response.status_code == 302
    municipality = plan.municipality.name
    assert _funding(plan) == [
        ("lbf", "Landsbyggefonden", Decimal(3000)),
        ("local", municipality, Decimal(600)),
        ("local", "Boligselskabet Nord", Decimal(400)),
        ("local", "Fonden for Tryghed", Decimal(1000)),
    ]
    created = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(FundingSource), plan=plan
    )
    assert created.count() == 4
    assert AuditEntry.objects.count() > audit_before


def test_rows_without_an_amount_are_not_created(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(
        _url(plan), {"lbf": "3.000", "municipality": "1.000", "other_kind": "local"}
    )
    assert response.status_code == 302
    assert [name for _kind, name, _amount in _funding(plan)] == [
        "Landsbyggefonden",
        plan.municipality.name,
    ]


def test_the_rule_refuses_a_too_low_local_share_and_writes_nothing(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    audit_before = AuditEntry.objects.count()
    response = client.post(
        _url(plan), {"lbf": "3.000", "municipality": "999", "other_kind": "local"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Den lokale medfinansiering skal udgøre mindst 25" in text
    assert "error-summary" in text
    assert not FundingSource.objects.filter(plan=plan).exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"other_kind": "local"}, "Skriv mindst ét beløb."),
        ({"lbf": "3.000", "other_kind": "local", "other_amount": "1.000"}, "Skriv navnet"),
        ({"lbf": "3.000", "other_kind": "local", "other_name": "X"}, "Skriv beløbet for X."),
        ({"lbf": "tre", "municipality": "1.000", "other_kind": "local"}, "Skriv et tal"),
        ({"lbf": "-3", "other_kind": "local"}, "Beløbet må ikke være negativt."),
    ],
)
def test_bad_setup_input_says_what_and_writes_nothing(
    plan: Plan, client_for: Clients, data: dict[str, str], message: str
) -> None:
    response = client_for("secretariat").post(_url(plan), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FundingSource.objects.filter(plan=plan).exists()


def _budget(plan: Plan) -> tuple[FundingSource, FundingSource]:
    lbf = factories.FundingSourceFactory(
        plan=plan, kind="lbf", name="Landsbyggefonden", amount_tkr=Decimal(3000), order=0
    )
    local = factories.FundingSourceFactory(
        plan=plan, kind="local", name="Kommunen", amount_tkr=Decimal(1000), order=1
    )
    return lbf, local


def test_a_plan_with_funding_edits_its_amounts_and_can_add_a_source(
    plan: Plan, client_for: Clients
) -> None:
    lbf, local = _budget(plan)
    client = client_for("secretariat")
    page = client.get(_url(plan))
    text = page.content.decode()
    assert 'value="3.000"' in text and 'value="1.000"' in text
    assert "<legend>Tilføj en kilde</legend>" in text
    response = client.post(
        _url(plan, "funding_source_add"),
        {"add-kind": "local", "add-name": "Boligselskabet", "add-amount": "500"},
    )
    assert response.status_code == 302
    assert _funding(plan)[-1] == ("local", "Boligselskabet", Decimal(500))
    # The amounts form still saves (its version is the sources' after the addition).
    response = client.post(
        _url(plan),
        {"version": opened_version(client.get(_url(plan))), f"amount_{local.pk}": "1.500",
         f"amount_{lbf.pk}": "3.000", **{
             f"amount_{s.pk}": "500" for s in FundingSource.objects.filter(name="Boligselskabet")
         }},
    )  # fmt: skip
    assert response.status_code == 302
    assert FundingSource.objects.get(pk=local.pk).amount_tkr == Decimal(1500)


def test_adding_a_source_checks_the_name_and_the_rule(plan: Plan, client_for: Clients) -> None:
    _budget(plan)
    client = client_for("secretariat")
    response = client.post(
        _url(plan, "funding_source_add"),
        {"add-kind": "local", "add-name": "Kommunen", "add-amount": "500"},
    )
    assert "allerede en finansieringskilde, der hedder Kommunen" in response.content.decode()
    response = client.post(
        _url(plan, "funding_source_add"),
        {"add-kind": "lbf", "add-name": "Ekstra LBF", "add-amount": "10.000"},
    )
    assert "mindst 25" in response.content.decode()
    assert len(_funding(plan)) == 2


def test_removing_a_source(plan: Plan, client_for: Clients) -> None:
    _lbf, local = _budget(plan)
    extra = factories.FundingSourceFactory(
        plan=plan, kind="local", name="Fonden", amount_tkr=Decimal(200), order=2
    )
    response = client_for("secretariat").post(_url(plan, "funding_source_remove", pk=extra.pk))
    assert response.status_code == 302
    assert not FundingSource.objects.filter(pk=extra.pk).exists()
    entry = AuditEntry.objects.filter(object_pk=str(extra.pk)).latest("timestamp")
    assert entry.plan_id == plan.pk
    assert FundingSource.objects.filter(pk=local.pk).exists()


def test_removing_a_source_that_breaks_the_rule_is_refused(plan: Plan, client_for: Clients) -> None:
    _lbf, local = _budget(plan)
    with pytest.raises(ValidationError) as exc:
        funding_source_remove(source=local)
    assert exc.value.code == "local_share_below_minimum"
    response = client_for("secretariat").post(_url(plan, "funding_source_remove", pk=local.pk))
    assert response.status_code == 200
    assert "Den lokale medfinansiering skal udgøre mindst 25" in response.content.decode()
    assert FundingSource.objects.filter(pk=local.pk).exists()


def test_a_source_of_another_plan_is_not_found(
    plan: Plan, other_plan: Plan, client_for: Clients
) -> None:
    _lbf, local = _budget(other_plan)
    response = client_for("secretariat").post(_url(plan, "funding_source_remove", pk=local.pk))
    assert response.status_code == 404
    assert FundingSource.objects.filter(pk=local.pk).exists()


@pytest.mark.parametrize("role", ["coordinator", "municipal", "board", "lbf", "auditor"])
def test_only_the_secretariat_sets_up_funding(plan: Plan, client_for: Clients, role: str) -> None:
    client = client_for(role)
    assert client.post(_url(plan), {"lbf": "3.000", "municipality": "1.000"}).status_code == 403
    assert client.post(_url(plan, "funding_source_add"), {}).status_code == 403
    assert not FundingSource.objects.filter(plan=plan).exists()
