"""LBF's rule: local co-financing is at least 25 % of the total."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.audit.models import AuditEntry
from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.rules import FundingSummary
from helhedsplan.finance.services import FundingLine, funding_amounts_set, funding_budget_set
from helhedsplan.plans.models import Plan
from tests.editing import opened_version


def _ids(plan: Plan) -> tuple[int, int]:
    lbf = FundingSource.objects.get(plan=plan, kind="lbf").pk
    local = FundingSource.objects.get(plan=plan, kind="local").pk
    return lbf, local


@pytest.mark.parametrize(
    ("lbf", "local", "ok"),
    [(25000, 19450, True), (75, 25, True), (76, 24, False), (100, 0, False), (0, 0, False)],
)
def test_rule_boundaries(lbf: int, local: int, ok: bool) -> None:
    assert FundingSummary(lbf=Decimal(lbf), local=Decimal(local)).meets_minimum is ok


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_change_below_25_percent_is_refused_and_nothing_written(plan: Plan) -> None:
    lbf, local = _ids(plan)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        funding_amounts_set(plan=plan, amounts={lbf: Decimal(40000), local: Decimal(5000)})
    assert exc.value.code == "local_share_below_minimum"
    assert "mindst 25" in exc.value.messages[0]
    assert FundingSource.objects.get(pk=local).amount_tkr == Decimal(19450)
    assert FundingSource.objects.get(pk=lbf).amount_tkr == Decimal(25000)
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_valid_change_is_saved_and_audited(plan: Plan) -> None:
    _, local = _ids(plan)
    funding_amounts_set(plan=plan, amounts={local: Decimal(20000)})
    assert FundingSource.objects.get(pk=local).amount_tkr == Decimal(20000)
    entry = AuditEntry.objects.filter(object_pk=str(local)).latest("timestamp")
    assert entry.plan_id == plan.pk
    assert entry.changes["amount_tkr"] == ["19450", "20000"]


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_amounts_of_another_plan_are_refused(plan: Plan, other_plan: Plan) -> None:
    _, local = _ids(plan)
    with pytest.raises(ValidationError) as exc:
        funding_amounts_set(plan=other_plan, amounts={local: Decimal(1)})
    assert exc.value.code == "unknown_source"


def test_budget_set_refuses_a_plan_without_local_share(other_plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        funding_budget_set(
            plan=other_plan, lines=[FundingLine("lbf", "Landsbyggefonden", Decimal(1000))]
        )
    assert exc.value.code == "local_share_below_minimum"
    assert not FundingSource.objects.filter(plan=other_plan).exists()


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_funding_page_shows_the_rule_error_in_danish(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    lbf, local = _ids(plan)
    url = reverse("finance:funding_edit", kwargs={"slug": plan.slug})
    client = client_for("secretariat")
    response = client.post(
        url,
        {
            "version": opened_version(client.get(url)),
            f"amount_{lbf}": "40.000",
            f"amount_{local}": "5.000",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Den lokale medfinansiering skal udgøre mindst 25" in text
    assert "Intet er gemt" in text
    assert FundingSource.objects.get(pk=local).amount_tkr == Decimal(19450)


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_funding_page_saves_danish_thousands(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    lbf, local = _ids(plan)
    url = reverse("finance:funding_edit", kwargs={"slug": plan.slug})
    client = client_for("secretariat")
    response = client.post(
        url,
        {
            "version": opened_version(client.get(url)),
            f"amount_{lbf}": "25.000",
            f"amount_{local}": "20.000",
        },
    )
    assert response.status_code == 302
    assert FundingSource.objects.get(pk=local).amount_tkr == Decimal(20000)


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_negative_amount_gets_a_field_error(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    lbf, local = _ids(plan)
    url = reverse("finance:funding_edit", kwargs={"slug": plan.slug})
    client = client_for("secretariat")
    response = client.post(
        url,
        {
            "version": opened_version(client.get(url)),
            f"amount_{lbf}": "25000",
            f"amount_{local}": "-1",
        },
    )
    assert "Beløbet må ikke være negativt." in response.content.decode()


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_funding_page_shows_the_demo_figures_as_danish_thousands(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    lbf, local = _ids(plan)
    url = reverse("finance:funding_edit", kwargs={"slug": plan.slug})
    text = client_for("secretariat").get(url).content.decode()
    assert f'name="amount_{lbf}" value="25.000"' in text
    assert f'name="amount_{local}" value="19.450"' in text
    assert "Landsbyggefondens bevilling" not in text  # the set-up rows are for a plan without
