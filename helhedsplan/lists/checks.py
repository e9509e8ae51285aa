"""``manage.py check``: every rule set of the lists (the package's and a deployer's extra
directory, setting ``HELHEDSPLAN_LIST_RULES_DIR``) must be valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from helhedsplan.lists.engine import rules


@checks.register()
def check_list_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from helhedsplan.lists import wording

    extra = getattr(settings, "HELHEDSPLAN_LIST_RULES_DIR", None)
    dirs: tuple[Path, ...] = ()
    if extra:
        if not Path(extra).is_dir():
            return [
                checks.Error(
                    f"HELHEDSPLAN_LIST_RULES_DIR ({extra}) er ikke en mappe.",
                    id="lists.E002",
                )
            ]
        dirs = (Path(extra),)
    try:
        rules.load_rule_sets(dirs)
    except rules.RuleSetError as exc:
        return [checks.Error(wording.rule_set_error_text(exc), id="lists.E001")]
    return []
