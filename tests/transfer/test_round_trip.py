"""Export, import and export again give the same document (except what names the export)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat

from helhedsplan.accounts.models import Membership, User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.files.models import StoredFile
from helhedsplan.meetings.models import Decision
from helhedsplan.plans.models import Plan
from helhedsplan.transfer import schema
from helhedsplan.transfer.services import FORMAT, plan_copy_structure, plan_export, plan_import
from tests import factories as f
from tests.transfer.builders import full_plan
from tests.transfer.helpers import comparable, document_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Plan:
    return full_plan(slug="kilde")


def test_the_factory_plan_has_a_row_of_every_exported_model(source: Plan) -> None:
    empty = [
        m._meta.label
        for m in schema.exported_models()
        if not m.for_plan(source).exists()  # type: ignore[attr-defined]
    ]
    assert empty == [], f"Add a row of these to tests/transfer/builders.py: {empty}"


def test_export_import_export_gives_the_same_document(source: Plan) -> None:
    first = plan_export(source)
    copy = plan_import(data=first, slug="kopi", name="Kopien")
    second = plan_export(copy)
    assert comparable(document_of(second)) == comparable(document_of(first))
    assert copy.name == "Kopien"
    # Every model's rows, all of them, went across.
    for model in schema.exported_models():
        assert model.for_plan(copy).count() == model.for_plan(source).count(), model  # type: ignore[attr-defined]


def test_the_zip_holds_the_document_the_files_and_their_checksums(source: Plan) -> None:
    data = plan_export(source)
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["members"]) == set(archive.namelist()) - {"manifest.json"}
    for name, digest in manifest["members"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    for stored in StoredFile.objects.filter(plan=source):
        assert archive.read(f"files/{stored.sha256}") == stored.file.read()
    document = document_of(data)
    assert document["format"] == FORMAT
    assert document["product_version"]
    assert document["exported_at"]
    # Foreign keys are export-local references, never database ids.
    area = document["records"]["plans.HousingArea"][0]
    assert area["fields"]["plan"] == "plans.Plan#1"
    users = document["shared"]["accounts.User"]
    assert users and all("password" not in u["fields"] for u in users)
    assert b"pbkdf2" not in archive.read("plan.json")


def test_import_into_the_same_database_remaps_everything(source: Plan) -> None:
    copy = plan_import(data=plan_export(source), slug="kopi")
    # The generic link of a decision points at the copy's sub-agreement, not the source's.
    decision = Decision.objects.get(meeting__plan=copy)
    assert decision.concerns is not None
    assert decision.concerns.focus_area.plan == copy  # type: ignore[attr-defined]
    # The audit trail is the copy's, its objects the copy's rows.
    entries = AuditEntry.objects.filter(plan=copy)
    assert entries.count() == AuditEntry.objects.filter(plan=source).count() + 1
    plan_entries = entries.filter(content_type__model="plan", event="plan.exported")
    assert [e.object_pk for e in plan_entries] == [str(copy.pk)]
    # Users are reused by username; the files are stored again for the new plan.
    assert set(Membership.objects.filter(plan=copy).values_list("user", flat=True)) == set(
        Membership.objects.filter(plan=source).values_list("user", flat=True)
    )
    copied = StoredFile.objects.filter(plan=copy)
    assert copied.count() == StoredFile.objects.filter(plan=source).count() == 6
    assert all(f.file.name.startswith(f"plans/{copy.pk}/") for f in copied)
    assert copy.areas.get(slug="nord").housing_organisations.get().cvr == "12345678"


def test_import_into_an_empty_database_creates_inactive_users(source: Plan) -> None:
    data = plan_export(source)
    # Another installation: none of the plan's users exist by those names there.
    usernames = list(
        User.objects.filter(memberships__plan=source).values_list("username", flat=True)
    )
    User.objects.filter(username__in=usernames).update(username=Concat(F("username"), Value("-")))
    copy = plan_import(data=data, slug="kopi")
    created = User.objects.filter(username__in=usernames)
    assert created.count() == len(usernames)
    assert not any(u.is_active or u.has_usable_password() for u in created)
    assert Membership.objects.filter(plan=copy, user__in=created).count() == len(usernames)


def test_structure_only_copies_the_setup_without_data(source: Plan) -> None:
    copy = plan_import(data=plan_export(source), slug="ny", structure_only=True)
    assert copy.status == Plan.Status.DRAFT
    kept = {"plans.Plan", *schema.STRUCTURE}
    for model in schema.exported_models():
        label = model._meta.label
        count = model.for_plan(copy).count()  # type: ignore[attr-defined]
        if label in kept:
            assert count == model.for_plan(source).count(), label  # type: ignore[attr-defined]
        else:
            assert count == 0, label
    version = copy.agreement_versions.get()
    assert (version.number, version.status, version.created_by) == (1, "draft", None)
    assert version.sections.count() == 1
    assert [e.event for e in AuditEntry.objects.filter(plan=copy)] == ["plan.imported"]


def test_structure_only_keeps_the_agreement_in_force_as_a_new_draft() -> None:
    plan = f.small_plan(slug="kilde")
    approved = f.AgreementVersionFactory(
        plan=plan, status="approved", in_force_from=date(2018, 1, 1)
    )
    f.AgreementSectionFactory(version=approved, key="1", body="Godkendt tekst.")
    f.AgreementSectionFactory(version=approved, key="2", title="Organisering", body="Tekst.")
    draft = f.AgreementVersionFactory(plan=plan)
    f.AgreementSectionFactory(version=draft, key="1", body="Ændret kladde.")
    copy = plan_copy_structure(plan=plan, slug="ny", name="Ny plan")
    version = copy.agreement_versions.get()
    assert (version.number, version.status) == (1, "draft")
    assert list(version.sections.order_by("key").values_list("body", flat=True)) == [
        "Godkendt tekst.",
        "Tekst.",
    ]


def test_an_export_whose_stored_file_is_gone_says_which(source: Plan) -> None:
    stored = StoredFile.objects.filter(plan=source).first()
    assert stored is not None
    stored.file.storage.delete(stored.file.name)
    with pytest.raises(ValidationError, match=r"files\.StoredFile#"):
        plan_export(source)


def test_a_file_without_a_newer_field_imports_with_its_default() -> None:
    """Adding a field does not raise the format: an older file lacks it, the default fills."""
    from tests.transfer.helpers import with_manifest

    plan = f.small_plan(slug="kilde")
    plan.areas.update(priority=1)
    data = plan_export(plan)
    document = document_of(data)
    for record in document["records"]["plans.HousingArea"]:
        del record["fields"]["priority"]
    copy = plan_import(data=with_manifest(data, document), slug="kopi")
    assert list(copy.areas.values_list("priority", flat=True)) == [None, None]


def test_an_export_of_a_closed_plan_imports_as_a_closed_plan(source: Plan) -> None:
    """The closing stamp is on the plan row, before its children: the import writes them as
    its own (plans.closing), and the copy is as read-only as the original."""
    from django.utils import timezone

    from helhedsplan.plans.closing import ensure_plan_open

    Plan.objects.filter(pk=source.pk).update(
        closed_at=timezone.now(), close_reason="Perioden er slut.", status=Plan.Status.CLOSED
    )
    source.refresh_from_db()
    copy = plan_import(data=plan_export(source), slug="lukket-kopi")
    assert copy.is_closed and copy.close_reason == "Perioden er slut."
    assert copy.areas.count() == source.areas.count()
    with pytest.raises(ValidationError) as exc:
        ensure_plan_open(copy.pk)
    assert exc.value.code == "plan_closed"
