"""The demo's programme evaluations are the seed's (§ 6): "Denne evaluering foretages to
gange; en gang ultimo 2018 eller primo 2019 og en gang ultimo 2021", performed by "en
studerende ..., en uddannelsesinstitution eller ... en anden aktør" (not decided), the method
"fastlægges ... efter helhedsplanens opstart" (not fixed), the three questions; no report and
no findings (the seed has none)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.demo import evaluations as demo_evaluations
from helhedsplan.duties.lists import due_items
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations.models import EvaluationFinding, ProgrammeEvaluation

pytestmark = pytest.mark.demo  # about the seed's two programme evaluations


def test_the_two_evaluations_of_the_seed(plan: Plan) -> None:
    rows = list(ProgrammeEvaluation.objects.filter(plan=plan).order_by("number"))
    assert [(e.number, e.timing_text, e.due_from, e.due_by) for e in rows] == [
        (1, "ultimo 2018 eller primo 2019", date(2018, 10, 1), date(2019, 3, 31)),
        (2, "ultimo 2021", date(2021, 10, 1), date(2021, 12, 31)),
    ]
    for evaluation in rows:
        assert evaluation.performer_kind == ProgrammeEvaluation.Performer.UNDECIDED
        assert evaluation.performer_name == "" and evaluation.method == ""
        assert evaluation.method_fixed_on is None and evaluation.report is None
    assert not EvaluationFinding.objects.filter(evaluation__plan=plan).exists()


def test_the_questions_are_section_6s(plan: Plan) -> None:
    for evaluation in ProgrammeEvaluation.objects.filter(plan=plan):
        texts = list(evaluation.questions.values_list("text", flat=True))
        assert len(texts) == 3
        assert "den nye organisering af helhedsplanen" in texts[0]
        assert "strukturelle udfordringer" in texts[1] and "fire områder" in texts[1]
        assert "metoder" in texts[2] and "hvad virker" in texts[2]


def test_loading_again_writes_nothing(plan: Plan) -> None:
    before = (AuditEntry.objects.count(), ProgrammeEvaluation.objects.count())
    demo_evaluations.load(plan)
    assert (AuditEntry.objects.count(), ProgrammeEvaluation.objects.count()) == before


def test_the_pages_say_what_the_seed_leaves_open(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    first = ProgrammeEvaluation.objects.get(plan=plan, number=1)
    client = client_for("secretariat")
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Ikke fastlagt endnu" in page and "efter helhedsplanens opstart" in page
    assert "1. oktober 2018 – 31. marts 2019" in page
    form = client.get(
        reverse("programmeevaluations:edit", kwargs={"slug": plan.slug, "pk": first.pk})
    ).content.decode()
    for option in ("studerende", "uddannelsesinstitution", "anden aktør"):
        assert option in form
    listing = client.get(reverse("programmeevaluations:list", kwargs={"slug": plan.slug}))
    assert listing.content.decode().count('data-testid="evaluation-row"') == 2


def test_the_secretariats_due_list_has_the_first_evaluations_report(plan: Plan) -> None:
    access = get_plan_access(User.objects.get(username="sekretariat"), plan.slug)
    first = ProgrammeEvaluation.objects.get(plan=plan, number=1)
    keys = {i.key for i in due_items(access, date(2019, 1, 10))}
    assert f"programme_evaluation:{first.pk}:report" in keys
    assert "programme_evaluation:2019-01" not in keys  # created: no "Opret" item
