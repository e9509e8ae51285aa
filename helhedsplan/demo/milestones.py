"""The milestones the seed states, through the milestones' service. Idempotent: a milestone
is found by its title, so a second run writes nothing.

What the seed says, and nothing more (none is marked reached: the seed cannot say so):

- § 6: the programme evaluation "to gange; en gang ultimo 2018 eller primo 2019 og en gang
  ultimo 2021". Each milestone spans its evaluation's window (demo/evaluations.py, which
  runs first: 1 October 2018 - 31 March 2019 and 1 October - 31 December 2021, the product's
  reading of the words), so the milestone plan and the evaluation cannot disagree;
  ``timing_text`` keeps the seed's words. Each is linked to the evaluation of that number.
  The seed names no owner beyond the executing unit: Kompetencecentret, which
  "er samarbejdets udførende enhed" (§ 2).
- § 5.4: the activities tried in Ringparken and on Motalavej are considered for Sydbyen and
  Skælskør "baseret på det første år": due at the end of the plan's first year. The board
  keeps the sub-agreements current (front part), so it is the board's.
- § 6: "En gang årligt afholdes der et møde for de to ovenstående grupper (hver for sig), hvor
  der kun er evaluering på dagsordenen": each year of the period one for the coordination
  group and one for the local follow-up groups, due 31 December.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from helhedsplan.demo.base import existing_or
from helhedsplan.milestones.models import Milestone
from helhedsplan.milestones.services import Proofs, milestone_create
from helhedsplan.plans.models import Plan

SECTION_6 = "Aftalens § 6 Lokal evaluering"
SECTION_5_4 = "Aftalens § 5.4 Forebyggelse og forældreansvar"

EVALUATIONS = [
    # number, title, starts_on, due_on, timing_text
    (
        1,
        "1. helhedsevaluering",
        date(2018, 10, 1),
        date(2019, 3, 31),
        "en gang ultimo 2018 eller primo 2019",
    ),
    (2, "2. helhedsevaluering", date(2021, 10, 1), date(2021, 12, 31), "en gang ultimo 2021"),
]
EVALUATION_DONE_WHEN = (
    "Helhedsevalueringen af den boligsociale indsats i ansøgningsområdet er foretaget: "
    "hvordan den nye organisering af helhedsplanen fungerer, og om der er strukturelle "
    "udfordringer i samarbejdet i modellen (en helhedsplan for fire områder)."
)
DECISION_TITLE = "Beslutning om at løfte 5.4's aktiviteter til Sydbyen og Skælskør"
DECISION_DONE_WHEN = (
    "Bestyrelsen har på baggrund af det første års erfaringer fra afprøvningen af aktiviteterne "
    "i Ringparken og på Motalavej taget stilling til muligheden for at løfte aktiviteterne ind "
    "som en del af driftsopgaverne i Sydbyen og i Skælskør."
)
MEETING_GROUPS = [
    # title prefix, owner
    ("Årligt evalueringsmøde i koordinationsgruppen", "Koordinationsgruppen"),
    ("Årligt evalueringsmøde i de lokale følgegrupper", "De lokale følgegrupper"),
]
MEETING_DONE_WHEN = (
    "Mødet er holdt med kun evaluering på dagsordenen, med fokus på både kvantitet og "
    "kvalitet, og dokumenteret med referat."
)


def _milestone(plan: Plan, title: str, **fields: Any) -> Milestone:
    return existing_or(
        Milestone.objects.filter(plan=plan, title=title),
        lambda: milestone_create(plan=plan, title=title, **fields),
    )


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 3, 1)


def load(plan: Plan) -> None:
    for number, title, window_start, window_end, timing in EVALUATIONS:
        evaluation = plan.programme_evaluations.filter(number=number).first()  # type: ignore[attr-defined]
        starts_on: date | None = evaluation.due_from if evaluation else window_start
        due_on: date = evaluation.due_by if evaluation else window_end
        if not plan.start_date <= due_on <= plan.end_date:
            continue
        _milestone(
            plan,
            title,
            kind=Milestone.Kind.PROGRAMME_EVALUATION,
            starts_on=starts_on,
            due_on=due_on,
            timing_text=timing,
            owner="Kompetencecentret",
            done_when=EVALUATION_DONE_WHEN,
            source=SECTION_6,
            proofs=Proofs(evaluation=evaluation),
        )
    first_year_end = _year_after(plan.start_date) - timedelta(days=1)
    _milestone(
        plan,
        DECISION_TITLE,
        kind=Milestone.Kind.DECISION,
        due_on=min(first_year_end, plan.end_date),
        timing_text="baseret på det første år",
        owner="Bestyrelsen",
        done_when=DECISION_DONE_WHEN,
        source=SECTION_5_4,
    )
    for year in plan.years:
        for prefix, owner in MEETING_GROUPS:
            _milestone(
                plan,
                f"{prefix} {year}",
                kind=Milestone.Kind.EVALUATION_MEETING,
                due_on=min(date(year, 12, 31), plan.end_date),
                timing_text="En gang årligt",
                owner=owner,
                done_when=MEETING_DONE_WHEN,
                source=SECTION_6,
            )
