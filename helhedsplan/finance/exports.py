"""The budget's exports: the XLSX its import reads, and the required attachment "Budget i
Landsbyggefondens skabelon" made from it.

The attachment names its kind by the string the agreements app's ``AttachmentKind.BUDGET``
holds ("budget"): the agreements app gathers what the other apps export, they never import
it (see ``agreements.exports``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.finance.budget_xlsx import budget_rows
from helhedsplan.finance.models import BudgetAmount
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import (
    INTERNAL,
    LEAVES,
    Exporter,
    GeneratedFile,
    register,
)
from helhedsplan.reports.rows import Rows


def _has_budget(plan: Plan) -> bool:
    return BudgetAmount.objects.filter(line__plan=plan).exists()


@register
class BudgetExporter(Exporter):
    """The budget as its import reads it, for editing and re-import. With no amounts it is
    the empty template: the plan's header texts and nothing under them."""

    identifier = "budget"
    title = _lazy("Budget")
    permission = "budget.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("xlsx",)

    def output(self) -> Rows:
        return budget_rows(self.plan)

    def filename(self, fmt: str) -> str:
        return f"budget-{self.plan.slug}.{fmt}"


@register
class BudgetAttachment(BudgetExporter):
    """Attachment 5: the budget in LBF's template, as sent to LBF; there only when the
    budget has amounts (else the checklist says it is missing unless uploaded)."""

    identifier = "bilag-budget"
    title = _lazy("Budget (bilag)")
    permission = "agreement.view"
    audience = LEAVES
    attachment_kind = "budget"  # agreements.models.AttachmentKind.BUDGET
    in_lbf_package = True
    event = "attachment.generated.downloaded"

    def resolve(self) -> None:
        if not _has_budget(self.plan):
            raise Http404("Budgettet har ingen beløb")

    def audit_instance(self) -> Model:
        return self.plan

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {"file": self.filename(fmt)}

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[GeneratedFile] | None:
        if not _has_budget(plan):
            return None
        return [cls(plan, today=today, resolved={}).as_file("xlsx", description="Budget")]
