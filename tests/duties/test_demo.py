"""The due lists of the Slagelse demo: who registers which of the seed's figures (§ 6:
"Slagelse kommune leverer dataregistrering for aktiviteter, som de har hovedansvaret for")."""

from __future__ import annotations

from datetime import date

import pytest

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.criteria.models import Measure
from helhedsplan.duties.lists import due_items
from helhedsplan.plans.models import Plan

pytestmark = pytest.mark.demo  # about the seed's measures and who delivers them


def test_the_measures_slagelse_kommune_delivers_are_the_municipal_registrars(plan: Plan) -> None:
    owners = dict(Measure.objects.filter(plan=plan).values_list("slug", "data_owner"))
    assert owners["skolefravaer"] == Measure.DataOwner.MUNICIPALITY
    assert owners["ydelsesmodtagere"] == Measure.DataOwner.MUNICIPALITY  # Jobcenter
    assert owners["tryghed-politi"] == Measure.DataOwner.SECRETARIAT
    assert owners["paasatte-brande"] == Measure.DataOwner.SECRETARIAT


def test_the_municipal_registrar_sees_only_the_municipalitys_figures(plan: Plan) -> None:
    user = User.objects.get(username="kommune")
    items = due_items(get_plan_access(user, plan.slug), date(2021, 2, 1))
    municipal = set(
        Measure.objects.filter(plan=plan, data_owner=Measure.DataOwner.MUNICIPALITY).values_list(
            "pk", flat=True
        )
    )
    figures = [i for i in items if i.kind == "observation"]
    assert figures, "the demo leaves municipal figures to register"
    assert {int(i.key.split(":")[1]) for i in figures} <= municipal
    assert {i.kind for i in items} <= {"observation", "returned", "registration"}


def test_lbf_sees_only_what_waits_for_lbf(plan: Plan) -> None:
    user = User.objects.get(username="lbf")
    items = due_items(get_plan_access(user, plan.slug), date(2021, 2, 1))
    assert {i.kind for i in items} <= {"lbf"}
