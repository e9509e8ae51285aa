"""The criteria pages' bodies that depend on the plan alone, registered with
``plans.fragments.renderer`` so a write renders the views read lately again on commit.
Registered when the app is ready (``apps.py``), so every process that writes (a web worker,
the task worker, a management command) renders them, not only one that loaded the URLs."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from helhedsplan.criteria import selectors
from helhedsplan.plans import fragments
from helhedsplan.plans.models import Plan


@fragments.renderer("scorecard")
def scorecard_grid(plan: Plan, parts: tuple[Any, ...], shared: dict[str, Any]) -> tuple[int, str]:
    """The scorecard's grid for ``parts`` (the year asked, the focus area, the area): the same
    for every reader. ``shared`` holds the plan's loaded data for the other views rendered
    with it after a write."""
    asked, focus, area = parts
    data = shared.get("scorecard_data")
    if data is None:
        data = shared["scorecard_data"] = selectors.load_plan_data(plan)
    card = selectors.scorecard_asked(plan, asked, focus_area=focus, area=area, data=data)
    context = {"card": card, "focus": focus, "area": area}
    return card.year, render_to_string("criteria/_scorecard_grid.html", context)
