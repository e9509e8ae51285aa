"""What the other apps add to the agreement's documents (their attachments: ``exports``).

Registered once from AgreementsConfig.ready(). The agreements app is the one that gathers
documents, so it depends on the others; they never import it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from helhedsplan.activities.models import Activity
from helhedsplan.agreements import documents
from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.organisation.chart import chart_svg
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports.document import Block, Bullets, Heading, Image, Paragraph, Table


def _criteria() -> QuerySet[SuccessCriterion]:
    """The criteria with what their table rows read (a target's wording reads its measure
    and reference series): no query per row."""
    return (
        SuccessCriterion.objects.select_related("measure")
        .prefetch_related(
            "targets__introduced_by", "targets__superseded_by", "targets__reference_series"
        )
        .order_by("order", "code")
    )


# The agreement reads every focus area's criteria with the focus areas (one set of
# queries for the whole document, not one per focus area).
CRITERIA_PREFETCH = Prefetch("criteria", queryset=_criteria())


def criteria_table(fa: FocusArea) -> list[Block]:
    """The seed's table: each locally set success criterion with its data source and the
    targets in force today (``Target.in_force_on``; a draft's proposals are listed on the
    version's page, not here)."""
    if "criteria" in getattr(fa, "_prefetched_objects_cache", {}):
        criteria = list(fa.criteria.all())
    else:
        criteria = list(_criteria().filter(focus_area=fa))
    if not criteria:
        return []
    today = timezone.localdate()
    rows = tuple(
        (
            c.code,
            c.text,
            "; ".join(t.describe() for t in c.targets.all() if t.in_force_on(today)) or "–",
            c.data_source_text,
        )
        for c in criteria
    )
    return [
        Heading("Lokalt opstillede målinger (succeskriterier)", 3),
        Table(header=("Nr.", "Succeskriterium", "Mål, som de følges op", "Datakilde"), rows=rows),
    ]


def activities_blocks(fa: FocusArea) -> list[Block]:
    """A sub-agreement's activities: where they run, who is responsible, with whom."""
    activities = list(
        Activity.objects.filter(focus_area=fa)
        .prefetch_related("areas", "partners")
        .order_by("order", "name")
    )
    if not activities:
        return []
    blocks: list[Block] = [Heading("Aktiviteter", 2)]
    for activity in activities:
        areas = ", ".join(a.name for a in activity.areas.all()) or "Områder ikke angivet i aftalen"
        partners = ", ".join(p.name for p in activity.partners.all())
        lines = [f"Områder: {areas}", f"Ansvarlig: {activity.get_responsible_display()}"]
        if partners:
            lines.append(f"Partnere: {partners}")
        blocks += [Heading(activity.name, 3)]
        if activity.description:
            blocks.append(Paragraph(activity.description))
        blocks.append(Bullets(tuple(lines)))
    return blocks


def org_chart_section(plan: Plan) -> list[Block]:
    return [Image(svg=chart_svg(plan, date.today()), caption="Organisationsdiagram (bilag 1)")]


def install() -> None:
    if criteria_table not in documents.FOCUS_AREA_CONTRIBUTIONS:
        documents.FOCUS_AREA_CONTRIBUTIONS.append(criteria_table)
        documents.SUB_AGREEMENT_CONTRIBUTIONS.extend([activities_blocks, criteria_table])
        documents.SECTION_CONTRIBUTIONS.setdefault("organisation", []).append(org_chart_section)
        documents.FOCUS_AREA_PREFETCHES.append(CRITERIA_PREFETCH)
