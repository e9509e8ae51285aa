"""The strategic agreement and the sub-agreements as documents, built from the data.

Laid out like the seed: the front part and sections 1-11; section 5 gets each focus
area's purpose, sub-goals, target groups and its success criteria with data sources, and
section 7 the budget table from the funding. Other apps contribute blocks (the criteria
table, the organisation chart, a sub-agreement's activities) through the registries
below, so this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Prefetch

from helhedsplan.agreements.models import AgreementVersion, SubAgreementVersion
from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.frameworks import catalogue
from helhedsplan.lib.numbers import fmt_date, fmt_number, fmt_percent
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports.document import (
    Block,
    Bullets,
    Document,
    Heading,
    Paragraph,
    Table,
    text_to_blocks,
)

# what a section holds (its framework's ``contents``: "organisation", "focus_areas",
# "budget") -> functions adding blocks after the section's text
SectionContribution = Callable[[Plan], list[Block]]
SECTION_CONTRIBUTIONS: dict[str, list[SectionContribution]] = {}
# blocks placed under each focus area in section 5 and in its sub-agreement
FocusAreaContribution = Callable[[FocusArea], list[Block]]
FOCUS_AREA_CONTRIBUTIONS: list[FocusAreaContribution] = []
SUB_AGREEMENT_CONTRIBUTIONS: list[FocusAreaContribution] = []
# what section 5 reads its focus areas with, so that a contribution asks nothing per area
FOCUS_AREA_PREFETCHES: list[Prefetch[Any]] = []


def budget_table(plan: Plan) -> list[Block]:
    sources = FundingSource.objects.filter(plan=plan).order_by("order", "pk")
    summary = funding_summary(plan.pk)
    return [
        Table(
            header=("Organisation", "Finansiering i hele tusinde"),
            rows=tuple((s.name, fmt_number(s.amount_tkr)) for s in sources),
            footer=("Samlet budget for den boligsociale indsats", fmt_number(summary.total)),
            numeric_columns=frozenset({1}),
            caption=(
                f"Lokal medfinansiering udgør {fmt_percent(summary.local_share)} af det samlede "
                "budget (Landsbyggefondens krav: mindst 25 %)."
            ),
        )
    ]


def focus_area_blocks(fa: FocusArea, level: int = 2) -> list[Block]:
    blocks: list[Block] = [Heading(f"{fa.code} {fa.name}", level), Heading("Formål", level + 1)]
    blocks += text_to_blocks(fa.purpose, base_level=level + 1)
    if fa.sub_goal_list:
        blocks += [Heading("Delmål", level + 1), Bullets(tuple(fa.sub_goal_list))]
    if fa.target_group_list:
        blocks += [Heading("Målgrupper", level + 1), Bullets(tuple(fa.target_group_list))]
    for contribute in FOCUS_AREA_CONTRIBUTIONS:
        blocks += contribute(fa)
    return blocks


def focus_areas_section(plan: Plan) -> list[Block]:
    blocks: list[Block] = []
    focus_areas = FocusArea.objects.filter(plan=plan).prefetch_related(*FOCUS_AREA_PREFETCHES)
    for fa in focus_areas.order_by("order", "code"):
        blocks += focus_area_blocks(fa)
    return blocks


def _status_line(version: AgreementVersion | SubAgreementVersion) -> str:
    line = f"Version {version.number} · {version.get_status_display()}"
    if version.in_force_from:
        line += f" · i kraft fra {fmt_date(version.in_force_from)}"
    return line


def _dated(version: AgreementVersion | SubAgreementVersion) -> date | None:
    """The version's own date: in force from, else submitted; a draft has none."""
    if version.in_force_from:
        return version.in_force_from
    return version.submitted_at.date() if version.submitted_at else None


def agreement_document(version: AgreementVersion) -> Document:
    plan = version.plan
    doc = Document(
        title="Strategisk samarbejdsaftale",
        subtitle=f"{plan.name} · {_status_line(version)}",
        footer_note="Dannet af Helhedsplan ud fra planens data.",
        dated=_dated(version),
    )
    contributions: dict[str, list[SectionContribution]] = {
        "focus_areas": [focus_areas_section],
        "budget": [budget_table],
    }
    for contents, extra in SECTION_CONTRIBUTIONS.items():
        contributions.setdefault(contents, []).extend(extra)
    try:
        sections = catalogue.get(plan.framework).sections
    except catalogue.UnknownFramework:
        sections = ()
    holds = {s.key: s.extra.get("contents", "") for s in sections}
    for section in version.sections.all():
        doc.add(Heading(section.heading, 1), *text_to_blocks(section.body))
        for contribute in contributions.get(holds.get(section.key, ""), []):
            doc.add(*contribute(plan))
    return doc


def sub_agreement_document(version: SubAgreementVersion) -> Document:
    fa = version.focus_area
    doc = Document(
        title=f"Delaftale for indsatsområdet {fa.code} {fa.name}",
        subtitle=f"{fa.plan.name} · {_status_line(version)}",
        footer_note="Dannet af Helhedsplan ud fra planens data.",
        dated=_dated(version),
    )
    doc.add(Heading("Formål", 1), *text_to_blocks(version.purpose or fa.purpose))
    if fa.sub_goal_list:
        doc.add(Heading("Delmål", 2), Bullets(tuple(fa.sub_goal_list)))
    if fa.target_group_list:
        doc.add(Heading("Målgrupper", 2), Bullets(tuple(fa.target_group_list)))
    doc.add(Heading("Ansvars- og rollefordeling", 1), *text_to_blocks(version.responsibilities))
    if version.partners.strip():
        doc.add(Heading("Samarbejdspartnere", 1), *text_to_blocks(version.partners))
    for contribute in SUB_AGREEMENT_CONTRIBUTIONS:
        doc.add(*contribute(fa))
    decision = version.board_decision
    if decision is not None and version.status == "approved":
        meeting = decision.meeting
        doc.add(
            Paragraph(
                f"Godkendt af bestyrelsen den {fmt_date(meeting.date)}, beslutning på mødet "
                f"{meeting.display_title} ({fmt_date(meeting.date)}).",
                "note",
            )
        )
    if version.last_reviewed:
        doc.add(Paragraph(f"Sidst gennemgået {fmt_date(version.last_reviewed)}.", "note"))
    return doc
