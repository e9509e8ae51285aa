"""Done when (issue 13): the auditor downloads the 2018 audit package and finds every approved
observation of 2018 in it with who approved it.

About the seed's plan, so on the demo: the demo holds no figure of 2018 (the seed was written
before), so the secretariat first registers and approves the 2018 figures of three of the
seed's measures, as it would during the year; then ``revisor`` downloads the package.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from helhedsplan.accounts.models import User
from helhedsplan.auditpackage.selectors import audit_package, person
from helhedsplan.criteria.models import Measure, Observation
from helhedsplan.criteria.services import observation_approve, observation_register
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from tests.auditpackage.test_exports import pdf_text

pytestmark = pytest.mark.demo


def _approve_2018_figures(plan: Plan) -> None:
    secretariat = User.objects.get(username="sekretariat")
    registrar = User.objects.get(username="kommune")
    figures = [
        ("kriminalretlige-afgoerelser", None, Decimal("27.5")),
        ("paasatte-brande", None, Decimal(21)),
        ("tryghed-politi", "motalavej", Decimal("61.2")),
    ]
    for slug, area_slug, value in figures:
        measure = Measure.objects.get(plan=plan, slug=slug)
        area = plan.areas.get(slug=area_slug) if area_slug else None
        obs = observation_register(
            measure=measure, area=area, year=2018, value=value, user=registrar
        )
        observation_approve(observation=obs, user=secretariat)


def test_the_auditor_finds_every_approved_observation_of_2018_with_who_approved_it(
    plan: Plan, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    _approve_2018_figures(plan)
    approved = list(
        Observation.objects.filter(
            measure__plan=plan, year=2018, state=Observation.State.APPROVED
        ).select_related("measure", "area", "approved_by")
    )
    assert len(approved) >= 3
    # The seed's 5.1.1 and 5.2.1 share the safety survey's measure: an observation is listed
    # under each criterion it serves and counted once.
    package = audit_package(plan, 2018)
    assert len(package.approved_observations) > len(approved)
    assert package.counts["approved"] == len(approved)
    auditor = client_for("auditor")
    page = auditor.get(f"/planer/{plan.slug}/revision/?aar=2018")
    assert page.status_code == 200
    xlsx = auditor.get(export_url(plan, "revisionspakke", "xlsx", aar="2018"))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content))["1 Observationer"]
    header, *rows = sheet.iter_rows(values_only=True)
    col = {title: n for n, title in enumerate(header)}
    found = {
        (r[col["Måling"]], r[col["Boligområde"]], r[col["Godkendt af"]])
        for r in rows
        if r[col["Status"]] == "Godkendt"
    }
    for obs in approved:
        area = obs.area.name if obs.area else "Samlet"
        assert obs.approved_by is not None  # approved in the system, by someone
        assert (obs.measure.name, area, person(obs.approved_by)) in found, obs
    pdf = auditor.get(export_url(plan, "revisionspakke", "pdf", aar="2018"))
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content, tmp_path)
    assert person(approved[0].approved_by) == "Demo Sekretariat"
    assert "Demo Sekretariat" in text
    assert "61,2" in text and "27,5" in text
