"""The target form shows the fields of the chosen kind only (app.js reads data-kinds)."""

from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.accounts.models import Role
from helhedsplan.criteria.engine import TargetKind, fields_used
from helhedsplan.criteria.forms import TargetForm
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_kind_shows_its_own_fields(live_server: Any, page: Any) -> None:
    plan = factories.small_plan()
    factories.user_named(plan, "sekr-form", Role.SECRETARIAT).save()
    criterion = factories.SuccessCriterionFactory(plan=plan, focus_area=plan.focus_areas.first())
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("sekr-form")
    page.get_by_label("Adgangskode").fill("x")
    page.get_by_role("button", name="Log ind").click()
    page.goto(f"{live_server.url}/planer/{plan.slug}/succeskriterier/{criterion.code}/maal/nyt/")
    kinds = TargetForm.kinds_by_field()
    for kind in (TargetKind.THRESHOLD, TargetKind.YEAR_OVER_YEAR, TargetKind.REFERENCE):
        page.select_option("select[name=kind]", kind.value)
        for name, used_by in kinds.items():
            field = page.locator(f"[name={name}]").first
            assert field.is_visible() == (kind.value in used_by.split()), (kind, name)
            assert field.is_disabled() != (kind.value in used_by.split()), (kind, name)
        # The years, the areas and the reason belong to every kind.
        assert page.locator("input[name=first_year]").is_visible()
    screenshot(page, "target-form-reference")


def test_the_fields_by_kind_come_from_the_engine() -> None:
    kinds = TargetForm.kinds_by_field()
    assert (
        set(kinds["op"].split())
        == {k.value for k in TargetKind if "op" in fields_used(k)}
        >= {"threshold", "path", "reference"}
    )
    assert "threshold" not in kinds["percent"].split()
    assert kinds["change_unit"] == kinds["percent"]
    assert "reference" in kinds["reference_series"].split()
