"""A plan measured against its framework: which of the framework's focus areas, bodies,
rules and attachments the plan has. Django side of the frameworks package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from helhedsplan.agreements.attachments import ChecklistItem, checklist
from helhedsplan.frameworks import catalogue
from helhedsplan.organisation.models import Body, CompositionRule
from helhedsplan.organisation.selectors import same_rule
from helhedsplan.plans.models import FocusArea, Plan


@dataclass(frozen=True)
class FocusAreaRow:
    item: catalogue.Item
    chosen: FocusArea | None


@dataclass(frozen=True)
class BodyRow:
    template: catalogue.BodyTemplate
    present: list[Body]
    expected: int  # 1, or the plan's number of areas for an area body


@dataclass(frozen=True)
class RuleRow:
    template: catalogue.RuleTemplate
    wording: str
    present: bool


@dataclass(frozen=True)
class AttachmentRow:
    item: catalogue.Item
    checklist: ChecklistItem | None


@dataclass(frozen=True)
class FrameworkOverview:
    framework: catalogue.Framework
    focus_areas: list[FocusAreaRow]
    other_focus_areas: list[FocusArea]  # the plan's, not chosen from the framework
    bodies: list[BodyRow]
    rules: list[RuleRow]
    attachments: list[AttachmentRow]


def framework_overview(plan: Plan, today: date | None = None) -> FrameworkOverview:
    """``catalogue.UnknownFramework`` if the plan's code is not in the catalogue."""
    framework = catalogue.get(plan.framework)
    focus = list(FocusArea.objects.filter(plan=plan).order_by("order", "code"))
    by_key = {fa.framework_key: fa for fa in focus if fa.framework_key}
    keys = {f.key for f in framework.focus_areas}
    bodies = list(Body.objects.filter(plan=plan).select_related("area").order_by("order", "name"))
    area_count = plan.areas.count()
    rules = list(CompositionRule.objects.filter(plan=plan))
    municipality = str(plan.municipality)
    items = {i.kind: i for i in checklist(plan, today)}
    return FrameworkOverview(
        framework=framework,
        focus_areas=[FocusAreaRow(f, by_key.get(f.key)) for f in framework.focus_areas],
        other_focus_areas=[fa for fa in focus if fa.framework_key not in keys],
        bodies=[
            BodyRow(
                t,
                [b for b in bodies if b.kind == t.kind],
                area_count if t.per_area else 1,
            )
            for t in framework.bodies
        ],
        rules=[
            RuleRow(t, t.wording(municipality), any(same_rule(r, t) for r in rules))
            for t in framework.rules
        ],
        attachments=[AttachmentRow(a, items.get(a.key)) for a in framework.attachments],
    )
