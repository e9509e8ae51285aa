"""The success criteria of the seed, stored exactly as the agreement writes them.

About the seed's content: uses the demo.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from helhedsplan.criteria import selectors
from helhedsplan.criteria.engine import Status
from helhedsplan.criteria.models import (
    Measure,
    Observation,
    ReferenceValue,
    SeedNote,
    SuccessCriterion,
)
from helhedsplan.plans.models import Plan

# About the seed's content: uses the demo (tests/conftest.py: demo_plan).
pytestmark = pytest.mark.demo

CODES = ["5.1.1", "5.1.2", "5.1.3", "5.2.1", "5.2.2", "5.2.3", "5.3.1", "5.3.2", "5.3.3",
         "5.3.4", "5.3.5", "5.3.6", "5.4.1", "5.4.2"]  # fmt: skip


def _obs(plan: Plan, measure: str, area: str | None, year: int) -> Decimal | None:
    qs = Observation.objects.filter(measure__plan=plan, measure__slug=measure, year=year)
    qs = qs.filter(area__slug=area) if area else qs.filter(area__isnull=True)
    row = qs.first()
    return row.value if row else None


def test_all_fourteen_criteria_in_the_seeds_order(plan: Plan) -> None:
    codes = list(SuccessCriterion.objects.filter(plan=plan).values_list("code", flat=True))
    assert codes == CODES


def test_511_and_521_share_one_police_measure(plan: Plan) -> None:
    a = SuccessCriterion.objects.get(plan=plan, code="5.1.1")
    b = SuccessCriterion.objects.get(plan=plan, code="5.2.1")
    assert a.measure_id == b.measure_id
    assert Measure.objects.filter(plan=plan, slug="tryghed-politi").count() == 1


def test_historical_figures_are_the_seeds(plan: Plan) -> None:
    assert _obs(plan, "tryghed-politi", "motalavej", 2016) == Decimal("58.3")
    assert _obs(plan, "tryghed-politi", "ringparken", 2016) == Decimal("72")
    assert _obs(plan, "tryg-undersoegelse", "skaelskoer", 2016) == Decimal("76")
    assert _obs(plan, "tryg-undersoegelse", None, 2014) == Decimal("65")
    assert _obs(plan, "utryg-undersoegelse", "skaelskoer", 2014) == Decimal("0")
    assert _obs(plan, "utryg-undersoegelse", None, 2016) == Decimal("21")
    assert _obs(plan, "kriminalretlige-afgoerelser", "motalavej", 2013) == Decimal("55.1")
    assert _obs(plan, "kriminalretlige-afgoerelser", "sydbyen", 2015) == Decimal("34.7")
    assert _obs(plan, "kriminalretlige-afgoerelser", None, 2016) == Decimal("30.65")
    assert _obs(plan, "paasatte-brande", None, 2015) == Decimal("15")
    assert _obs(plan, "paasatte-brande", None, 2016) == Decimal("28")
    assert _obs(plan, "haervaerk-udbedring", None, 2015) == Decimal("123")
    refs = dict(
        ReferenceValue.objects.filter(series__plan=plan).values_list("series__slug", "value")
    )
    assert refs["sub-gennemsnit"] == Decimal("72.4")
    assert refs["danmark-tryghed"] == Decimal("89.1")
    slagelse = dict(
        ReferenceValue.objects.filter(series__slug="slagelse-kommune-afgoerelser").values_list(
            "year", "value"
        )
    )
    assert slagelse == {2013: Decimal("11.8"), 2014: Decimal("10.3"), 2015: Decimal("11.4")}
    # Where the seed gives no value, none is stored.
    assert not Observation.objects.filter(measure__slug="skolefravaer").exists()


def test_contradictions_are_kept_as_written(plan: Plan) -> None:
    notes = SeedNote.objects.filter(criterion__plan=plan, kind=SeedNote.Kind.CONTRADICTION)
    by_code = {n.criterion.code: n.text for n in notes}
    assert "22%" in by_code["5.1.2"] and "21%" in by_code["5.1.2"]
    assert "28" in by_code["5.2.2"] and "30" in by_code["5.2.2"]
    assert "15 tilfælde i 2015 og 28 i 2016" in by_code["5.2.3"]


def test_targets_read_as_the_seed(plan: Plan) -> None:
    crit = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    sentences = [t.describe() for t in crit.targets.all()]
    assert sentences[0] == (
        "Værdien skal falde fra 30,65 pr. 1000 beboere i 2016 til højst 20 pr. 1000 beboere i 2021"
    )
    assert "under 28" in sentences[1]
    brande = SuccessCriterion.objects.get(plan=plan, code="5.2.3").targets.get()
    assert "mindst 10 % lavere end året før" in brande.describe()


def test_motalavej_2015_at_34_2_is_above_30_and_2016_arson_not_met(plan: Plan) -> None:
    card = selectors.scorecard(plan, 2016)
    rows = {r.criterion.code: r for g in card.groups for r in g.rows}
    total = rows["5.2.3"].cells[-1]
    assert total.point is not None and total.point.value == Decimal(28)
    assert total.status is Status.NOT_MET  # 28 is not 10 % below 15
    # The criminal-decision rates 2013-2015 have no numerators: the total cannot be derived.
    card15 = selectors.scorecard(plan, 2015)
    rows15 = {r.criterion.code: r for g in card15.groups for r in g.rows}
    assert rows15["5.2.2"].cells[-1].not_derivable


def test_total_is_sum_of_numerators_over_sum_of_denominators(plan: Plan) -> None:
    measure = Measure.objects.get(plan=plan, slug="fraflytning")
    areas = list(plan.areas.order_by("order"))
    figures = [(10, 100), (30, 100), (1, 50), (9, 250)]
    for area, (num, den) in zip(areas, figures, strict=True):
        Observation.objects.create(
            measure=measure, area=area, year=2018, value=Decimal(num * 100) / den,
            numerator=num, denominator=den, state=Observation.State.APPROVED,
        )  # fmt: skip
    card = selectors.scorecard(plan, 2018)
    row = next(r for g in card.groups for r in g.rows if r.criterion.code == "5.1.2")
    total = row.cells[-1].point
    assert total is not None and total.derived
    assert total.value == Decimal("10.00")  # 50 / 500, not the mean of 10, 30, 2, 3,6


def test_drafts_do_not_count(plan: Plan) -> None:
    measure = Measure.objects.get(plan=plan, slug="paasatte-brande")
    Observation.objects.create(measure=measure, year=2017, value=Decimal(5))
    card = selectors.scorecard(plan, 2017)
    row = next(r for g in card.groups for r in g.rows if r.criterion.code == "5.2.3")
    assert row.cells[-1].status is Status.NO_DATA


def test_one_observation_per_measure_area_year(plan: Plan) -> None:
    measure = Measure.objects.get(plan=plan, slug="paasatte-brande")
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(measure=measure, year=2015, value=Decimal(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(measure=measure, year=2019, value=Decimal(-1))


def test_latest_status_by_criterion(plan: Plan) -> None:
    from datetime import date

    statuses = selectors.latest_status_by_criterion(plan, today=date(2018, 6, 1))
    crit = SuccessCriterion.objects.get(plan=plan, code="5.2.3")
    assert statuses[crit.pk].year == 2018
    assert statuses[crit.pk].status is Status.NO_DATA
