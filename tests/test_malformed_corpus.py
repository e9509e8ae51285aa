"""Every file of the malformed corpus is refused with its Danish message, and nothing is written.

The files live in ``tests/corpus/<kind>/`` (made by ``tests/corpus/make_corpus.py``), each with
a sidecar ``<file>.expect`` listing fragments of the expected message. Each runs through the
real service on the demo plan: the criteria import (``read_file`` + ``observations_import``,
as the web view and the command do), the activity-plan import, and the attachment or minutes
upload (``files.validation`` behind ``stored_file_create``). The size and row limits are
lowered to the corpus's so that the "too big" cases stay small files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from helhedsplan.activities import activity_plan
from helhedsplan.activities.models import PlannedQuantity
from helhedsplan.agreements.models import AttachmentKind, PlanAttachment
from helhedsplan.agreements.services import plan_attachment_upload
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria import importing, services
from helhedsplan.criteria.models import Observation
from helhedsplan.files import services as file_services
from helhedsplan.files import validation
from helhedsplan.files.models import StoredFile
from helhedsplan.meetings.models import Meeting
from helhedsplan.meetings.services import meeting_minutes_upload
from helhedsplan.plans.models import Plan
from tests.corpus.make_corpus import LIMIT_BYTES, LIMIT_ROWS
from tests.meetings.factories import board_meeting

# The corpus files name the seed's criteria, activities and areas: uses the demo.
pytestmark = pytest.mark.demo

CORPUS = Path(__file__).resolve().parent / "corpus"
KINDS = ("observations", "activity_plan", "upload")
CASES = sorted(
    (kind, path.name)
    for kind in KINDS
    for path in (CORPUS / kind).iterdir()
    if path.suffix != ".expect" and path.with_name(path.name + ".expect").exists()
)


def test_the_corpus_is_complete() -> None:
    """At least 60 cases, every kind present, and no file without its sidecar."""
    assert len(CASES) >= 60
    assert {kind for kind, _name in CASES} == set(KINDS)
    for kind in KINDS:
        for path in (CORPUS / kind).iterdir():
            partner = path.with_suffix("") if path.suffix == ".expect" else Path(f"{path}.expect")
            assert partner.exists(), f"{path} has no partner {partner.name}"


def _counts(plan: Plan) -> dict[str, int]:
    return {
        "observations": Observation.objects.filter(measure__plan=plan).count(),
        "planned": PlannedQuantity.objects.filter(activity__plan=plan).count(),
        "planned_values": sum(
            PlannedQuantity.objects.filter(activity__plan=plan).values_list("quantity", flat=True)
        ),
        "stored_files": StoredFile.objects.count(),
        "attachments": PlanAttachment.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _refusal(kind: str, name: str, data: bytes, plan: Plan, meeting: Meeting | None) -> str:
    """The refusal's text; fails the test if the file is accepted."""
    if kind == "observations":
        with pytest.raises(services.ImportFailed) as failed:
            rows = importing.read_file(name, data)
            services.observations_import(plan=plan, rows=rows, file_name=name)
        return "\n".join(str(e) for e in failed.value.errors)
    upload = SimpleUploadedFile(name, data)
    with pytest.raises(ValidationError) as refused:
        if kind == "activity_plan":
            activity_plan.activity_plan_import(plan=plan, file=upload, file_name=name)
        elif meeting is not None:
            meeting_minutes_upload(meeting=meeting, upload=upload, actor=None)
        else:
            plan_attachment_upload(plan=plan, kind=AttachmentKind.BUDGET, upload=upload)
    return "\n".join(refused.value.messages)


@pytest.fixture
def lowered_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", LIMIT_BYTES)
    monkeypatch.setattr(importing, "MAX_IMPORT_ROWS", LIMIT_ROWS)
    monkeypatch.setattr(activity_plan, "MAX_IMPORT_BYTES", LIMIT_BYTES)
    monkeypatch.setattr(activity_plan, "MAX_ROWS", LIMIT_ROWS)

    def validate(upload: Any, allowed: Any = validation.ALL_KINDS, max_bytes: int = 0) -> str:
        return validation.validate_upload(upload, allowed=allowed, max_bytes=LIMIT_BYTES)

    monkeypatch.setattr(file_services, "validate_upload", validate)


@pytest.mark.usefixtures("lowered_limits")
@pytest.mark.parametrize(("kind", "name"), CASES, ids=[f"{k}/{n}" for k, n in CASES])
def test_malformed_file_is_refused_with_its_message_and_nothing_is_written(
    plan: Plan, kind: str, name: str
) -> None:
    path = CORPUS / kind / name
    expected = [
        line for line in path.with_name(name + ".expect").read_text("utf-8").splitlines() if line
    ]
    meeting = board_meeting(plan) if name.startswith("minutes-") else None
    before = _counts(plan)
    message = _refusal(kind, name, path.read_bytes(), plan, meeting)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert _counts(plan) == before, "a refused file must write nothing"
    if meeting is not None:
        meeting.refresh_from_db()
        assert meeting.minutes_file_id is None
