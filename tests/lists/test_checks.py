"""An invalid rule set in HELHEDSPLAN_LIST_RULES_DIR is an Error at ``manage.py check``."""

from __future__ import annotations

import json
from pathlib import Path

from helhedsplan.lists.checks import check_list_rules


def test_invalid_extra_rule_set_is_a_check_error(settings, tmp_path: Path):
    (tmp_path / "2030.json").write_text(json.dumps({"format": 1, "id": "x"}), encoding="utf-8")
    settings.HELHEDSPLAN_LIST_RULES_DIR = str(tmp_path)
    (error,) = check_list_rules()
    assert error.id == "lists.E001"
    assert "2030.json" in error.msg and "from_year" in error.msg


def test_valid_setup_has_no_errors(settings, tmp_path: Path):
    settings.HELHEDSPLAN_LIST_RULES_DIR = str(tmp_path)
    assert check_list_rules() == []
    settings.HELHEDSPLAN_LIST_RULES_DIR = str(tmp_path / "nope")
    assert check_list_rules()[0].id == "lists.E002"
