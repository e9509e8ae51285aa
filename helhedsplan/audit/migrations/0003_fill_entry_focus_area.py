"""Files the entries written before the focus-area key under their focus area.

For each model under a focus area (its ``focus_area_path`` as the models declare it, copied
here because a migration cannot read class attributes of historical models), the entries'
objects are looked up in batches and their focus area written with one UPDATE per batch and
focus area. An object that is gone is found by the focus area its own entries recorded
(a direct ``focus_area`` key); what cannot be found stays unfiled. Plain ORM: SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import migrations

# (app label, model) -> the paths to the focus area, tried in order.
PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("plans", "focusarea"): ("pk",),
    ("criteria", "successcriterion"): ("focus_area",),
    ("criteria", "target"): ("criterion__focus_area",),
    ("criteria", "seednote"): ("criterion__focus_area",),
    ("criteria", "observation"): ("measure__criteria__focus_area",),
    ("activities", "activity"): ("focus_area",),
    ("activities", "activityarea"): ("activity__focus_area",),
    ("activities", "plannedquantity"): ("activity__focus_area",),
    ("activities", "registration"): ("activity__focus_area",),
    ("activities", "evaluation"): ("activity__focus_area",),
    ("agreements", "subagreementversion"): ("focus_area",),
    ("agreements", "proposedchange"): ("focus_area", "criterion__focus_area"),
    ("meetings", "boardassessment"): ("focus_area",),
    ("statusreports", "statusnarrative"): ("focus_area",),
    ("finance", "budgetline"): ("focus_area",),
    ("finance", "budgetamount"): ("line__focus_area",),
    ("spending", "actualspending"): ("line__focus_area",),
    ("spending", "spendingcorrection"): ("line__focus_area",),
}
BATCH = 500


def _recorded_id(value: Any) -> int | None:
    """The focus area a stored diff names: ``[old, new]``, the new one unless it is empty."""
    if isinstance(value, list | tuple) and len(value) == 2:
        old, new = value
        value = new if new not in (None, "None", "") else old
    text = str(value) if value is not None else ""
    return int(text) if text.isdigit() else None


def fill_focus_areas(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("audit", "AuditEntry")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    for (app_label, model_name), paths in PATHS.items():
        ct = content_type_model.objects.filter(app_label=app_label, model=model_name).first()
        if ct is None:
            continue
        model = apps.get_model(app_label, model_name)
        entries = entry_model.objects.filter(content_type_id=ct.pk, focus_area__isnull=True)
        object_pks = sorted(set(entries.values_list("object_pk", flat=True)))
        for start in range(0, len(object_pks), BATCH):
            batch = object_pks[start : start + BATCH]
            found: dict[str, int] = {}
            if paths == ("pk",):
                found = {pk: int(pk) for pk in batch if pk.isdigit()}
            else:
                ids = [int(pk) for pk in batch if pk.isdigit()]
                for path in paths:
                    through = path.rsplit("__", 1)[0] + "__pk" if "__" in path else "pk"
                    rows = (
                        model._default_manager.filter(pk__in=ids, **{f"{path}__isnull": False})
                        .order_by("pk", through)
                        .values_list("pk", path)
                    )
                    for pk, focus_area_id in rows:
                        found.setdefault(str(pk), focus_area_id)
            _update(entries, found)
        if paths[0] != "pk" and "__" not in paths[0]:
            # Objects that are gone: the focus area their own entries recorded.
            recorded: dict[str, int] = {}
            rest = entries.order_by("pk").values_list("object_pk", "changes")
            for object_pk, changes in rest.iterator(chunk_size=BATCH):
                if object_pk in recorded or not isinstance(changes, dict):
                    continue
                focus_area_id = _recorded_id(changes.get(paths[0]))
                if focus_area_id is not None:
                    recorded[object_pk] = focus_area_id
            _update(entries, recorded)


def _update(entries: Any, found: dict[str, int]) -> None:
    by_focus_area: dict[int, list[str]] = defaultdict(list)
    for object_pk, focus_area_id in found.items():
        by_focus_area[focus_area_id].append(object_pk)
    for focus_area_id, object_pks in by_focus_area.items():
        for start in range(0, len(object_pks), BATCH):
            entries.filter(object_pk__in=object_pks[start : start + BATCH]).update(
                focus_area_id=focus_area_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_entry_focus_area"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0004_final_report"),
        ("criteria", "0005_measure_data_owner"),
        ("activities", "0004_activity_start_and_end"),
        ("agreements", "0005_sub_agreement_board_decision"),
        ("meetings", "0005_meeting_status_report"),
        ("statusreports", "0002_corrections_link_their_objects"),
        ("finance", "0002_fundingsource_housing_organisation_and_more"),
        ("spending", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill_focus_areas, migrations.RunPython.noop)]
