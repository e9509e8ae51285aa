"""The auditor opens the audit package's page from the menu, picks 2018 and downloads it.

On the factory plan (the package's mechanics, not the seed's content: tests/auditpackage
checks the demo), with the auditor's own password.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from helhedsplan.accounts.models import User
from helhedsplan.plans.models import Plan
from tests.auditpackage.builders import year_of_everything
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Revisionspakke-2018"


def test_the_auditor_downloads_the_2018_package(
    live_server: Any, page: Any, factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    year_of_everything(factory_plan, persona)
    auditor = persona("auditor")
    auditor.set_password(PASSWORD)
    auditor.save()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", auditor.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{factory_plan.get_absolute_url()}")
    page.get_by_role("link", name="Revisionspakke", exact=True).click()
    page.wait_for_url("**/revision/")
    page.get_by_label("År").select_option("2018")
    page.wait_for_url("**aar=2018**")  # the picker submits itself (data-autosubmit)
    approved = page.locator("[data-testid=approved-observations]").inner_text()
    assert "5.1.1 Kriterium 1" in approved and "Test secretariat" in approved
    screenshot(page, "audit-package-2018")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Hent som PDF").click()
    assert pdf.value.suggested_filename == f"revisionspakke-{factory_plan.slug}-2018-ekstern.pdf"
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Hent som XLSX").click()
    book = load_workbook(io.BytesIO(xlsx.value.path().read_bytes()))
    header, *rows = book["1 Observationer"].iter_rows(values_only=True)
    col = {title: n for n, title in enumerate(header)}
    assert [r[col["Godkendt af"]] for r in rows if r[col["Status"]] == "Godkendt"] == [
        "Test secretariat"
    ]
