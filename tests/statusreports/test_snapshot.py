"""The snapshot: participants summed by age band and sex, delivery for the period's quarters,
the groups' evaluations, frozen once issued (the PDF and Word text do not change when a
figure does), the change since the previous report, and a fixed number of queries."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document as DocxDocument

from helhedsplan.activities.models import Registration
from helhedsplan.criteria.models import Observation
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from helhedsplan.statusreports import services, snapshot
from helhedsplan.statusreports.models import StatusReport
from tests import factories as f
from tests.statusreports.builders import H1_2019, H2_2018, issued, registration, report_plan

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    doc = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True)
    return out.stdout.decode()


def _client(plan: Plan, role: str = "secretariat") -> Client:
    client = Client()
    client.force_login(f.persona(plan, role))
    return client


def test_participants_are_summed_by_age_band_and_sex_per_activity_and_area() -> None:
    plan = report_plan()
    snap = issued(plan).snapshot
    rows = {(r["activity"], r["area"]): r for r in snap["participants"]}
    north = rows[("Lektiecafé 0", "Nordparken")]
    # 15 August (3 girls, 4 boys 6-12) and 2 November (2 girls 6-12, 1 other 13-17); the
    # March registration is before the period.
    assert north["counts"]["6_12_f"] == 5
    assert north["counts"]["6_12_m"] == 4
    assert north["counts"]["13_17_x"] == 1
    assert north["total"] == 10 and north["events"] == 2
    assert sum(north["counts"].values()) == north["total"]
    assert len(snap["included"]["registrations"]) == 4  # two areas x two in the period


def test_delivery_is_the_period_quarters_against_plan() -> None:
    snap = issued(report_plan()).snapshot
    assert snap["delivery"]["quarters"] == ["2018 K3", "2018 K4"]
    (activity,) = snap["delivery"]["activities"]
    assert (activity["planned"], activity["delivered"]) == (16, 4)


def test_scorecard_is_the_year_of_the_period_end_with_sentences() -> None:
    snap = issued(report_plan()).snapshot
    assert snap["year"] == snap["scorecard"]["year"] == 2018
    rows = {r["code"]: r for g in snap["scorecard"]["groups"] for r in g["rows"]}
    total = next(c for c in rows["5.2.3"]["cells"] if c["column"] == "total")
    assert total["value"] == "21"  # 10 + 11, derived from the areas
    assert total["targets"][0]["sentence"]
    assert total["status"] == "met"
    assert {c["code"] for c in snap["charts"]} == set(rows)


def test_groups_evaluations_notices_disputes_and_ratings_of_the_period() -> None:
    snap = issued(report_plan()).snapshot
    assert [m["minutes"] for m in snap["group_evaluations"]] == [
        "Gruppen vurderer lektiecaféen som en succes."
    ]
    assert [n["subject"] for n in snap["notices"]] == ["Vandskade i beboerhuset"]
    assert len(snap["disputes"]) == 1
    assert [e["narrative"] for e in snap["evaluations"]] == ["Børnene kommer igen."]
    assert [r["narrative"] for r in snap["ratings"]] == ["Familierne er nået."]
    assert snap["funding"]["total"] == "4000"


@pytest.mark.slow
def test_an_issued_report_does_not_change_when_a_figure_does(tmp_path: Path) -> None:
    plan = report_plan()
    report = issued(plan)
    client = _client(plan)
    pdf_url = export_url(plan, "statusrapport", "pdf", rapport=report.pk)
    docx_url = export_url(plan, "statusrapport", "docx", rapport=report.pk)
    before_pdf = pdf_text(client.get(pdf_url).content, tmp_path)
    before_docx = docx_text(client.get(docx_url).content)
    assert "Lektiecafé 0" in before_docx and "Vandskade" in before_pdf
    # A later correction: a registration's counts and an approved figure.
    first = Registration.objects.filter(plan=plan, date=date(2018, 8, 15)).order_by("pk")[0]
    Registration.objects.filter(pk=first.pk).update(n_6_12_f=40, participants=44)
    Observation.objects.filter(measure__plan=plan, year=2018, value=Decimal(10)).update(
        value=Decimal(99)
    )
    registration(plan.activities.get(), plan.areas.get(slug="nord"), date(2018, 9, 1), n_65_f=7)
    assert pdf_text(client.get(pdf_url).content, tmp_path) == before_pdf
    assert docx_text(client.get(docx_url).content) == before_docx
    # ...while a draft for the same numbers shows them now.
    live = snapshot.build(StatusReport.objects.get(pk=report.pk))
    assert live["participants"] != report.snapshot["participants"]


def test_the_next_report_shows_what_changed_since_the_previous() -> None:
    plan = report_plan()
    first = issued(plan)
    Observation.objects.filter(measure__plan=plan, year=2018, value=Decimal(10)).update(
        value=Decimal(35)
    )
    registration(plan.activities.get(), plan.areas.get(slug="nord"), date(2018, 9, 1), n_65_f=7)
    second = issued(plan, supersedes=first, supersede_reason="Politiets tal var forkerte.")
    changes = second.snapshot["changes"]
    assert changes["compared"] and changes["period_before"] == "2018, 2. halvår"
    values = {(c["code"], c["column"]): (c["before"], c["after"]) for c in changes["values"]}
    assert values[("5.2.3", "Nordparken")] == ("10", "35")
    assert values[("5.2.3", "Samlet")] == ("21", "46")
    status = {(c["code"], c["column"]): (c["before"], c["after"]) for c in changes["status"]}
    assert status[("5.2.3", "Samlet")] == ("met", "not_met")
    assert status[("5.2.3", "")] == ("met", "not_met")
    (delivery,) = changes["delivery"]
    assert (delivery["delivered_before"], delivery["delivered_after"]) == (4, 5)
    assert issued(plan, H1_2019).snapshot["previous"]["version"] == 2


def test_the_first_report_has_nothing_to_compare() -> None:
    assert issued(report_plan()).snapshot["changes"]["compared"] is False


def _queries(plan: Plan) -> int:
    report = services.status_report_create(
        plan=plan, period_start=H2_2018[0], period_end=H2_2018[1], actor=None
    )
    with CaptureQueriesContext(connection) as ctx:
        snapshot.build(report)
    return len(ctx.captured_queries)


def test_the_snapshot_takes_the_same_queries_whatever_the_size() -> None:
    small, large = report_plan(1), report_plan(4)
    assert _queries(small) == _queries(large)


def test_corrections_since_the_previous_report_are_in_the_next(
    client_for: Callable[[str], Client],
) -> None:
    from helhedsplan.statusreports.models import PeriodCorrection

    plan = report_plan()
    first = issued(plan)
    PeriodCorrection.objects.create(
        plan=plan, report=first, kind="registration",
        label="Lektiecafé 0 · Nordparken · 15.08.2018", old={"n_6_12_f": 3},
        new={"n_6_12_f": 4}, reason="Tastefejl",
    )  # fmt: skip
    second = issued(plan, H1_2019)
    (correction,) = second.snapshot["corrections"]
    assert correction["reason"] == "Tastefejl"


def test_a_new_year_without_its_figure_yet_is_no_changed_value() -> None:
    def snap(year: int, value: str | None) -> dict[str, object]:
        cell = {"column": "total", "value": value, "rating": "", "status": None}
        row = {"code": "5.2.3", "title": "Brande", "status": "met", "cells": [cell]}
        return {
            "year": year,
            "period": {"label": f"{year}"},
            "scorecard": {"columns": [{"key": "total", "label": "Samlet"}],
                          "groups": [{"rows": [row]}]},
            "delivery": {"quarters": [], "activities": []},
        }  # fmt: skip

    assert snapshot.changes_between(snap(2018, "21"), snap(2019, None))["values"] == []
    changed = snapshot.changes_between(snap(2018, "21"), snap(2019, "18"))["values"]
    assert [(c["before"], c["after"]) for c in changed] == [("21", "18")]
