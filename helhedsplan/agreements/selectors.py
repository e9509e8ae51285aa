"""Reads of agreements: the version in force on a date, comparisons, review warnings."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from helhedsplan.agreements.models import AgreementVersion, SubAgreementVersion, VersionStatus
from helhedsplan.plans.models import FocusArea, Plan

DEFAULT_REVIEW_MONTHS = 12


def agreement_versions(plan: Plan) -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.filter(plan=plan).select_related("plan").order_by("-number")


def agreement_in_force(plan: Plan, on: date) -> AgreementVersion | None:
    """The approved version in force on ``on``: the latest approved one that had started."""
    return (
        agreement_versions(plan)
        .filter(status=VersionStatus.APPROVED, in_force_from__lte=on)
        .order_by("-in_force_from", "-number")
        .first()
    )


def sub_agreement_in_force(focus_area: FocusArea, on: date) -> SubAgreementVersion | None:
    return (
        SubAgreementVersion.objects.filter(
            focus_area=focus_area, status=VersionStatus.APPROVED, in_force_from__lte=on
        )
        .order_by("-in_force_from", "-number")
        .first()
    )


@dataclass(frozen=True)
class SectionDiff:
    heading: str
    changed: bool
    html: str  # a side-by-side table from difflib, or "" when unchanged


def compare_versions(old: AgreementVersion, new: AgreementVersion) -> list[SectionDiff]:
    """Section by section: which changed, and how (word-wrapped side-by-side diff)."""
    old_sections = {s.key: s for s in old.sections.all()}
    result = []
    differ = difflib.HtmlDiff(wrapcolumn=70)
    for section in new.sections.all():
        before = old_sections[section.key].body if section.key in old_sections else ""
        changed = before != section.body
        html = (
            differ.make_table(
                before.splitlines(),
                section.body.splitlines(),
                fromdesc=f"Version {old.number}",
                todesc=f"Version {new.number}",
                context=True,
                numlines=1,
            )
            if changed
            else ""
        )
        result.append(SectionDiff(section.heading, changed, html))
    return result


@dataclass(frozen=True)
class SubAgreementRow:
    focus_area: FocusArea
    in_force: SubAgreementVersion | None
    latest: SubAgreementVersion | None
    review_overdue: bool
    review_due: date | None


def sub_agreement_overview(
    plan: Plan, today: date, review_months: int = DEFAULT_REVIEW_MONTHS
) -> list[SubAgreementRow]:
    """One row per focus area, with a warning when the delaftale is not reviewed in time."""
    versions = list(
        SubAgreementVersion.objects.filter(focus_area__plan=plan).order_by("focus_area", "-number")
    )
    rows = []
    for fa in FocusArea.objects.filter(plan=plan).select_related("plan").order_by("order", "code"):
        own = [v for v in versions if v.focus_area_id == fa.pk]
        approved = [
            v
            for v in own
            if v.status == VersionStatus.APPROVED and v.in_force_from and v.in_force_from <= today
        ]
        in_force = max(approved, key=lambda v: (v.in_force_from, v.number), default=None)
        reviewed = None
        if in_force is not None:
            reviewed = in_force.last_reviewed or in_force.in_force_from
        due = reviewed + timedelta(days=round(review_months * 30.44)) if reviewed else None
        rows.append(
            SubAgreementRow(
                focus_area=fa,
                in_force=in_force,
                latest=own[0] if own else None,
                review_overdue=due is not None and due < today,
                review_due=due,
            )
        )
    return rows
