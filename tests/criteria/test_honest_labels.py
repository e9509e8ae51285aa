"""Labels say no more than the data (issue 9, defect 13): the baseline year, reference lines."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria import engine, selectors, services
from helhedsplan.criteria.engine import Direction, Status, TargetKind
from helhedsplan.criteria.models import Measure
from helhedsplan.criteria.wording import detail_text
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories


def test_the_baseline_year_before_the_targets_years_is_called_the_baseline_year() -> None:
    target = engine.Target(
        kind=TargetKind.YEAR_OVER_YEAR,
        first_year=2018,
        last_year=2021,
        percent=Decimal(10),
        baseline_year=2017,
        direction=Direction.LOWER_IS_BETTER,
    )
    result = engine.evaluate(target, 2017, {2017: Decimal(20)})
    assert result.status is Status.NOT_DUE
    text = detail_text(result.detail)
    assert text == "2017 er målets basisår (nulpunkt); målet vurderes fra 2018"
    assert "uden for målets periode" in detail_text(engine.evaluate(target, 2016, {}).detail)


@pytest.mark.parametrize("code", ["5.1.2", "5.1.3", "5.3.1"])
@pytest.mark.demo  # about the seed's content: its criteria's targets and baseline years
def test_demo_criteria_describe_2017_as_the_baseline_year(
    plan: Plan, client_for: Callable[[str], Client], code: str
) -> None:
    """Demo data: the targets of 5.1.2, 5.1.3 and 5.3.1 run 2018-2021 from the 2017 baseline."""
    detail = selectors.criterion_detail(plan, code)
    row = next(r for r in detail.years if r.year == 2017)
    texts = [res.detail for cell in row.cells for res in cell.results]
    assert texts and all("basisår" in t for t in texts)
    assert not any("uden for målets periode" in t for t in texts)
    page = client_for("secretariat").get(
        reverse("criteria:criterion", kwargs={"slug": plan.slug, "code": code})
    )
    html = page.content.decode()
    assert "2017 er målets basisår (nulpunkt)" in html  # the status badge's explanation
    assert "2017 ligger uden for målets periode" not in html


@pytest.fixture
def _sub_reference(plan: Plan) -> None:
    """As the seed's: 5.1.1 and 5.2.1 share a measure whose target over the SUB average
    applies to Motalavej and Ringparken only, not to Sydbyen and Skælskør."""
    areas = {
        slug: factories.HousingAreaFactory(plan=plan, slug=slug, name=name, order=order)
        for order, (slug, name) in enumerate([("motalavej", "Motalavej"),
            ("ringparken", "Ringparken"), ("sydbyen", "Sydbyen"), ("skaelskoer", "Skælskør")])
    }  # fmt: skip
    measure = factories.MeasureFactory(
        plan=plan, slug="tryghed-politi", value_kind=Measure.ValueKind.PERCENT, unit="%",
        direction="higher_is_better", first_year=2015,
    )  # fmt: skip
    sub = services.reference_series_create(
        plan=plan, measure=measure, slug="sub-gennemsnit", values={2016: Decimal("72.4")},
        name="Gennemsnit for særligt udsatte boligområder (SUB)",
    )  # fmt: skip
    for code in ("5.1.1", "5.2.1"):
        focus_area = FocusArea.objects.filter(plan=plan, code=code[:3]).first()
        criterion = factories.SuccessCriterionFactory(
            plan=plan, code=code, measure=measure,
            focus_area=focus_area or factories.FocusAreaFactory(plan=plan, code=code[:3]),
        )  # fmt: skip
        factories.TargetFactory(
            criterion=criterion, kind="reference", op="gt", value=None, applies_to_total=False,
            reference_series=sub, reference_year=2016,
            areas=[areas["motalavej"], areas["ringparken"]],
        )  # fmt: skip
        factories.TargetFactory(
            criterion=criterion, kind="pending_baseline", op="", value=None,
            applies_to_total=False, baseline_year=2017,
            areas=[areas["sydbyen"], areas["skaelskoer"]],
        )  # fmt: skip


@pytest.mark.parametrize("code", ["5.1.1", "5.2.1"])
@pytest.mark.usefixtures("_sub_reference")
def test_the_sub_reference_line_is_drawn_only_where_its_target_applies(
    plan: Plan, code: str
) -> None:
    """The reference target (SUB average) applies to Motalavej and Ringparken."""
    detail = selectors.criterion_detail(plan, code)
    references = {
        column.key: [s.label for s in spec.series if s.style == "reference"]
        for column, spec in detail.charts
    }
    assert references["motalavej"] and references["ringparken"]
    for key in ("sydbyen", "skaelskoer"):
        assert references[key] == []  # the chart is there, without the SUB line
