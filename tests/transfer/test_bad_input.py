"""Every refused import says what is wrong, in Danish, and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.plans.models import Plan
from helhedsplan.transfer.services import plan_export, plan_import
from tests import factories as f
from tests.transfer.builders import full_plan
from tests.transfer.helpers import document_of, rezip, row_counts, with_manifest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(django_db_setup: None, django_db_blocker: Any) -> bytes:
    """One export for the module (the database is rolled back after each test)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            data = plan_export(full_plan(slug="kilde"))
            transaction.set_rollback(True)
    return data


def _changed(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    change(document)
    return document


def _newer(d: dict[str, Any]) -> None:
    d["format"] = 2


def _unknown_model(d: dict[str, Any]) -> None:
    d["records"]["nowhere.Thing"] = []


def _unknown_field(d: dict[str, Any]) -> None:
    d["records"]["plans.HousingArea"][0]["fields"]["colour"] = "blå"


def _invalid_value(d: dict[str, Any]) -> None:
    d["records"]["plans.AreaPopulation"][0]["fields"]["year"] = 1800


def _duplicate_area(d: dict[str, Any]) -> None:
    areas = d["records"]["plans.HousingArea"]
    areas[1]["fields"]["slug"] = areas[0]["fields"]["slug"]


def _dangling_ref(d: dict[str, Any]) -> None:
    d["records"]["plans.SubArea"][0]["fields"]["area"] = "plans.HousingArea#99"


def _cpr(d: dict[str, Any]) -> None:
    d["records"]["meetings.Notice"][0]["fields"]["description"] = "Beboer 010203-1234 klagede."


def _no_plan(d: dict[str, Any]) -> None:
    d["records"]["plans.Plan"] = []


def _bad_section(d: dict[str, Any]) -> None:
    d["audit"] = {"not": "a list"}


DOCUMENT_CASES = {
    "newer_format": (_newer, "format 2"),
    "unknown_model": (_unknown_model, "nowhere.Thing"),
    "unknown_field": (_unknown_field, "colour"),
    "invalid": (_invalid_value, "plans.AreaPopulation#1"),
    "invalid_unique": (_duplicate_area, "plans.HousingArea#2"),
    "bad_ref": (_dangling_ref, "plans.HousingArea#99"),
    "cpr": (_cpr, "meetings.Notice#1"),
    "no_plan": (_no_plan, "præcis én plan"),
    "bad_section": (_bad_section, "audit"),
}


def _refused(data: bytes, slug: str = "ny") -> str:
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        plan_import(data=data, slug=slug)
    assert row_counts() == before
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_a_bad_document_is_refused_and_nothing_written(exported: bytes, case: str) -> None:
    change, says = DOCUMENT_CASES[case]
    data = with_manifest(exported, _changed(document_of(exported), change))
    assert says in _refused(data)


def test_a_newer_format_names_both_versions(exported: bytes) -> None:
    message = _refused(with_manifest(exported, _changed(document_of(exported), _newer)))
    assert message == (
        "Filen er i eksportformat 2, men denne installation læser kun format op til 1. "
        "Opdatér produktet, før filen importeres."
    )


def test_a_broken_checksum_is_refused(exported: bytes) -> None:
    document = document_of(exported)
    document["records"]["plans.HousingArea"][0]["fields"]["name"] = "Ændret"
    tampered = rezip(exported, plan_json=json.dumps(document).encode())
    assert "Kontrolsummen for plan.json passer ikke" in _refused(tampered)


def test_a_changed_stored_file_is_refused(exported: bytes) -> None:
    member = next(n for n in document_of_names(exported) if n.startswith("files/"))
    key = member.replace("/", "__")
    assert f"Kontrolsummen for {member} passer ikke" in _refused(
        rezip(exported, **{key: b"%PDF- anden fil"})
    )


def document_of_names(data: bytes) -> list[str]:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_a_missing_member_is_refused(exported: bytes) -> None:
    member = next(n for n in document_of_names(exported) if n.startswith("files/"))
    assert f"mangler delen {member}" in _refused(
        rezip(exported, **{member.replace("/", "__"): None})
    )


def test_a_missing_manifest_is_refused(exported: bytes) -> None:
    assert "manifest.json" in _refused(rezip(exported, manifest_json=None))


def test_a_malformed_manifest_is_refused(exported: bytes) -> None:
    assert "manifest.json er ikke gyldig JSON" in _refused(rezip(exported, manifest_json=b"{"))


def test_an_unlisted_member_is_refused(exported: bytes) -> None:
    import io
    import zipfile

    out = io.BytesIO(exported)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("extra.txt", "x")
    assert "extra.txt står ikke i manifest.json" in _refused(out.getvalue())


def test_malformed_json_is_refused(exported: bytes) -> None:
    import hashlib

    document = b'{"format": 1, "records": '
    broken = rezip(exported, plan_json=document)
    manifest = json.loads(rezip_read(broken, "manifest.json"))
    manifest["members"]["plan.json"] = hashlib.sha256(document).hexdigest()
    broken = rezip(broken, manifest_json=json.dumps(manifest).encode())
    assert "plan.json er ikke gyldig JSON" in _refused(broken)


def rezip_read(data: bytes, name: str) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def test_not_a_zip_is_refused() -> None:
    assert _refused(b"%PDF-1.7 not a zip") == "Filen er ikke en ZIP-fil fra en planeksport."


def test_an_existing_slug_is_refused(exported: bytes) -> None:
    f.PlanFactory(slug="optaget")
    assert "korte navn “optaget”" in _refused(exported, slug="optaget")


def test_an_invalid_slug_is_refused(exported: bytes) -> None:
    assert "plans.Plan#1" in _refused(exported, slug="ikke et slug")


def test_a_refused_import_leaves_no_files_behind(exported: bytes, settings: Any) -> None:
    document = _changed(document_of(exported), _cpr)  # fails after the files are stored
    _refused(with_manifest(exported, document))
    uploads = settings.MEDIA_ROOT
    assert uploads.exists()  # the files were stored on the way, and deleted again
    assert not any(p.is_file() for p in uploads.rglob("*"))
    assert not Plan.objects.filter(slug="ny").exists()
