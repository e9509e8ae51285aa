"""The plan page's export link, the exporter, and staff's import page."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from helhedsplan.transfer.services import plan_export
from tests import factories as f
from tests.transfer.helpers import row_counts

pytestmark = pytest.mark.django_db
URL = "/administration/planer/importer/"


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(f.UserFactory(username="drift", is_staff=True))
    return client


def test_the_url_name() -> None:
    assert reverse("transfer:staff_import") == URL


def test_the_secretariat_downloads_the_whole_plan(
    factory_plan: Plan, factory_client_for: Callable[[str], Client]
) -> None:
    page = factory_client_for("secretariat").get(factory_plan.get_absolute_url())
    link = export_url(factory_plan, "plan-eksport", "zip")
    assert link in page.content.decode()
    response = factory_client_for("secretariat").get(link)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    assert "plan.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert AuditEntry.objects.filter(plan=factory_plan, event="plan.exported").exists()


@pytest.mark.parametrize("role", ["coordinator", "board", "lbf", "auditor", "municipal"])
def test_only_the_secretariat_may_export(
    role: str, factory_plan: Plan, factory_client_for: Callable[[str], Client]
) -> None:
    client = factory_client_for(role)
    assert (
        export_url(factory_plan, "plan-eksport", "zip")
        not in client.get(factory_plan.get_absolute_url()).content.decode()
    )
    assert client.get(export_url(factory_plan, "plan-eksport", "zip")).status_code == 403


def test_the_import_page_is_for_staff_only(
    factory_plan: Plan, factory_client_for: Callable[[str], Client]
) -> None:
    assert factory_client_for("secretariat").get(URL).status_code == 403
    assert factory_client_for("secretariat").post(URL, {"action": "copy"}).status_code == 403
    assert Client().get(URL).status_code == 302


def test_staff_imports_an_export(staff_client: Client) -> None:
    data = plan_export(f.small_plan(slug="kilde"))
    page = staff_client.get(URL)
    assert page.status_code == 200
    assert 'for="id_import-file"' in page.content.decode()
    response = staff_client.post(
        URL,
        {
            "action": "import",
            "import-file": SimpleUploadedFile("kilde.zip", data),
            "import-slug": "kopi",
            "import-name": "Kopien",
        },
    )
    copy = Plan.objects.get(slug="kopi")
    assert response.status_code == 302
    assert response["Location"] == URL
    assert "er oprettet med det korte navn kopi" in staff_client.get(URL).content.decode()
    assert copy.name == "Kopien"
    assert copy.areas.count() == 2
    entry = AuditEntry.objects.get(plan=copy, event="plan.imported")
    assert entry.actor.username == "drift"  # type: ignore[union-attr]


def test_staff_makes_a_plan_from_another_plans_structure(staff_client: Client) -> None:
    source = f.small_plan(slug="kilde")
    f.ObservationFactory(measure=f.MeasureFactory(plan=source), area=source.areas.first())
    page = staff_client.get(URL + "?kilde=kilde")
    assert '<option value="kilde" selected>' in page.content.decode()
    response = staff_client.post(
        URL, {"action": "copy", "copy-source": "kilde", "copy-slug": "ny", "copy-name": "Ny plan"}
    )
    assert response.status_code == 302
    copy = Plan.objects.get(slug="ny")
    assert (copy.name, copy.status, copy.areas.count()) == ("Ny plan", "draft", 2)
    assert copy.measures.count() == 1
    assert not copy.measures.get().observations.exists()


def test_a_refused_upload_shows_why_and_writes_nothing(staff_client: Client) -> None:
    f.small_plan(slug="kilde")
    before = row_counts()
    response = staff_client.post(
        URL,
        {
            "action": "import",
            "import-file": SimpleUploadedFile("x.zip", b"not a zip"),
            "import-slug": "ny",
        },
    )
    assert response.status_code == 200
    assert "Filen er ikke en ZIP-fil fra en planeksport." in response.content.decode()
    response = staff_client.post(
        URL, {"action": "copy", "copy-source": "kilde", "copy-slug": "kilde"}
    )
    assert "Der findes allerede en plan med det korte navn “kilde”" in response.content.decode()
    assert row_counts() == before
