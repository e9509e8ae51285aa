"""Reads of agreements: the version in force on a date, comparisons, review warnings."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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


@dataclass(frozen=True)
class AgreementState:
    """Where a change to the plan's focus areas, criteria and targets goes: in place
    (``under_agreement`` False), or into ``draft`` (None: a draft must be created first)."""

    under_agreement: bool
    draft: AgreementVersion | None

    @property
    def needs_draft(self) -> bool:
        return self.under_agreement and self.draft is None


def agreement_state(plan: Plan) -> AgreementState:
    from helhedsplan.agreements import changes

    under = changes.under_agreement(plan)
    return AgreementState(under, changes.open_draft(plan) if under else None)


def agreement_change_message(plan: Plan, in_place: str) -> str:
    """The message after a change: ``in_place``, or that it went into the draft version."""
    from django.utils.translation import gettext as _

    state = agreement_state(plan)
    if not state.under_agreement or state.draft is None:
        return in_place
    return _(
        "Ændringen er foreslået i version %(n)s af samarbejdsaftalen. Den gælder fra den dag, "
        "versionen træder i kraft efter Landsbyggefondens godkendelse."
    ) % {"n": state.draft.number}


@dataclass(frozen=True)
class TargetChange:
    """A target change in a version: ``old`` → ``new`` sentence (either may be empty)."""

    code: str
    old: str
    new: str
    where: str
    reason: str


@dataclass(frozen=True)
class TextChange:
    subject: str
    fields: list[tuple[str, str, str, str]]  # (label, old, new, html diff)
    reason: str
    applied: bool


@dataclass(frozen=True)
class VersionChanges:
    targets: list[TargetChange]
    texts: list[TextChange]

    def __bool__(self) -> bool:
        return bool(self.targets or self.texts)


def _where(target: object) -> str:
    names = [a.name for a in target.areas.all()]  # type: ignore[attr-defined]
    if target.applies_to_total:  # type: ignore[attr-defined]
        names.append("Samlet")
    return ", ".join(names)


def _label(model: type, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))  # type: ignore[attr-defined]


def version_changes(version: AgreementVersion) -> VersionChanges:
    """What the version changes in the plan, for LBF to see what it approves: each target
    it introduces (and the one it replaces) or ends, with the reason; each text change of a
    focus area or criterion, field by field, as a diff. A fixed number of queries."""
    from helhedsplan.agreements.changes import CRITERION_FIELDS, FOCUS_AREA_FIELDS
    from helhedsplan.agreements.models import ProposedChange
    from helhedsplan.criteria.models import SuccessCriterion, Target

    related = ("criterion__measure", "reference_series", "replaces__reference_series")
    introduced = list(
        Target.objects.filter(introduced_by=version)
        .select_related(*related)
        .prefetch_related("areas")
        .order_by("criterion__order", "criterion__code", "order", "pk")
    )
    replaced = {t.replaces_id for t in introduced}
    ended = [
        t
        for t in Target.objects.filter(superseded_by=version)
        .select_related("criterion__measure", "reference_series")
        .prefetch_related("areas")
        .order_by("criterion__order", "criterion__code", "order", "pk")
        if t.pk not in replaced and t.set_from_id is None
    ]
    targets = []
    for t in introduced:
        old = t.replaces
        if old is not None:
            old.criterion = t.criterion
        targets.append(
            TargetChange(t.criterion.code, old.describe() if old else "", t.describe(),
                         _where(t), t.change_reason)
        )  # fmt: skip
    targets += [
        TargetChange(t.criterion.code, t.describe(), "", _where(t), t.end_reason) for t in ended
    ]
    differ = difflib.HtmlDiff(wrapcolumn=60)
    labels = {
        **{n: _label(FocusArea, n) for n in FOCUS_AREA_FIELDS},
        **{n: _label(SuccessCriterion, n) for n in CRITERION_FIELDS},
    }
    texts = []
    for change in ProposedChange.objects.filter(version=version).select_related(
        "focus_area", "criterion"
    ):
        rows = []
        for name, value in change.new_values.items():
            before, after = str(change.old_values.get(name, "")), str(value)
            html = differ.make_table(before.splitlines(), after.splitlines(),
                                     fromdesc="Gældende", todesc="Foreslået")  # fmt: skip
            rows.append((labels.get(name, name), before, after, html))
        texts.append(TextChange(str(change.subject), rows, change.reason, bool(change.applied_at)))
    return VersionChanges(targets, texts)


def proposed_values(obj: FocusArea | Any) -> dict[str, Any]:
    """The texts the open draft version proposes for ``obj`` (a focus area or criterion),
    so that its edit form opens at the proposal and a second edit adds to it."""
    from helhedsplan.agreements import changes
    from helhedsplan.agreements.models import ProposedChange

    draft = changes.open_draft(obj.plan)
    if draft is None:
        return {}
    key = "focus_area" if isinstance(obj, FocusArea) else "criterion"
    change = ProposedChange.objects.filter(version=draft, **{key: obj}).first()
    return dict(change.new_values) if change else {}
