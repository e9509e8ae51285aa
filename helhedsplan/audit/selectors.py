"""Reading the audit trail, always within one plan."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from helhedsplan.audit.models import AuditEntry


def audit_entries_for_plan(plan_id: int) -> QuerySet[AuditEntry]:
    entries: QuerySet[AuditEntry] = (
        AuditEntry.objects.filter(plan_id=plan_id)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    return entries


def audit_entries_for_object(plan_id: int, instance: models.Model) -> QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(instance)
    return audit_entries_for_plan(plan_id).filter(content_type=ct, object_pk=str(instance.pk))
