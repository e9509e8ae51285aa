"""Recording business events that are not plain field changes (downloads, approvals)."""

from __future__ import annotations

from typing import Any

from django.db import models

from helhedsplan.audit.context import check_reason
from helhedsplan.audit.models import AuditEntry


def audit_event(
    *,
    instance: models.Model,
    event: str,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one entry for ``event`` (a dotted code such as ``file.downloaded``).

    A ``reason`` holding a CPR number is refused (``audit.context.check_reason``).
    """
    check_reason(reason)
    entry: AuditEntry = AuditEntry.objects.log_create(
        instance,
        force_log=True,
        action=AuditEntry.Action.ACCESS,
        event=event,
        changes=changes or {},
        actor=actor,
        reason=reason,
    )
    return entry
