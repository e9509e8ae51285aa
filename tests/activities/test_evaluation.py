"""Qualitative evaluation per activity and period: rating, narrative, evidence, author, date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.activities import services
from helhedsplan.activities.models import Evaluation
from helhedsplan.plans.models import Plan
from tests.activities.conftest import evaluator
from tests.files.samples import executable_bytes, pdf_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seedlike")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _evaluate(access: Any, activity: Any, **overrides: Any) -> Evaluation:
    values: dict[str, Any] = {
        **evaluator(access),
        "user": None,
        "activity": activity,
        "period_start": date(2018, 1, 1),
        "period_end": date(2018, 12, 31),
        "rating": "delvist",
        "narrative": "Flere unge i foreningslivet, men få piger.",
        "evaluated_on": date(2019, 1, 20),
    }
    values.update(overrides)
    return services.evaluation_create(**values)


def test_evaluation_with_link_and_file(
    plan: Plan, access_for: Any, activity: Any, client_for: Callable[[str], Client]
) -> None:
    evaluation = _evaluate(
        access_for("sekretariat"),
        activity("idraetspartnerskaber"),
        evidence_link="https://example.org/rapport",
        evidence_upload=upload("rapport.pdf", pdf_bytes()),
    )
    assert evaluation.evidence_file is not None
    url = reverse("activities:detail", args=[plan.slug, "idraetspartnerskaber"])
    text = client_for("board").get(url).content.decode()
    assert "Delvist" in text and "rapport.pdf" in text and "få piger" in text
    download = reverse("activities:evaluation_file", args=[plan.slug, evaluation.pk])
    response = client_for("auditor").get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_coordinator_evaluates_only_activities_in_their_areas(
    access_for: Any, activity: Any
) -> None:
    coordinator = access_for("koordinator")  # Motalavej, as the demo coordinator
    _evaluate(coordinator, activity("tryghedsvandringer"))
    with pytest.raises(ValidationError) as info:
        _evaluate(coordinator, activity("uddannelsestilbud-sydbyen"))
    assert info.value.code == "not_allowed"


def test_bad_input_writes_nothing(access_for: Any, activity: Any) -> None:
    sec, walks = access_for("sekretariat"), activity("tryghedsvandringer")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"period_end": date(2017, 6, 1)}, "period_order"),
        ({"period_start": date(2023, 1, 1), "period_end": date(2023, 6, 1)}, "period_outside_plan"),
        ({"narrative": "Samtale med 010203-1234"}, "cpr_number"),
        ({"evidence_upload": upload("rapport.pdf", executable_bytes())}, "file_type_not_allowed"),
    ]
    for overrides, code in cases:
        with pytest.raises(ValidationError) as info:
            _evaluate(sec, walks, **overrides)
        codes = (
            [e.code for e in info.value.error_list]
            if not hasattr(info.value, "error_dict")
            else [e.code for es in info.value.error_dict.values() for e in es]
        )
        assert code in codes, overrides
    assert not Evaluation.objects.exists()


def test_coordinator_gets_403_for_an_activity_outside_their_areas(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("activities:evaluation_create", args=[plan.slug, "uddannelsestilbud-sydbyen"])
    assert client_for("coordinator").get(url).status_code == 403
