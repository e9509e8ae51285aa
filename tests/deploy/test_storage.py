"""Uploads go through the storage API (``default_storage``), never a file-system path, so
the uploads of several app servers can live in an S3-compatible bucket (STORAGE_BACKEND=s3).

Proved with Django's InMemoryStorage as the default storage: a file uploaded through a page
is in that storage and nowhere on disk, and the pages that read it back (the download, the
LBF package) read it from there.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.urls import reverse

from helhedsplan.agreements.models import PlanAttachment
from helhedsplan.files.models import StoredFile
from helhedsplan.files.services import stored_file_create
from helhedsplan.plans.models import Plan
from tests.files.samples import pdf_bytes, upload


@pytest.fixture
def in_memory(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The default storage in memory; MEDIA_ROOT an empty folder that must stay empty."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Path(settings.MEDIA_ROOT)


def _nothing_on_disk(media_root: Path) -> bool:
    return not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_the_file_field_uses_the_configured_storage(in_memory: Path, plan: Plan) -> None:
    stored = stored_file_create(plan=plan, upload=upload("r.pdf", pdf_bytes("API")))
    assert isinstance(default_storage._wrapped, InMemoryStorage)  # type: ignore[attr-defined]
    assert default_storage.exists(stored.file.name)
    with default_storage.open(stored.file.name) as handle:
        assert handle.read() == pdf_bytes("API")
    assert _nothing_on_disk(in_memory)


def test_upload_and_download_through_the_pages(
    in_memory: Path, plan: Plan, client_for: Any
) -> None:
    secretariat = client_for("secretariat")
    content = pdf_bytes("Beredskab")
    response = secretariat.post(
        reverse("agreements:attachments", kwargs={"slug": plan.slug}),
        {"kind": "contingency_plan", "note": "Beredskabsplan", "file": upload("b.pdf", content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = PlanAttachment.objects.get(plan=plan, kind="contingency_plan")
    name = attachment.stored_file.file.name
    assert default_storage.exists(name)
    assert _nothing_on_disk(in_memory)

    download = client_for("auditor").get(
        reverse("agreements:attachment_file", kwargs={"slug": plan.slug, "pk": attachment.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content

    default_storage.delete(name)  # gone from the bucket: 404, not a 500
    missing = client_for("auditor").get(
        reverse("agreements:attachment_file", kwargs={"slug": plan.slug, "pk": attachment.pk})
    )
    assert missing.status_code == 404


def test_the_lbf_package_reads_uploads_from_the_storage(
    in_memory: Path, plan: Plan, client_for: Any
) -> None:
    stored = stored_file_create(plan=plan, upload=upload("beredskab.pdf", pdf_bytes("Pakke")))
    PlanAttachment.objects.create(
        plan=plan, kind="contingency_plan", stored_file=stored, note="Beredskab"
    )
    response = client_for("lbf").get(
        reverse("reports:export", kwargs={"slug": plan.slug, "exporter": "lbf-pakke", "fmt": "zip"})
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        packed = [n for n in archive.namelist() if n.endswith("beredskab.pdf")]
        assert packed and archive.read(packed[0]) == pdf_bytes("Pakke")
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert _nothing_on_disk(in_memory)
