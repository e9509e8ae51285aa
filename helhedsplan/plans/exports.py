"""The final status report (slutstatus) of a plan: what the plan set out to do and where it
ended, from the selectors the pages use.

The plan and its period; the scorecard with the status of every criterion per area and
total, year by year; delivery per activity against the activity plan, year by year; the
meetings held and the board's decisions; the funding. It leaves the secretariat (to the
board, the auditor's file, Landsbyggefonden through the secretariat), so it passes the
suppression hook. When the plan is closed, ``plans.services.plan_close`` stores the PDF and
Word file as issued (``FinalReport``); the download here always builds it from the data now.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.activities.selectors import delivery_report
from helhedsplan.activities.tables import delivery_table
from helhedsplan.criteria.selectors import scorecard
from helhedsplan.criteria.wording import status_label
from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.lib.numbers import fmt_amount, fmt_date, fmt_datetime, fmt_percent
from helhedsplan.meetings.selectors import board_decisions, meetings_for_plan
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.plans.years import criteria_years
from helhedsplan.reports.document import Bullets, Document, Heading, Paragraph, Table
from helhedsplan.reports.exporters import LEAVES, Exporter, register


def closer_name(plan: Plan) -> str:
    user = plan.closed_by
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _plan_blocks(plan: Plan) -> list[Heading | Paragraph | Bullets | Table]:
    blocks: list[Heading | Paragraph | Bullets | Table] = [Heading(_("Planen"), 1)]
    rows = [
        (_("Kommune"), str(plan.municipality)),
        (_("Periode"), f"{fmt_date(plan.start_date)} – {fmt_date(plan.end_date)}"),
        (_("Bevillingsramme"), plan.framework),
    ]
    if plan.lbf_case_number:
        rows.append((_("Landsbyggefondens sagsnummer"), plan.lbf_case_number))
    if plan.closed_at:
        closed = fmt_datetime(timezone.localtime(plan.closed_at))
        if plan.closed_by is not None:
            closed += " " + _("af %(name)s") % {"name": closer_name(plan)}
        rows.append((_("Afsluttet"), closed))
        rows.append((_("Begrundelse"), plan.close_reason))
    blocks.append(Table(header=(_("Felt"), _("Værdi")), rows=tuple(rows)))
    focus_areas = FocusArea.objects.filter(plan=plan).order_by("order", "code")
    blocks.append(Heading(_("Indsatsområder"), 2))
    blocks.append(Bullets(tuple(str(fa) for fa in focus_areas) or (_("Ingen"),)))
    return blocks


def _scorecard_blocks(plan: Plan) -> list[Heading | Paragraph | Table]:
    blocks: list[Heading | Paragraph | Table] = [Heading(_("Succeskriterier"), 1)]
    blocks.append(
        Paragraph(
            _(
                "Status for hvert succeskriterium pr. boligområde og samlet, år for år, "
                "vurderet efter de godkendte tal og de mål, der gjaldt."
            ),
            "note",
        )
    )
    offered = criteria_years(plan).years  # looked up once, not once per year
    for year in plan.years:
        card = scorecard(plan, year, years=offered)
        header = (_("Kriterium"), *(c.label for c in card.columns), _("Samlet vurdering"))
        rows = []
        for group in card.groups:
            for row in group.rows:
                cells = tuple(status_label(c.status) if c.status else "–" for c in row.cells)
                rows.append(
                    (
                        f"{row.criterion.code} {row.criterion.title}",
                        *cells,
                        status_label(row.status),
                    )
                )
        blocks.append(Heading(str(year), 2))
        if rows:
            blocks.append(Table(header=header, rows=tuple(rows)))
        else:
            blocks.append(Paragraph(_("Ingen succeskriterier."), "note"))
    return blocks


def _delivery_blocks(plan: Plan) -> list[Heading | Paragraph | Table]:
    blocks: list[Heading | Paragraph | Table] = [Heading(_("Aktiviteter: leveret mod planlagt"), 1)]
    for year in plan.years:
        report = delivery_report(plan, year)
        rows = []
        for block in report.activities:
            total = block.total
            rows.append(
                (
                    block.activity.name,
                    block.activity.unit_display,
                    str(total.planned) if total.planned is not None else "–",
                    str(total.delivered),
                    fmt_percent(total.pct) if total.pct is not None else "–",
                )
            )
        blocks.append(Heading(str(year), 2))
        if rows:
            blocks.append(delivery_table(rows))
        else:
            blocks.append(Paragraph(_("Ingen aktiviteter."), "note"))
    return blocks


def _meeting_blocks(plan: Plan) -> list[Heading | Paragraph | Table | Bullets]:
    meetings = list(meetings_for_plan(plan).order_by("date", "pk"))
    blocks: list[Heading | Paragraph | Table | Bullets] = [Heading(_("Møder og beslutninger"), 1)]
    if meetings:
        blocks.append(
            Table(
                header=(_("Dato"), _("Organ"), _("Møde"), _("Beslutninger")),
                rows=tuple(
                    (fmt_date(m.date), str(m.body), m.display_title, str(m.decision_count))  # type: ignore[attr-defined]
                    for m in meetings
                ),
                numeric_columns=frozenset({3}),
            )
        )
    else:
        blocks.append(Paragraph(_("Ingen møder registreret."), "note"))
    decisions = list(board_decisions(plan).order_by("meeting__date", "pk"))
    blocks.append(Heading(_("Bestyrelsens beslutninger"), 2))
    blocks.append(
        Bullets(tuple(f"{fmt_date(d.meeting.date)}: {d.text}" for d in decisions))
        if decisions
        else Paragraph(_("Ingen beslutninger registreret."), "note")
    )
    return blocks


def _funding_blocks(plan: Plan) -> list[Heading | Paragraph | Table]:
    summary = funding_summary(plan.pk)
    sources = FundingSource.objects.filter(plan=plan).order_by("order", "pk")
    rows = [(s.name, str(s.get_kind_display()), fmt_amount(s.amount_tkr)) for s in sources]
    share = fmt_percent(summary.local_share) if summary.local_share is not None else "–"
    return [
        Heading(_("Finansiering"), 1),
        Table(
            header=(_("Kilde"), _("Type"), _("Beløb")),
            rows=tuple(rows),
            numeric_columns=frozenset({2}),
            footer=(_("I alt"), "", fmt_amount(summary.total)),
        ),
        Paragraph(_("Lokal medfinansiering: %(share)s af det samlede budget.") % {"share": share}),
    ]


def final_status_document(plan: Plan) -> Document:
    """The final status report of ``plan`` as the data stand now."""
    closed = plan.closed_at
    return Document(
        title=_("Slutstatus: %(plan)s") % {"plan": plan.name},
        subtitle=f"{fmt_date(plan.start_date)} – {fmt_date(plan.end_date)}",
        footer_note=_("Dannet af Helhedsplan ud fra planens data."),
        dated=timezone.localtime(closed).date() if closed else plan.end_date,
        blocks=[
            *_plan_blocks(plan),
            *_scorecard_blocks(plan),
            *_delivery_blocks(plan),
            *_meeting_blocks(plan),
            *_funding_blocks(plan),
        ],
    )


@register
class FinalStatusExporter(Exporter):
    """The plan's final status report, from the data now (the one issued at closing is kept
    as it was: ``FinalReport``)."""

    identifier = "slutstatus"
    title = _lazy("Slutstatus")
    permission = "plan.final_report"
    audience = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx")

    def output(self) -> Document:
        return final_status_document(self.plan)

    def filename(self, fmt: str) -> str:
        return f"slutstatus-{self.plan.slug}.{fmt}"
