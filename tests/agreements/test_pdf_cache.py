"""The agreement's PDF is made once per state of the plan (issue 15): a second download is
the cached file, a write makes the next download new, and a download costs the same
queries however much the agreement holds. The PDF renderer is replaced by the document's
text, so that what was rendered can be read (and the tests stay fast)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports import render
from helhedsplan.reports.document import Document
from helhedsplan.reports.exporters import export_url
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documented")]


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []

    def fake_pdf(doc: Document) -> bytes:
        text = render.render_html(render.as_document(doc))
        made.append(text)
        return b"%PDF " + text.encode()

    monkeypatch.setattr(render, "render_pdf", fake_pdf)
    return made


def _download(client: Client, plan: Plan) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(export_url(plan, "aftale", "pdf", version=1))
    assert response.status_code == 200
    return len(queries), response.content


def test_the_second_download_is_the_cached_file_and_still_audited(
    plan: Plan, client_for: Callable[[str], Client], renders: list[str]
) -> None:
    client = client_for("board")
    made, first = _download(client, plan)
    cached, second = _download(client, plan)
    assert second == first and len(renders) == 1
    assert cached < made
    assert AuditEntry.objects.filter(event="document.downloaded.pdf").count() == 2


def test_a_write_makes_the_next_download_new(
    plan: Plan, client_for: Callable[[str], Client], renders: list[str]
) -> None:
    client = client_for("board")
    _download(client, plan)
    focus_area = FocusArea.objects.get(plan=plan, code="5.2")
    focus_area.name = "Tryghed i hele området"
    focus_area.save()
    _queries, data = _download(client, plan)
    assert len(renders) == 2 and "Tryghed i hele området" in data.decode()


def test_a_download_costs_the_same_queries_however_much_the_agreement_holds(
    plan: Plan, client_for: Callable[[str], Client], renders: list[str]
) -> None:
    client = client_for("board")
    small_made, _ = _download(client, plan)
    small_cached, _ = _download(client, plan)
    for n in range(3):  # more focus areas, each with criteria and targets
        focus_area = factories.FocusAreaFactory(plan=plan, code=f"5.{n + 5}", name=f"Nyt {n}")
        for k in range(3):
            criterion = factories.SuccessCriterionFactory(
                plan=plan, focus_area=focus_area, code=f"5.{n + 5}.{k}"
            )
            factories.TargetFactory(criterion=criterion)
    large_made, data = _download(client, plan)
    large_cached, _ = _download(client, plan)
    assert "Nyt 2" in data.decode()
    assert (small_made, small_cached) == (large_made, large_cached)
    assert large_cached <= 10
