"""manage.py import_measurements: the page's import from the shell, with a progress bar on
stderr, the refusals with their rows, and nothing written when the file is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helhedsplan.audit.models import AuditEntry
from helhedsplan.measurements.management.commands.import_measurements import ProgressBar
from helhedsplan.measurements.models import CentralMeasurement
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db

HEAD = "område;år;indikator;værdi;tæller;nævner;kilde"


def _file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "lbf.csv"
    path.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return path


def test_imports_with_a_progress_bar(factory_plan: Plan, tmp_path: Path) -> None:
    factories.UserFactory(username="operatoer")
    path = _file(tmp_path, *[f"nord;{y};doemte_pct;;{y % 40};800;" for y in range(1990, 2030)])
    out, err = io.StringIO(), io.StringIO()
    call_command("import_measurements", str(path), "--plan", "fabrik", "--user", "operatoer",
                 stdout=out, stderr=err)  # fmt: skip
    assert CentralMeasurement.objects.count() == 40
    assert "40 nye" in out.getvalue()
    assert "100 % (40/40 rækker)" in err.getvalue() and "\r[" in err.getvalue()
    event = AuditEntry.objects.get(event="central_measurements.imported")
    assert event.actor is not None and event.actor.username == "operatoer"


def test_a_refused_file_names_its_rows_and_writes_nothing(
    factory_plan: Plan, tmp_path: Path
) -> None:
    path = _file(tmp_path, "nord;2018;doemte_pct;2,5;;;", "vest;2018;doemte_pct;120;;;")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Intet er gemt"):
        call_command("import_measurements", str(path), "--plan", "fabrik", stderr=err)
    assert "Række 3, kolonne 'område'" in err.getvalue()
    assert "Række 3, kolonne 'værdi'" in err.getvalue()
    assert not CentralMeasurement.objects.exists()


def test_unknown_plan_user_or_file(factory_plan: Plan, tmp_path: Path) -> None:
    path = _file(tmp_path, "nord;2018;doemte_pct;2,5;;;")
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_measurements", str(path), "--plan", "ingen")
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_measurements", str(path), "--plan", "fabrik", "--user", "ingen")
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_measurements", str(tmp_path / "nej.csv"), "--plan", "fabrik")


def test_the_bar_draws_its_steps() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(0, 1000)
    bar(500, 1000)
    bar(1000, 1000)
    bar.close()
    text = stream.getvalue()
    assert "\r[          ] 0 % (0/1000 rækker)" in text
    assert "\r[#####     ] 50 % (500/1000 rækker)" in text
    assert text.endswith("] 100 % (1000/1000 rækker)\n")
