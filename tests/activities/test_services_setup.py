"""Setting up a plan's activities, and the activity plan and registrations written several
rows at a time under the single-row rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.accounts.access import EVERYWHERE
from helhedsplan.activities.models import Activity, PlannedQuantity, Registration
from helhedsplan.activities.services import (
    PlannedFigure,
    RegistrationRow,
    activity_create,
    partner_create,
    planned_quantities_set,
    quarter_close,
    registrations_create,
)
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import HousingArea, Plan
from helhedsplan.plans.services import (
    focus_area_create,
    housing_area_create,
)
from tests import factories
from tests.errors import codes

pytestmark = pytest.mark.django_db


def _plan(slug: str = "proeve") -> Plan:
    return factories.PlanFactory(name=f"Plan {slug}", slug=slug)


def _setup() -> tuple[Plan, Activity, HousingArea, HousingArea]:
    plan = _plan()
    parken = housing_area_create(plan=plan, slug="parken", name="Parken")
    haven = housing_area_create(plan=plan, slug="haven", name="Haven")
    activity = activity_create(
        plan=plan, focus_area=focus_area_create(plan=plan, code="5.2", name="Kriminalitet"),
        slug="vandring", name="Tryghedsvandring", areas={parken: ""},
    )  # fmt: skip
    return plan, activity, parken, haven


def test_partner_create_refuses_a_name_in_use() -> None:
    plan = _plan()
    assert partner_create(plan=plan, name="DIF", source_quote="»DIF«").source_quote == "»DIF«"
    with pytest.raises(ValidationError):
        partner_create(plan=plan, name="DIF")


def test_activity_create_with_areas_partners_and_notes() -> None:
    plan = _plan()
    area = housing_area_create(plan=plan, slug="parken", name="Parken")
    partner = partner_create(plan=plan, name="Produktionshøjskolen")
    activity = activity_create(
        plan=plan, focus_area=focus_area_create(plan=plan, code="5.3", name="Uddannelse"),
        slug="uddannelse", name="Uddannelsestilbud", areas={area: "Kun om aftenen."},
        partners=[partner], responsible=Activity.Responsible.PARTNER,
        responsible_partner=partner, target_groups=["Unge", "Forældre"],
    )  # fmt: skip
    assert [(link.area, link.note) for link in activity.area_links.all()] == [
        (area, "Kun om aftenen.")
    ]
    assert list(activity.partners.all()) == [partner]
    assert activity.target_groups == "Unge\nForældre"


def test_activity_create_refuses_a_partner_of_another_plan() -> None:
    plan, other = _plan(), _plan("anden-proeve")
    with pytest.raises(ValidationError) as exc:
        activity_create(
            plan=plan, focus_area=focus_area_create(plan=plan, code="5.3", name="Uddannelse"),
            slug="u", name="Uddannelse", partners=[partner_create(plan=other, name="DIF")],
        )  # fmt: skip
    assert codes(exc.value) == {"other_plan"}
    assert not Activity.objects.filter(plan=plan).exists()


def test_planned_quantities_set_replaces_and_skips_what_is_stored() -> None:
    plan, activity, parken, _haven = _setup()
    cells = [PlannedFigure(activity, parken, 2018, q, 3) for q in (1, 2)]
    assert planned_quantities_set(plan=plan, figures=cells) == 2
    changed = [PlannedFigure(activity, parken, 2018, 1, 4), *cells[1:]]
    assert planned_quantities_set(plan=plan, figures=changed) == 1
    assert PlannedQuantity.objects.get(activity=activity, quarter=1).quantity == 4


def test_planned_quantities_set_refuses_an_area_the_activity_does_not_run_in() -> None:
    plan, activity, parken, haven = _setup()
    cells = [
        PlannedFigure(activity, parken, 2018, 1, 3),
        PlannedFigure(activity, haven, 2018, 1, 3),
    ]
    with pytest.raises(ValidationError) as exc:
        planned_quantities_set(plan=plan, figures=cells)
    assert codes(exc.value) == {"area_not_in_activity"}
    assert not PlannedQuantity.objects.filter(activity=activity).exists()


def test_registrations_create_writes_each_row_with_an_audit_entry() -> None:
    plan, activity, parken, _haven = _setup()
    rows = [
        RegistrationRow(activity, parken, date(2018, 2, d), {"n_25_64_f": 4, "n_65_m": 1})
        for d in (1, 2)
    ]
    entries = AuditEntry.objects.count()
    created = registrations_create(plan=plan, scope=EVERYWHERE, user=None, rows=rows)
    assert [r.participants for r in created] == [5, 5]
    assert [(r.year, r.quarter) for r in created] == [(2018, 1), (2018, 1)]
    assert AuditEntry.objects.count() == entries + 2  # one per registration


def test_registrations_create_refuses_all_when_a_quarter_is_closed_without_a_reason() -> None:
    plan, activity, parken, _haven = _setup()
    quarter_close(plan=plan, year=2018, quarter=1, user=None)
    rows = [
        RegistrationRow(activity, parken, date(2018, 5, 1), {"n_25_64_f": 1}),
        RegistrationRow(activity, parken, date(2018, 2, 1), {"n_25_64_f": 1}),
    ]
    with pytest.raises(ValidationError) as exc:
        registrations_create(plan=plan, scope=EVERYWHERE, user=None, rows=rows)
    assert codes(exc.value) == {"quarter_closed"}
    assert not Registration.objects.filter(plan=plan).exists()
    again = registrations_create(
        plan=plan, scope=EVERYWHERE, user=None, rows=rows, reason="Rettelse"
    )
    assert len(again) == 2
