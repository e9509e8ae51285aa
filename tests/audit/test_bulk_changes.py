"""audit_changes: entries for objects written in bulk read exactly like auditlog's own."""

from __future__ import annotations

import copy
from decimal import Decimal

from auditlog.diff import model_instance_diff

from helhedsplan.audit.models import AuditEntry
from helhedsplan.audit.services import audit_changes
from helhedsplan.criteria.models import Observation
from helhedsplan.plans.models import Plan
from tests import factories


def _json(diff: dict[str, tuple[str, str]] | None) -> dict[str, list[str]]:
    return {k: list(v) for k, v in (diff or {}).items()}


def test_created_and_changed_objects_get_auditlogs_diff(plan: Plan) -> None:
    measure = factories.MeasureFactory(plan=plan)
    user = factories.persona(plan, "secretariat")
    [obs] = Observation.objects.bulk_create(
        [Observation(measure=measure, area=None, year=2019, value=Decimal(7), source_note="x")]
    )
    before = copy.copy(obs)
    obs.value, obs.state, obs.approved_by = Decimal(9), "approved", user
    Observation.objects.bulk_update([obs], ["value", "state", "approved_by"])
    created, changed = audit_changes(changes=[(None, before), (before, obs)], actor=user,
                                     reason="rettelse")  # fmt: skip
    created, changed = (AuditEntry.objects.get(pk=e.pk) for e in (created, changed))
    assert created.changes == _json(model_instance_diff(None, before))
    assert changed.changes == _json(model_instance_diff(before, obs))
    assert changed.changes["value"] == ["7", "9"]
    assert created.action == AuditEntry.Action.CREATE and changed.action == AuditEntry.Action.UPDATE
    assert changed.plan_id == plan.pk and changed.reason == "rettelse" and changed.actor == user
    assert changed.object_repr == str(obs) and changed.object_pk == str(obs.pk)
    # Nothing changed, nothing written.
    assert audit_changes(changes=[(obs, obs)]) == []
