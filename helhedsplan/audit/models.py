"""The audit trail: every create, change and delete of domain data, and business events.

Built on django-auditlog (field-level diffs from model signals, the actor from the
request). Our entry model adds the plan the object belongs to, so the trail can be read
per plan with an index, the reason for a change, and a dotted event code for business
actions that are not plain field changes (an approval, a download).

A domain model joins the trail by subclassing ``lib.models.Audited`` (or ``PlanScoped``):
``lib.apps`` registers it with auditlog and the base derives ``audit_plan_id``.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.audit import display
from helhedsplan.audit.context import current_reason


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance: models.Model, force_log: bool = False, **kwargs: Any) -> Any:
        kwargs.setdefault("plan_id", getattr(instance, "audit_plan_id", None))
        kwargs.setdefault("reason", current_reason())
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(
        self,
        changed_queryset: Any,
        instance: models.Model,
        operation: str,
        field_name: str,
        **kwargs: Any,
    ) -> Any:
        kwargs.setdefault("plan_id", getattr(instance, "audit_plan_id", None))
        kwargs.setdefault("reason", current_reason())
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    # No database constraint: the trail must outlive what it describes.
    plan: models.ForeignKey[Any, Any] = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("plan"),
    )
    reason: models.TextField[str, str] = models.TextField(_("begrundelse"), blank=True)
    event: models.CharField[str, str] = models.CharField(
        _("hændelse"),
        max_length=100,
        blank=True,
        help_text=_("Punktum-opdelt kode for forretningshændelser, fx file.downloaded."),
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("revisionsspor-post")
        verbose_name_plural = _("revisionsspor")
        indexes = [models.Index(fields=["plan", "-timestamp"], name="audit_plan_time")]

    @property
    def is_event(self) -> bool:
        """A business event (``audit_event``), not a field diff from auditlog's signals."""
        return bool(self.event) or self.action == self.Action.ACCESS

    @property
    def event_label(self) -> str:
        return display.event_label(self.event) if self.event else self.action_label

    @property
    def action_label(self) -> str:
        return display.action_label(self.action)

    @property
    def event_rows(self) -> list[tuple[str, str]]:
        return display.event_data(self)

    @property
    def field_rows(self) -> list[display.FieldChange]:
        return display.field_changes(self)
