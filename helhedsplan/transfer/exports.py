"""The whole plan as one ZIP (``transfer.services.plan_export``), from the plan page."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.reports.exporters import INTERNAL, Archive, Exporter, register


@register
class PlanExportExporter(Exporter):
    """Everything that defines the plan and all its data, with its files and audit trail:
    the secretariat's backup of the plan and the file another installation imports."""

    identifier = "plan-eksport"
    title = _lazy("Hele planen (eksport)")
    permission = "plan.export"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("zip",)
    event = "plan.exported"

    def output(self) -> Archive:
        from helhedsplan.transfer.services import plan_export

        return Archive(plan_export(self.plan))

    def filename(self, fmt: str) -> str:
        return f"plan-eksport-{self.plan.slug}-{self.today.isoformat()}.{fmt}"

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {"format": fmt, "sha256": hashlib.sha256(data).hexdigest()}
