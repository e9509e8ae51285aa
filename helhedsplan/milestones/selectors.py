"""Reading the milestone plan: its rows in date order with their state and proof, and the
Gantt chart of them (one definition for the page and the document). A fixed number of
queries, whatever the number of milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Model
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from helhedsplan.charts.gantt import COMING, DONE, OVERDUE, GanttRow, GanttSpec, gantt_chart
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.milestones.models import Milestone
from helhedsplan.milestones.services import verbose_name
from helhedsplan.plans.models import Plan

# Which permission reads each kind of proof's page (accounts.access.PERMISSIONS).
PROOF_PERMISSIONS = {
    "proof_meeting": "meetings.view",
    "proof_status_report": "statusreport.view",
    "proof_agreement_version": "agreement.view",
    "proof_evaluation": "programmeevaluation.view",
}


@dataclass(frozen=True)
class Proof:
    field: str
    label: str  # what kind of proof ("Møde")
    text: str  # the object ("Bestyrelse: Ordinært møde, 3. marts 2019")
    url: str  # its page, "" when it has none
    permission: str


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    state: str  # charts.gantt DONE / OVERDUE / COMING
    proofs: tuple[Proof, ...]

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def state_label(state: str) -> str:
    return {DONE: _("nået"), OVERDUE: _("overskredet"), COMING: _("kommende")}[state]


def state_of(milestone: Milestone, today: date) -> str:
    if milestone.done_on is not None:
        return DONE
    return OVERDUE if milestone.due_on < today else COMING


def _url(obj: Model) -> str:
    try:
        return str(obj.get_absolute_url())  # type: ignore[attr-defined]
    except NoReverseMatch:  # a page not there in this installation
        return ""


def _proof_text(field: str, obj: Model) -> str:
    if field == "proof_meeting":
        return f"{obj.body.name}: {obj.display_title}, {fmt_date(obj.date)}"  # type: ignore[attr-defined]
    return str(obj)


def proofs_of(milestone: Milestone, plan: Plan) -> tuple[Proof, ...]:
    found = []
    for field, permission in PROOF_PERMISSIONS.items():
        obj = getattr(milestone, field)
        if obj is None:
            continue
        obj.plan = plan  # its URL without asking for the plan again
        label = verbose_name(field)
        found.append(Proof(field, label, _proof_text(field, obj), _url(obj), permission))
    return tuple(found)


def milestones_of(plan: Plan) -> list[Milestone]:
    """The plan's milestones in date order, with who marked them and their proofs (one
    query)."""
    return list(
        Milestone.objects.filter(plan=plan)
        .select_related(
            "done_by",
            "proof_meeting__body",
            "proof_status_report",
            "proof_agreement_version",
            "proof_evaluation",
        )
        .order_by("due_on", "starts_on", "pk")
    )


def milestone_rows(plan: Plan, today: date) -> list[MilestoneRow]:
    rows = []
    for milestone in milestones_of(plan):
        milestone.plan = plan
        rows.append(MilestoneRow(milestone, state_of(milestone, today), proofs_of(milestone, plan)))
    return rows


def _row_words(row: MilestoneRow) -> str:
    m = row.milestone
    when = fmt_date(m.due_on)
    if m.starts_on:
        when = _("%(start)s til %(due)s") % {"start": fmt_date(m.starts_on), "due": when}
    words = _("%(title)s: %(when)s, %(state)s") % {
        "title": m.title,
        "when": when,
        "state": row.state_label,
    }
    if m.done_on:
        words += " " + _("(nået %(day)s)") % {"day": fmt_date(m.done_on)}
    return words


def milestone_chart(plan: Plan, rows: list[MilestoneRow], today: date) -> str:
    """The Gantt chart of the plan's whole period (``charts.gantt``), in the active language."""
    counts = {state: sum(r.state == state for r in rows) for state in (DONE, OVERDUE, COMING)}
    spec = GanttSpec(
        title=_("Milepælsplan for %(plan)s") % {"plan": plan.name},
        description=_(
            "Planperioden %(start)s – %(end)s med %(n)s milepæle: %(done)s nået, "
            "%(overdue)s overskredet, %(coming)s kommende. Tabellen under diagrammet viser det "
            "samme."
        )
        % {
            "start": fmt_date(plan.start_date),
            "end": fmt_date(plan.end_date),
            "n": len(rows),
            "done": counts[DONE],
            "overdue": counts[OVERDUE],
            "coming": counts[COMING],
        },
        start=plan.start_date,
        end=plan.end_date,
        rows=[
            GanttRow(
                label=r.milestone.title,
                due_on=r.milestone.due_on,
                starts_on=r.milestone.starts_on,
                state=r.state,
                description=_row_words(r),
            )
            for r in rows
        ],
        today=today,
        today_label=_("I dag"),
        legend={DONE: _("nået"), OVERDUE: _("overskredet"), COMING: _("kommende")},
        quarter_label=_("{n}. kvt."),
        empty_text=_("Ingen milepæle endnu."),
        id_prefix=f"gantt-{plan.pk}",
    )
    return gantt_chart(spec)
