"""The page "Det skal gøres": everything due and overdue for the user on the plan."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.duties import selectors
from helhedsplan.duties.lists import due_list
from helhedsplan.programmeevaluations.duties import framework_labels


@plan_view("duties.view")
def duty_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    today = timezone.localdate()
    # Duties marked done by hand before the programme evaluations had their own pages
    # (``DutyDone``): kept, and shown, as the record of what was done.
    history = access.can("programmeevaluation.view")
    context: dict[str, Any] = {
        "access": access, "due": due_list(access, today), "today": today, "nav": "duties",
        "done": selectors.duties_done(access.plan) if history else [],
        "labels": framework_labels(access),
    }  # fmt: skip
    return render(request, "duties/list.html", context)
