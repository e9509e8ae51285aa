"""A guard for issue 9, defect 7: every view that saves over an existing object carries the
version its form was opened from (lib.concurrency). A new edit view without it fails here;
the race test for each form is in tests/lib/test_lost_updates.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

VIEWS = sorted((Path(__file__).resolve().parents[2] / "helhedsplan").glob("*/views.py"))
# A form bound to an existing object, or a call to a service that changes one.
EDITS = re.compile(
    r"Form\([^)]*instance=|services\.\w+_(update|register|handle|end|amounts_set|approve|return)\b"
)
VERSIONED = re.compile(r"carry_version|submitted_version|\"version\"")


def _edit_views() -> dict[str, str]:
    """Every view function (or helper) in the views modules that edits, with its source."""
    found = {}
    for path in VIEWS:
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            body = ast.get_source_segment(source, node) or ""
            if isinstance(node, ast.FunctionDef) and EDITS.search(body):
                found[f"{path.parent.name}.views.{node.name}"] = body
    return found


@pytest.mark.slow
def test_every_edit_view_carries_a_version() -> None:
    unversioned = [name for name, body in _edit_views().items() if not VERSIONED.search(body)]
    assert not unversioned, f"edit views without a version check: {unversioned}"


@pytest.mark.slow
def test_the_guard_sees_the_edit_views() -> None:
    found = {name.rsplit(".", 1)[1] for name in _edit_views()}
    assert {"section_edit", "sub_agreement_edit", "plan_edit", "focus_area_edit",
            "target_edit", "observation_new", "funding_edit", "meeting_edit", "_person_form",
            "observation_approve", "observation_return", "delivery_settings",
            "_save_registration", "dispute_handle", "membership_end"} <= found, found  # fmt: skip
