"""The demo's milestones are the seed's (§ 6 and § 5.4), worded as the seed words them, and
loading again writes nothing. About the seed's content, so on the demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.demo import milestones as demo_milestones
from helhedsplan.milestones.models import Milestone
from helhedsplan.plans.models import Plan

pytestmark = pytest.mark.demo


def _by_title(plan: Plan) -> dict[str, Milestone]:
    return {m.title: m for m in Milestone.objects.filter(plan=plan)}


def test_the_two_programme_evaluations_of_section_6(plan: Plan) -> None:
    found = _by_title(plan)
    first, second = found["1. helhedsevaluering"], found["2. helhedsevaluering"]
    assert first.kind == second.kind == Milestone.Kind.PROGRAMME_EVALUATION
    assert first.timing_text == "en gang ultimo 2018 eller primo 2019"
    # The milestone spans the demo's first evaluation's window (demo/evaluations.py).
    assert (first.starts_on, first.due_on) == (date(2018, 10, 1), date(2019, 3, 31))
    assert second.timing_text == "en gang ultimo 2021"
    assert second.due_on == date(2021, 12, 31)
    assert "§ 6" in first.source and "§ 6" in second.source
    for number, milestone in ((1, first), (2, second)):
        evaluation = plan.programme_evaluations.filter(number=number).first()  # type: ignore[attr-defined]
        assert milestone.proof_evaluation == evaluation


def test_the_decision_on_5_4_after_the_first_year(plan: Plan) -> None:
    decision = _by_title(plan)["Beslutning om at løfte 5.4's aktiviteter til Sydbyen og Skælskør"]
    assert decision.kind == Milestone.Kind.DECISION
    assert decision.timing_text == "baseret på det første år"
    assert decision.due_on == date(2018, 12, 31)  # the end of the plan's first year
    assert decision.owner == "Bestyrelsen" and "§ 5.4" in decision.source
    assert "Sydbyen" in decision.done_when and "Skælskør" in decision.done_when


def test_one_evaluation_only_meeting_a_year_for_each_group(plan: Plan) -> None:
    meetings = Milestone.objects.filter(plan=plan, kind=Milestone.Kind.EVALUATION_MEETING)
    assert sorted((m.due_on, m.owner) for m in meetings) == sorted(
        (date(year, 12, 31), owner)
        for year in range(2018, 2022)
        for owner in ("Koordinationsgruppen", "De lokale følgegrupper")
    )
    assert all(m.timing_text == "En gang årligt" and "§ 6" in m.source for m in meetings)
    assert all("kun evaluering på dagsordenen" in m.done_when for m in meetings)


def test_nothing_else_and_none_reached(plan: Plan) -> None:
    milestones = Milestone.objects.filter(plan=plan)
    assert milestones.count() == 2 + 1 + 2 * 4
    assert not milestones.filter(done_on__isnull=False).exists()


def test_loading_again_writes_nothing(plan: Plan) -> None:
    before = list(Milestone.objects.filter(plan=plan).values())
    demo_milestones.load(plan)
    assert list(Milestone.objects.filter(plan=plan).values()) == before


def test_the_chart_shows_the_seeds_milestones(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    page = client_for("board").get(reverse("milestones:list", kwargs={"slug": plan.slug}))
    text = page.content.decode()
    assert text.count('class="row ') == 11
    assert (
        "1. helhedsevaluering" in text
        and "Årligt evalueringsmøde i de lokale følgegrupper 2021" in text
    )
