from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helhedsplan.plans.models import Plan
from tests import factories as f
from tests.transfer.helpers import row_counts

pytestmark = pytest.mark.django_db


def test_export_then_import_from_the_shell(tmp_path: Path) -> None:
    plan = f.small_plan(slug="kilde")
    target = tmp_path / "kilde.zip"
    call_command("export_plan", "kilde", str(target))
    assert target.read_bytes()[:2] == b"PK"
    call_command("import_plan", str(target), "--slug", "kopi", "--name", "Kopi")
    copy = Plan.objects.get(slug="kopi")
    assert copy.name == "Kopi"
    assert list(copy.areas.values_list("slug", flat=True)) == list(
        plan.areas.values_list("slug", flat=True)
    )
    call_command("import_plan", str(target), "--slug", "struktur", "--structure-only")
    assert Plan.objects.get(slug="struktur").status == Plan.Status.DRAFT


def test_the_commands_refuse_in_danish(tmp_path: Path) -> None:
    f.small_plan(slug="kilde")
    with pytest.raises(CommandError, match="ingen plan med det korte navn “findes-ikke”"):
        call_command("export_plan", "findes-ikke", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_plan", str(tmp_path / "mangler.zip"), "--slug", "ny")
    target = tmp_path / "kilde.zip"
    call_command("export_plan", "kilde", str(target))
    before = row_counts()
    with pytest.raises(CommandError, match=r"Intet er importeret\. Der findes allerede en plan"):
        call_command("import_plan", str(target), "--slug", "kilde")
    assert row_counts() == before
