"""A download changes no data (issue 15): its audit entry raises the plan's trail counter,
not its data version (``plans.versions``), so after an agreement PDF or a file is downloaded
the scorecard, the criterion page, the delivery page and the overview are still served from
the cache, while the audit trail (and the overview's history panel, loaded on opening) shows
the download at once. A write that changes data still makes every one of them new."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.lib import cached
from helhedsplan.plans import fragments, versions
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.reports import render
from helhedsplan.reports.exporters import export_url
from tests import factories
from tests.agreements.conftest import agreement_versions

pytestmark = pytest.mark.django_db

# The pages of the plan's data, by the name their fragment is cached under.
DATA_PAGES = ("scorecard", "criterion", "delivery-page", "overview")


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the fragments rendered (not found in the cache), and "export" for a
    download's file made, in order: a page whose name is not here after a request was
    served from the cache, its body not rendered."""
    names: list[str] = []
    fragment, get_or_build = fragments.fragment, cached.get_or_build

    def counted(name: str, build: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            names.append(name)
            return build()

        return run

    def fragment_spy(access: Any, name: str, parts: Any, held: Any, render: Any, **kw: Any) -> Any:
        return fragment(access, name, parts, held, counted(name, render), **kw)

    def cached_spy(key: str, build: Callable[[], Any]) -> Any:
        name = key.split(":")[1]
        return get_or_build(key, counted(name, build) if name == "export" else build)

    monkeypatch.setattr(fragments, "fragment", fragment_spy)
    monkeypatch.setattr(cached, "get_or_build", cached_spy)
    monkeypatch.setattr(render, "render_pdf", lambda doc: b"%PDF-test")
    yield names


@pytest.fixture
def pages(plan: Plan) -> dict[str, str]:
    focus_area = FocusArea.objects.get(plan=plan, code="5.1")
    criterion = factories.SuccessCriterionFactory(plan=plan, focus_area=focus_area, code="5.1.1")
    factories.TargetFactory(criterion=criterion, areas=list(plan.areas.all()))
    factories.ActivityFactory(plan=plan, focus_area=focus_area, name="Lektiecafé")
    agreement_versions(plan)
    return {
        "scorecard": reverse("criteria:scorecard", args=[plan.slug]),
        "criterion": criterion.get_absolute_url(),
        "delivery-page": reverse("activities:delivery", args=[plan.slug]),
        "overview": plan.get_absolute_url(),
        "audit-trail": reverse("audit:plan", args=[plan.slug]),
    }


def _read_all(client: Client, pages: dict[str, str]) -> dict[str, tuple[int, str]]:
    """Each page's queries and content."""
    read = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        read[name] = (len(queries), response.content.decode())
    return read


def _download_pdf(client: Client, plan: Plan) -> None:
    response = client.get(export_url(plan, "aftale", "pdf", version=1))
    assert response.status_code == 200


def _evaluation_report(plan: Plan) -> str:
    """The download URL of a programme evaluation's report (made before the pages are
    warmed: only the download happens after)."""
    evaluation = factories.ProgrammeEvaluationFactory(plan=plan, reported=True)
    return reverse("programmeevaluations:report_file", args=[plan.slug, evaluation.pk])


@pytest.mark.parametrize(
    ("download", "shown"),
    [
        pytest.param("pdf", "Dokument hentet", id="the agreement's PDF"),
        pytest.param("file", "Fil hentet", id="an evaluation's report"),
    ],
)
def test_after_a_download_the_plans_pages_are_served_from_the_cache(
    plan: Plan,
    client_for: Callable[[str], Client],
    pages: dict[str, str],
    built: list[str],
    download: str,
    shown: str,
) -> None:
    client = client_for("secretariat")
    file_url = _evaluation_report(plan) if download == "file" else ""
    cold = _read_all(client, pages)
    warm = _read_all(client, pages)
    assert all(warm[name][0] < cold[name][0] for name in pages), (cold, warm)
    version, trail = versions.current_with_trail(plan.pk)
    built.clear()
    pdf = download == "pdf"
    if pdf:
        _download_pdf(client, plan)
        _download_pdf(client, plan)
        assert built == ["export"]  # the file is made once, and kept
    else:
        assert client.get(file_url).status_code == 200
    assert versions.current_with_trail(plan.pk) == (version, trail + (2 if pdf else 1))
    built.clear()
    after = _read_all(client, pages)
    assert built == ["audit-trail"]  # the only page rendered again
    for name in DATA_PAGES:
        assert after[name][0] == warm[name][0], name  # the warm page's queries
    assert shown in after["audit-trail"][1] and shown not in warm["audit-trail"][1]


def test_a_download_filed_under_the_plan_shows_in_the_overviews_history_at_once(
    plan: Plan, client_for: Callable[[str], Client], pages: dict[str, str], built: list[str]
) -> None:
    """The overview's history panel is loaded when opened (``audit:object``, not cached):
    the overview itself stays cached and the panel shows the download."""
    client = client_for("secretariat")
    plan_type = ContentType.objects.get_for_model(Plan)
    panel = reverse("audit:object", args=[plan.slug, plan_type.pk, str(plan.pk)])
    client.get(pages["overview"])
    assert "Eksport hentet" not in client.get(panel).content.decode()
    built.clear()
    response = client.get(export_url(plan, "aktivitetsskema", "xlsx"))
    assert response.status_code == 200
    overview = client.get(pages["overview"])
    assert overview.status_code == 200 and "overview" not in built
    assert panel in overview.content.decode()
    assert "Eksport hentet" in client.get(panel).content.decode()


def test_a_write_that_changes_data_makes_every_page_new(
    plan: Plan, client_for: Callable[[str], Client], pages: dict[str, str], built: list[str]
) -> None:
    client = client_for("secretariat")
    _read_all(client, pages)
    warm = _read_all(client, pages)
    version, trail = versions.current_with_trail(plan.pk)
    built.clear()
    HousingArea.objects.create(plan=plan, slug="vest", name="Vestparken")
    assert versions.current_with_trail(plan.pk) == (version + 1, trail + 1)
    after = _read_all(client, pages)
    assert sorted(built) == sorted(pages)
    for name in pages:
        assert after[name][0] > warm[name][0], name
    assert "Vestparken" in after["audit-trail"][1] and "Vestparken" in after["scorecard"][1]
