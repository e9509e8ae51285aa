"""The budget's lines and amounts: every bad input refused with a Danish message naming the
cell, nothing written; LBF's 25 % rule for the whole period."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.finance import services
from helhedsplan.finance.models import BudgetAmount, BudgetLine, FinanceSettings, Party
from helhedsplan.finance.rules import FundingSummary
from tests import factories
from tests.finance.budget_helpers import Budget, budget_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def b() -> Budget:
    return budget_plan()


def _cells(b: Budget) -> list[tuple[int, int, int, Decimal]]:
    return sorted(
        BudgetAmount.objects.filter(line__plan=b.plan).values_list(
            "line_id", "source_id", "year", "amount"
        )
    )


def _refused(
    b: Budget, cells: Mapping[tuple[int, int, int], Decimal | None], **kw: str
) -> list[str]:
    before = _cells(b)
    with pytest.raises(ValidationError) as exc:
        services.budget_amounts_set(plan=b.plan, cells=cells, **kw)
    assert _cells(b) == before, "nothing may be written"
    return [e.code or "" for e in exc.value.error_list]


def test_amounts_are_set_changed_and_removed(b: Budget) -> None:
    cells = {
        (b.staff.pk, b.lbf.pk, 2018): Decimal("750000"),
        (b.staff.pk, b.local.pk, 2018): Decimal("250000.50"),
    }
    assert services.budget_amounts_set(plan=b.plan, cells=cells).created == 2
    change = services.budget_amounts_set(
        plan=b.plan,
        cells={
            (b.staff.pk, b.lbf.pk, 2018): Decimal("700000"),
            (b.staff.pk, b.local.pk, 2019): None,
        },
    )
    assert (change.created, change.changed, change.removed) == (0, 1, 0)
    assert _cells(b) == [
        (b.staff.pk, b.lbf.pk, 2018, Decimal("700000.00")),
        (b.staff.pk, b.local.pk, 2018, Decimal("250000.50")),
    ]
    gone = {(b.staff.pk, b.lbf.pk, 2018): Decimal(0), (b.staff.pk, b.local.pk, 2018): None}
    change = services.budget_amounts_set(plan=b.plan, cells=gone)
    assert change.removed == 2 and _cells(b) == []


def test_a_negative_amount_is_refused_naming_line_year_and_source(b: Budget) -> None:
    cells = {
        (b.staff.pk, b.lbf.pk, 2018): Decimal(100),
        (b.staff.pk, b.local.pk, 2019): Decimal("-1250.50"),
    }
    before = _cells(b)
    with pytest.raises(ValidationError) as exc:
        services.budget_amounts_set(plan=b.plan, cells=cells)
    assert _cells(b) == before
    assert exc.value.error_list[0].code == "negative_amount"
    assert exc.value.messages == [
        "Løn: koordinator, 2019, Kommunen: beløbet må ikke være negativt (-1.250,50 kr.)."
    ]


def test_a_year_outside_the_period_is_refused(b: Budget) -> None:
    cells = {(b.staff.pk, b.lbf.pk, 2022): Decimal(100)}
    assert _refused(b, cells) == ["year_outside_period"]


def test_a_line_or_source_of_another_plan_is_refused(b: Budget) -> None:
    other = budget_plan()
    assert _refused(b, {(other.staff.pk, b.lbf.pk, 2018): Decimal(1)}) == ["unknown_line"]
    assert _refused(b, {(b.staff.pk, other.lbf.pk, 2018): Decimal(1)}) == ["unknown_source"]


def test_every_bad_cell_is_reported_and_nothing_written(b: Budget) -> None:
    cells = {
        (b.staff.pk, b.local.pk, 2018): Decimal(500),  # good
        (b.staff.pk, b.lbf.pk, 2030): Decimal(1),
        (b.activities.pk, b.lbf.pk, 2018): Decimal("-1"),
        (b.activities.pk, b.local.pk, 2018): Decimal("1.001"),
    }
    codes = _refused(b, cells)
    assert codes == ["year_outside_period", "negative_amount", "too_many_decimals"]


def test_the_period_below_25_percent_local_is_refused(b: Budget) -> None:
    cells = {
        (b.staff.pk, b.lbf.pk, 2018): Decimal(760),
        (b.staff.pk, b.local.pk, 2018): Decimal(240),
    }
    assert _refused(b, cells) == ["local_share_below_minimum"]
    with pytest.raises(ValidationError) as exc:
        services.budget_amounts_set(plan=b.plan, cells=cells)
    assert "24,0\u00a0%" in exc.value.messages[0] and "Intet er gemt" in exc.value.messages[0]


def test_one_year_below_25_percent_is_allowed_when_the_period_holds(b: Budget) -> None:
    """2018 is all LBF (0 % local); over the period the local share is 25 %."""
    cells = {
        (b.staff.pk, b.lbf.pk, 2018): Decimal(300),
        (b.staff.pk, b.lbf.pk, 2019): Decimal(300),
        (b.staff.pk, b.local.pk, 2019): Decimal(200),
    }
    services.budget_amounts_set(plan=b.plan, cells=cells)
    assert len(_cells(b)) == 3


def test_a_stale_budget_form_is_refused(b: Budget) -> None:
    opened = services.budget_version(b.plan)
    services.budget_amounts_set(plan=b.plan, cells={(b.staff.pk, b.local.pk, 2018): Decimal(5)})
    codes = _refused(b, {(b.staff.pk, b.local.pk, 2018): Decimal(6)}, version=opened)
    assert codes == ["stale_edit"]
    services.budget_amounts_set(
        plan=b.plan, cells={(b.staff.pk, b.local.pk, 2018): Decimal(6)},
        version=services.budget_version(b.plan),
    )  # fmt: skip


def test_rule_below_minimum_is_only_for_money() -> None:
    assert FundingSummary(lbf=Decimal(0), local=Decimal(0)).below_minimum is False
    assert FundingSummary(lbf=Decimal(76), local=Decimal(24)).below_minimum is True
    assert FundingSummary(lbf=Decimal(75), local=Decimal(25)).below_minimum is False


# --- lines -----------------------------------------------------------------------------------


def test_a_line_is_created_last_renamed_and_reordered(b: Budget) -> None:
    line = services.budget_line_create(plan=b.plan, kind="administration", name=" Administration ")
    assert (line.name, line.order) == ("Administration", 2)
    services.budget_line_update(
        line=line, kind="evaluation", name="Evaluering", focus_area=None,
        version=services.budget_line_version(line),
    )  # fmt: skip
    assert services.budget_line_move(line=line, up=True) is True
    names = list(BudgetLine.objects.filter(plan=b.plan).values_list("name", flat=True))
    assert names == ["Løn: koordinator", "Evaluering", "Aktiviteter 5.1"]
    first = BudgetLine.objects.get(pk=b.staff.pk)
    assert services.budget_line_move(line=first, up=True) is False


@pytest.mark.parametrize(
    ("kind", "name", "focus", "code"),
    [
        ("activities", "Aktiviteter uden område", False, "focus_area_required"),
        ("staff", "løn: KOORDINATOR", False, "duplicate_name"),
        ("staff", "  ", False, "required"),
        ("staff", "Fremmed område", True, "focus_area_not_in_plan"),
    ],
)
def test_a_bad_line_is_refused(b: Budget, kind: str, name: str, focus: bool, code: str) -> None:
    focus_area = factories.FocusAreaFactory() if focus else None
    with pytest.raises(ValidationError) as exc:
        services.budget_line_create(plan=b.plan, kind=kind, name=name, focus_area=focus_area)
    assert [e.code for errors in exc.value.error_dict.values() for e in errors] == [code]
    assert BudgetLine.objects.filter(plan=b.plan).count() == 2


def test_a_line_with_amounts_or_spending_is_not_removed(b: Budget) -> None:
    services.budget_amounts_set(plan=b.plan, cells={(b.staff.pk, b.local.pk, 2018): Decimal(5)})
    with pytest.raises(ValidationError) as exc:
        services.budget_line_remove(line=b.staff)
    assert exc.value.code == "line_has_amounts" and "Løn: koordinator" in exc.value.messages[0]
    factories.ActualSpendingFactory(line=b.activities, source=b.local)
    with pytest.raises(ValidationError) as exc:
        services.budget_line_remove(line=b.activities)
    assert exc.value.code == "line_has_spending"
    empty = services.budget_line_create(plan=b.plan, kind="other", name="Øvrigt")
    services.budget_line_remove(line=empty)
    assert BudgetLine.objects.filter(plan=b.plan).count() == 2


def test_a_source_the_budget_uses_is_not_removed(b: Budget) -> None:
    services.budget_amounts_set(plan=b.plan, cells={(b.staff.pk, b.local.pk, 2018): Decimal(5)})
    extra = factories.FundingSourceFactory(plan=b.plan, kind="local", name="Ekstra", amount_tkr=0)
    factories.BudgetAmountFactory(line=b.activities, source=extra, amount=Decimal(1))
    with pytest.raises(ValidationError) as exc:
        services.funding_source_remove(source=extra)
    assert exc.value.code == "source_in_budget"


# --- parties ---------------------------------------------------------------------------------


def test_parties_are_set_with_the_amounts(b: Budget) -> None:
    org = factories.HousingOrganisationFactory(name="Boligselskabet Test")
    b.plan.housing_organisations.add(org)
    services.funding_amounts_set(
        plan=b.plan,
        amounts={b.local.pk: Decimal(1000)},
        parties={b.local.pk: (Party.HOUSING_ORGANISATION, org.pk), b.lbf.pk: (Party.LBF, None)},
    )
    b.local.refresh_from_db()
    assert (b.local.party, b.local.housing_organisation_id) == (Party.HOUSING_ORGANISATION, org.pk)


@pytest.mark.parametrize(
    ("which", "party", "org", "code"),
    [
        ("lbf", Party.MUNICIPALITY, False, "party_kind_mismatch"),
        ("local", Party.LBF, False, "party_kind_mismatch"),
        ("local", Party.HOUSING_ORGANISATION, False, "organisation_required"),
        ("local", Party.HOUSING_ORGANISATION, True, "organisation_not_in_plan"),
        ("local", "bank", False, "unknown_party"),
    ],
)
def test_a_bad_party_is_refused(b: Budget, which: str, party: str, org: bool, code: str) -> None:
    source = getattr(b, which)
    organisation = factories.HousingOrganisationFactory().pk if org else None
    with pytest.raises(ValidationError) as exc:
        services.funding_amounts_set(
            plan=b.plan, amounts={}, parties={source.pk: (party, organisation)}
        )
    assert exc.value.code == code
    source.refresh_from_db()
    assert source.party in (Party.LBF, Party.MUNICIPALITY)


def test_the_setup_names_who_pays_each_source() -> None:
    plan = factories.small_plan()
    org = factories.HousingOrganisationFactory(name="Boligselskabet Syd")
    plan.housing_organisations.add(org)
    services.funding_budget_set(
        plan=plan,
        lines=[
            services.FundingLine("lbf", "Landsbyggefonden", Decimal(300)),
            services.FundingLine(
                "local", "Boligselskabet Syd", Decimal(100), Party.HOUSING_ORGANISATION, org.pk
            ),
        ],
    )
    parties = dict(plan.funding.values_list("name", "party"))
    assert parties == {"Landsbyggefonden": "lbf", "Boligselskabet Syd": "housing_organisation"}


# --- the column mapping ----------------------------------------------------------------------


def test_the_budget_columns_are_set_and_checked(b: Budget) -> None:
    columns = {"line": "Post", "year": "Regnskabsår", "source": "Kilde", "amount": "Kr."}
    settings = services.finance_settings_update(plan=b.plan, budget_columns=columns, version="new")
    assert settings.budget_columns == columns
    for bad, code in [
        ({**columns, "extra": "X"}, "unknown_column"),
        ({**columns, "year": " "}, "empty_header"),
        ({**columns, "year": "post"}, "duplicate_header"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.finance_settings_update(plan=b.plan, budget_columns=bad)
        assert exc.value.code == code
    assert FinanceSettings.objects.get(plan=b.plan).budget_columns == columns


def test_an_amount_outside_a_shortened_period_can_be_removed(b: Budget) -> None:
    factories.BudgetAmountFactory(line=b.staff, source=b.local, year=2022, amount=Decimal(5))
    services.budget_amounts_set(plan=b.plan, cells={(b.staff.pk, b.local.pk, 2022): None})
    assert _cells(b) == []
