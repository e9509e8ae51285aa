"""The central measurements in a real browser: the secretariat opens the page from the menu,
imports LBF's file through the labelled upload (a refused file first: nothing saved, the
errors with their rows), previews it, saves it, and reads the values with a trend chart per
area; the suppressed value reads "diskretioneret"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helhedsplan.accounts.models import Role
from helhedsplan.measurements.models import CentralMeasurement
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD = "område;år;indikator;værdi;tæller;nævner;kilde"


def test_the_secretariat_imports_and_reads_the_measurements(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    plan = factories.small_plan()
    factories.user_named(plan, "sekr-maaling", Role.SECRETARIAT).save()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("sekr-maaling")
    page.get_by_label("Adgangskode").fill("x")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Centrale målinger", exact=True).click()
    page.get_by_test_id("no-measurements").wait_for()
    page.get_by_role("link", name="Indlæs målinger").click()

    bad = tmp_path / "forkert.csv"
    bad.write_text(f"{HEAD}\nnord;2018;doemte_pct;140;;;\n", encoding="utf-8")
    page.get_by_label("Fil med centrale målinger (XLSX eller CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Indlæs", exact=True).click()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    assert "Række 2, kolonne 'værdi'" in errors.inner_text()
    assert not CentralMeasurement.objects.exists()

    good = tmp_path / "lbf.csv"
    good.write_text(
        f"{HEAD}\n"
        "nord;2017;doemte_pct;2,5;20;800;\nnord;2018;doemte_pct;;26;800;\n"
        "syd;2017;doemte_pct;diskretioneret;;;\nsyd;2018;doemte_pct;2;24;1200;\n",
        encoding="utf-8",
    )
    page.get_by_label("Fil med centrale målinger (XLSX eller CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Vis ændringerne").click()
    preview = page.get_by_test_id("import-preview")
    preview.wait_for()
    assert "4 nye værdier" in preview.inner_text()
    assert not CentralMeasurement.objects.exists()
    preview.get_by_role("button", name="Gem målingerne").click()
    page.get_by_text("lbf.csv er indlæst").wait_for()
    assert CentralMeasurement.objects.count() == 4

    table = page.get_by_test_id("values-doemte_pct")
    assert "3,25" in table.inner_text() and "diskretioneret" in table.inner_text()
    chart = page.get_by_test_id("trend-doemte_pct-nord").locator("svg")
    chart.wait_for(state="visible")
    assert chart.locator("circle").count() == 2
    assert "lavere er bedre" in chart.inner_html()
    screenshot(page, "centrale-maalinger")
