"""Setting up a plan's criteria: measures, reference series, success criteria, targets, the
notes on the agreement's wording, and figures registered several at a time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
from helhedsplan.criteria.services import (
    ImportFailed,
    measure_create,
    observations_register,
    reference_series_create,
    seed_note_create,
    success_criterion_create,
    target_create,
)
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.plans.services import (
    focus_area_create,
    housing_area_create,
)
from tests import factories
from tests.errors import codes

pytestmark = pytest.mark.django_db


def _plan(slug: str = "proeve") -> Plan:
    return factories.PlanFactory(name=f"Plan {slug}", slug=slug)


def _measure(plan: Plan, slug: str = "fraflytning") -> Measure:
    return measure_create(
        plan=plan, slug=slug, name="Fraflytningsprocent", value_kind=Measure.ValueKind.PERCENT,
        unit="%", direction="lower_is_better", first_year=2017, last_year=2021,
    )  # fmt: skip


def _setup() -> tuple[Plan, HousingArea, FocusArea, SuccessCriterion]:
    plan = _plan()
    area = housing_area_create(plan=plan, slug="parken", name="Parken")
    focus = focus_area_create(plan=plan, code="5.1", name="Tryghed")
    criterion = success_criterion_create(
        plan=plan, focus_area=focus, code="5.1.2", title="Fraflytning",
        text="Fraflytningen skal falde.", measure=_measure(plan),
    )  # fmt: skip
    return plan, area, focus, criterion


def test_measure_create_refuses_a_slug_used_in_the_plan() -> None:
    plan = _plan()
    assert _measure(plan).unit == "%"
    with pytest.raises(ValidationError):
        _measure(plan)
    assert Measure.objects.filter(plan=plan).count() == 1


def test_reference_series_create_with_its_values() -> None:
    plan = _plan()
    series = reference_series_create(
        plan=plan, measure=_measure(plan), slug="danmark", name="Danmark",
        values={2016: Decimal("89.1"), 2017: Decimal("88.5")},
    )  # fmt: skip
    assert dict(series.values.values_list("year", "value")) == {
        2016: Decimal("89.1"),
        2017: Decimal("88.5"),
    }


def test_reference_series_create_refuses_a_measure_of_another_plan() -> None:
    plan, other = _plan(), _plan("anden-proeve")
    with pytest.raises(ValidationError) as exc:
        reference_series_create(plan=plan, measure=_measure(other), slug="dk", name="Danmark")
    assert codes(exc.value) == {"other_plan"}


def test_success_criterion_create_with_background_measures() -> None:
    plan = _plan()
    focus = focus_area_create(plan=plan, code="5.1", name="Tryghed")
    background = _measure(plan, "tryghed")
    criterion = success_criterion_create(
        plan=plan, focus_area=focus, code="5.1.2", title="Fraflytning", text="Skal falde.",
        measure=_measure(plan), context_measures=[background],
    )  # fmt: skip
    assert list(criterion.context_measures.all()) == [background]


def test_success_criterion_create_refuses_a_focus_area_of_another_plan() -> None:
    plan, other = _plan(), _plan("anden-proeve")
    with pytest.raises(ValidationError) as exc:
        success_criterion_create(
            plan=plan, focus_area=focus_area_create(plan=other, code="5.1", name="Tryghed"),
            code="5.1.2", title="Fraflytning", text="Skal falde.", measure=_measure(plan),
        )  # fmt: skip
    assert codes(exc.value) == {"other_plan"}
    assert not SuccessCriterion.objects.filter(plan=plan).exists()


def test_target_create_for_areas() -> None:
    _, area, _focus, criterion = _setup()
    target = target_create(
        criterion=criterion, kind="threshold", op="lt", value=Decimal(20), areas=[area],
        first_year=2018, last_year=2021,
    )  # fmt: skip
    assert list(target.areas.all()) == [area]
    assert "20" in target.describe()


def test_target_create_refuses_a_target_for_nothing_and_an_incomplete_one() -> None:
    _, area, _focus, criterion = _setup()
    with pytest.raises(ValidationError) as exc:
        target_create(criterion=criterion, kind="threshold", op="lt", value=Decimal(20),
                      first_year=2018, last_year=2021)  # fmt: skip
    assert codes(exc.value) == {"no_scope"}
    with pytest.raises(ValidationError) as exc:
        target_create(criterion=criterion, kind="threshold", op="lt", areas=[area],
                      first_year=2018, last_year=2021)  # fmt: skip
    assert codes(exc.value) == {"invalid_target"}
    assert not Target.objects.filter(criterion=criterion).exists()


def test_seed_note_create_refuses_the_same_title_twice() -> None:
    *_rest, criterion = _setup()
    note = seed_note_create(criterion=criterion, kind="undated", title="22 %", text="Uden år.")
    assert note.get_kind_display() == "Tal uden årstal"
    with pytest.raises(ValidationError):
        seed_note_create(criterion=criterion, kind="context", title="22 %", text="Igen.")


def test_observations_register_approved_with_one_entry_each() -> None:
    plan, area, _focus, criterion = _setup()
    measure = criterion.measure
    entries = AuditEntry.objects.count()
    written = observations_register(
        plan=plan,
        observations=[
            Observation(measure=measure, area=area, year=2017, value=Decimal(22)),
            Observation(measure=measure, area=None, year=2017, value=Decimal(21)),
        ],
        approve=True,
    )
    assert written == 2
    assert set(Observation.objects.filter(measure=measure).values_list("state", flat=True)) == {
        Observation.State.APPROVED
    }
    assert AuditEntry.objects.count() == entries + 3  # one per observation, one event
    again = [Observation(measure=measure, area=area, year=2017, value=Decimal(22))]
    assert observations_register(plan=plan, observations=again, approve=True) == 0


def test_observations_register_refuses_all_when_one_breaks_a_rule() -> None:
    plan, area, _focus, criterion = _setup()
    measure = criterion.measure
    with pytest.raises(ImportFailed) as exc:
        observations_register(
            plan=plan,
            observations=[
                Observation(measure=measure, area=area, year=2017, value=Decimal(22)),
                Observation(measure=measure, area=area, year=2017, value=Decimal(23)),
            ],
        )
    assert [(e.line, e.code) for e in exc.value.errors] == [(2, "duplicate_row")]
    assert not Observation.objects.filter(measure=measure).exists()
