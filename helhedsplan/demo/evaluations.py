"""The demo's programme evaluations: the two of seed § 6, as far as the seed states them.

"Denne evaluering foretages to gange; en gang ultimo 2018 eller primo 2019 og en gang ultimo
2021." The windows are the product's reading of those words (ultimo: the year's last quarter;
primo: its first quarter); the agreement's own words are kept as ``timing_text``. Who performs
it is not decided (the seed names three options: a student, an education institution or
another party), and the method is fixed after the plan's start: both are left open. The
questions are § 6's. The seed has no report and no findings, so the demo has none.
"""

from __future__ import annotations

from datetime import date

from helhedsplan.demo.base import existing_or
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations import services
from helhedsplan.programmeevaluations.models import ProgrammeEvaluation

TITLE = "Helhedsevaluering af den boligsociale indsats"

# Seed § 6: "Målet med denne evaluering vil være at undersøge, hvordan den nye organisering af
# helhedsplanen fungerer, og om der er strukturelle udfordringer i samarbejdet i modellen (en
# helhedsplan for fire områder), som vanskeliggør indsatsen. Der skal arbejdes med mere af
# det, der virker, og i evalueringen skal fokus derfor være på de metoder, som understøtter
# hensigten."
QUESTIONS = (
    "Hvordan fungerer den nye organisering af helhedsplanen?",
    "Er der strukturelle udfordringer i samarbejdet i modellen (en helhedsplan for fire "
    "områder), som vanskeliggør indsatsen?",
    "Hvilke metoder understøtter hensigten – hvad virker, så der kan arbejdes med mere af det?",
)

# (number, the agreement's words, from, by): the dates are the product's reading of the words.
EVALUATIONS = (
    (1, "ultimo 2018 eller primo 2019", date(2018, 10, 1), date(2019, 3, 31)),
    (2, "ultimo 2021", date(2021, 10, 1), date(2021, 12, 31)),
)


def _evaluation(
    plan: Plan, number: int, timing: str, due_from: date, due_by: date
) -> ProgrammeEvaluation:
    return existing_or(
        ProgrammeEvaluation.objects.filter(plan=plan, number=number),
        lambda: services.programme_evaluation_create(
            plan=plan,
            number=number,
            title=f"{TITLE} ({number}. evaluering)",
            timing_text=timing,
            due_from=due_from,
            due_by=due_by,
        ),
    )


def load(plan: Plan) -> None:
    for number, timing, due_from, due_by in EVALUATIONS:
        evaluation = _evaluation(plan, number, timing, due_from, due_by)
        if evaluation.questions.exists():
            continue
        for order, text in enumerate(QUESTIONS, 1):
            services.evaluation_question_add(evaluation=evaluation, text=text, order=order)
