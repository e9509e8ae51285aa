"""Storing and serving files: outside the web root, hashed, audited, permission-checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

import helhedsplan
from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.files.models import StoredFile
from helhedsplan.files.services import stored_file_create
from helhedsplan.files.views import stored_file_response
from helhedsplan.plans import versions
from helhedsplan.plans.models import Plan
from tests.files import samples


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "uploads"


def test_upload_is_stored_under_a_random_name_with_hash_and_audit(plan: Plan, persona) -> None:
    user = persona("secretariat")
    content = samples.docx_bytes()
    stored = stored_file_create(
        plan=plan, upload=samples.upload("../../etc/referat.docx", content), actor=user
    )
    assert stored.kind == "docx"
    assert stored.original_name == "referat.docx"
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.file.name.startswith(f"plans/{plan.pk}/")
    assert "referat" not in stored.file.name and stored.file.name.endswith(".docx")
    assert Path(stored.file.path).read_bytes() == content
    entry = AuditEntry.objects.get(event="file.uploaded")
    assert entry.plan_id == plan.pk and entry.actor == user


def test_refused_upload_writes_nothing(plan: Plan, settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        stored_file_create(
            plan=plan,
            upload=samples.upload("referat.pdf", samples.executable_bytes()),
            allowed={"pdf", "docx"},
        )
    assert exc.value.code == "file_type_not_allowed"
    assert not StoredFile.objects.exists()
    assert not AuditEntry.objects.filter(event="file.uploaded").exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def _request(user: User):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_download_checks_permission_and_audits(plan: Plan, persona) -> None:
    stored = stored_file_create(plan=plan, upload=samples.upload("r.pdf", samples.pdf_bytes()))
    request = _request(persona("auditor"))
    access = get_plan_access(request.user, plan.slug)
    response = stored_file_response(
        request=request, access=access, stored=stored, permission="plan.view"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="r.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined,arg-type]
    assert AuditEntry.objects.filter(event="file.downloaded", actor=request.user).count() == 1
    with pytest.raises(PermissionDenied):
        stored_file_response(request=request, access=access, stored=stored, permission="plan.edit")


def test_a_download_is_audited_as_a_read(plan: Plan, persona) -> None:  # type: ignore[no-untyped-def]
    """Its entry raises the plan's trail, not its data version (``plans.versions``): the
    trail shows it at once, the plan's cached pages stay warm."""
    stored = stored_file_create(plan=plan, upload=samples.upload("r.pdf", samples.pdf_bytes()))
    request = _request(persona("auditor"))
    access = get_plan_access(request.user, plan.slug)
    version, trail = versions.current_with_trail(plan.pk)
    stored_file_response(request=request, access=access, stored=stored, permission="plan.view")
    assert versions.current_with_trail(plan.pk) == (version, trail + 1)


def test_every_stored_file_is_served_through_the_one_door() -> None:
    """``stored_file_response`` is the only response that serves a stored file (it checks
    the permission and audits the download as a read): no other module builds one."""
    root = Path(helhedsplan.__file__).parent
    serving = [p.relative_to(root) for p in root.rglob("*.py") if "FileResponse(" in p.read_text()]
    assert serving == [Path("files/views.py")]


def test_file_of_another_plan_is_404(plan: Plan, other_plan: Plan, persona) -> None:
    stored = stored_file_create(
        plan=other_plan, upload=samples.upload("r.pdf", samples.pdf_bytes())
    )
    request = _request(persona("secretariat"))
    access = get_plan_access(request.user, plan.slug)
    with pytest.raises(Http404):
        stored_file_response(request=request, access=access, stored=stored, permission="plan.view")
