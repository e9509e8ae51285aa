"""The status reports' pages and downloads, as each role uses them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.plans.models import Plan
from helhedsplan.reports import suppression
from helhedsplan.reports.exporters import export_url
from helhedsplan.statusreports import services
from helhedsplan.statusreports.models import StatusReport
from tests import factories as f
from tests.statusreports.builders import issued, report_plan

pytestmark = pytest.mark.django_db


def _client(plan: Plan, role: str) -> Client:
    client = Client()
    client.force_login(f.persona(plan, role))
    return client


def _list(plan: Plan) -> str:
    return reverse("statusreports:list", kwargs={"slug": plan.slug})


def test_the_secretariat_creates_writes_and_issues_a_report() -> None:
    plan = report_plan()
    client = _client(plan, "secretariat")
    page = client.get(_list(plan))
    assert "2018, 2. halvår" in page.content.decode()
    response = client.post(_list(plan), {"period": "2018-07-01_2018-12-31"})
    report = StatusReport.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url()).content.decode()
    focus_area = plan.focus_areas.get(code="5.1")
    assert f'name="fa{focus_area.pk}"' in detail and "KLADDE" in detail
    client.post(report.get_absolute_url(), {"action": "narrative", f"fa{focus_area.pk}": "Godt."})
    assert report.narratives.get(focus_area=focus_area).text == "Godt."
    ask = client.post(report.get_absolute_url(), {"action": "issue"})
    assert ask.status_code == 200 and "fryses tallene" in ask.content.decode()
    report.refresh_from_db()
    assert report.is_draft  # only asked
    done = client.post(report.get_absolute_url(), {"action": "issue", "confirm": "1"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.version) == ("issued", 1)
    shown = client.get(report.get_absolute_url()).content.decode()
    assert "Godt." in shown and "Send til Landsbyggefonden" in shown and "KLADDE" not in shown
    client.post(report.get_absolute_url(), {"action": "share"})
    report.refresh_from_db()
    assert report.shared_with_lbf_at is not None


def test_an_overlapping_period_is_refused_on_the_page_and_can_be_superseded() -> None:
    plan = report_plan()
    first = issued(plan)
    client = _client(plan, "secretariat")
    refused = client.post(_list(plan), {"period": "2018-07-01_2018-12-31"})
    assert refused.status_code == 200
    assert "overlapper den udsendte statusrapport 2018, 2. halvår" in refused.content.decode()
    no_reason = client.post(_list(plan), {"period": "2018-07-01_2018-12-31", "supersede": "on"})
    assert "Skriv hvorfor rapporten erstattes" in no_reason.content.decode()
    client.post(
        _list(plan),
        {"period": "2018-07-01_2018-12-31", "supersede": "on", "supersede_reason": "Rettet tal"},
    )
    new = StatusReport.objects.get(plan=plan, state="draft")
    assert new.supersedes == first and new.supersede_reason == "Rettet tal"


def test_an_issued_report_refuses_edits_on_the_page() -> None:
    plan = report_plan()
    report = issued(plan)
    client = _client(plan, "secretariat")
    focus_area = plan.focus_areas.get(code="5.1")
    response = client.post(
        report.get_absolute_url(), {"action": "narrative", f"fa{focus_area.pk}": "Ny tekst"}
    )
    assert response.status_code == 400 and "kan ikke ændres" in response.content.decode()
    assert not report.narratives.exists()


@pytest.mark.parametrize("role", ["board", "coordinator", "auditor", "lbf"])
def test_a_draft_is_the_secretariats_only(role: str) -> None:
    plan = report_plan()
    draft = services.status_report_create(
        plan=plan, period_start=issued_period()[0], period_end=issued_period()[1], actor=None
    )
    client = _client(plan, role)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(export_url(plan, "statusrapport", "pdf", rapport=draft.pk)).status_code == 403
    assert "2018, 2. halvår" not in client.get(_list(plan)).content.decode()


def issued_period() -> tuple[Any, Any]:
    from tests.statusreports.builders import H2_2018

    return H2_2018


def test_lbf_reads_only_what_was_sent_and_the_released_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = report_plan()
    report = issued(plan)
    lbf = _client(plan, "lbf")
    pdf = export_url(plan, "statusrapport", "docx", rapport=report.pk)
    assert lbf.get(report.get_absolute_url()).status_code == 404
    assert lbf.get(pdf).status_code == 403
    services.status_report_share_with_lbf(report=report, actor=None)
    released: list[str] = []
    original = suppression.prepare_for_release

    def spy(output: Any, exporter: Any) -> Any:
        released.append(exporter.identifier)
        return original(output, exporter)

    monkeypatch.setattr(suppression, "prepare_for_release", spy)
    assert lbf.get(report.get_absolute_url()).status_code == 200
    assert lbf.get(pdf).status_code == 200
    assert released == ["statusrapport", "statusrapport"]
    # The secretariat reads the internal copy, and the external one when it asks for it.
    secretariat = _client(plan, "secretariat")
    released.clear()
    assert secretariat.get(pdf).status_code == 200 and released == []
    assert secretariat.get(pdf + "&udgave=ekstern").status_code == 200
    assert released == ["statusrapport"]


def test_participant_tables_mark_their_counts_for_suppression() -> None:
    from helhedsplan.reports.document import Table
    from helhedsplan.statusreports.exports import report_document

    report = issued(report_plan())
    tables = [b for b in report_document(report).blocks if isinstance(b, Table)]
    people = [t for t in tables if t.total_column is not None]
    assert len(people) == 2  # per activity (area x age band by sex) and per area
    for table in people:
        assert table.count_columns and table.total_column in table.count_columns
        assert table.footer is not None and len(table.footer) == len(table.header)


def test_list_queries_do_not_grow_with_the_reports(django_assert_max_num_queries: Any) -> None:
    plan = report_plan()
    for _n in range(3):
        f.StatusReportFactory(plan=plan, state=StatusReport.State.DRAFT)
    client = _client(plan, "secretariat")
    client.get(_list(plan))
    with django_assert_max_num_queries(12):
        assert client.get(_list(plan)).status_code == 200
