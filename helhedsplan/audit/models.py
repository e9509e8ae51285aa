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
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.audit import display
from helhedsplan.audit.context import current_reason
from helhedsplan.plans import versions


def _filed_under(instance: models.Model, kwargs: dict[str, Any]) -> None:
    """The plan and the focus area an entry about ``instance`` is filed under, its reason."""
    kwargs.setdefault("plan_id", getattr(instance, "audit_plan_id", None))
    kwargs.setdefault("focus_area_id", getattr(instance, "audit_focus_area_id", None))
    kwargs.setdefault("reason", current_reason())


def concrete_changes(model: type[models.Model], changes: Any) -> Any:
    """``changes`` without the reverse relations auditlog's diff of a created or deleted
    object holds ("decisions": ["None", "meetings.Decision.None"]): they are no field of
    the object and say nothing."""
    if not isinstance(changes, dict):
        return changes
    kept = {}
    for name, value in changes.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            kept[name] = value
            continue
        if not (field.auto_created and not field.concrete):
            kept[name] = value
    return kept


class AuditEntryManager(LogEntryManager):
    def log_create(
        self,
        instance: models.Model,
        force_log: bool = False,
        *,
        data_changed: bool = True,
        **kwargs: Any,
    ) -> Any:
        """auditlog's entry, filed under its plan, which it counts (``plans.versions.bump``):
        ``data_changed=False`` for an entry that records a read (``audit_event``'s)."""
        _filed_under(instance, kwargs)
        if kwargs.get("changes") is not None and not kwargs.get("event"):
            kwargs["changes"] = concrete_changes(type(instance), kwargs["changes"])
            if not kwargs["changes"] and not force_log:
                return None
        entry = super().log_create(instance, force_log=force_log, **kwargs)
        if entry is not None:
            versions.bump([entry.plan_id], data_changed=data_changed)
        return entry

    def log_m2m_changes(
        self,
        changed_queryset: Any,
        instance: models.Model,
        operation: str,
        field_name: str,
        **kwargs: Any,
    ) -> Any:
        _filed_under(instance, kwargs)
        entry = super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)
        if entry is not None:
            versions.bump([entry.plan_id])
        return entry


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
    # The focus area the object is about (``Audited.focus_area_path``), for the filter.
    focus_area: models.ForeignKey[Any, Any] = models.ForeignKey(
        "plans.FocusArea",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("indsatsområde"),
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
        indexes = [
            models.Index(fields=["plan", "-timestamp"], name="audit_plan_time"),
            models.Index(fields=["plan", "focus_area"], name="audit_plan_focus_area"),
        ]

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
        """The diff in Danish; read for a whole page by ``display.prepare`` beforehand."""
        prepared: list[display.FieldChange] | None = getattr(self, "_field_rows", None)
        if prepared is not None:
            return prepared
        return display.field_changes(self)

    @property
    def object_type_label(self) -> str:
        """The kind of object, by its model's Danish name ("Indsatsområde")."""
        prepared: str | None = getattr(self, "_type_label", None)
        if prepared is not None:
            return prepared
        try:
            model = self.content_type.model_class()
        except Exception:  # the page shows what it can
            model = None
        return display.model_label(model, self.content_type.model)
