"""The page "Det skal gøres": everything due and overdue for the user on the plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.duties import selectors, services
from helhedsplan.duties.forms import MarkDoneForm
from helhedsplan.duties.lists import due_list
from helhedsplan.duties.sources import programme_evaluation_items
from helhedsplan.lib.forms import add_service_errors


def _auto_id(key: str) -> str:
    """Each item's form has its own ids, so every label names its own field."""
    return "id_" + "".join(c if c.isalnum() else "-" for c in key) + "_%s"


def _page(
    request: HttpRequest, access: PlanAccess, today: date, failed: MarkDoneForm | None = None
) -> HttpResponse:
    due = due_list(access, today)
    forms: dict[str, MarkDoneForm] = {}
    if access.can("duties.mark_done"):
        for item in due.markable:
            bound = failed if failed is not None and failed.data.get("key") == item.key else None
            forms[item.key] = bound or MarkDoneForm(
                initial={"key": item.key, "done_on": today}, auto_id=_auto_id(item.key)
            )
    context: dict[str, Any] = {
        "access": access, "due": due, "forms": forms, "today": today, "nav": "duties",
        "done": selectors.duties_done(access.plan) if access.can("duties.mark_done") else [],
        "labels": {item.key: item.title for item in programme_evaluation_items(access)},
    }  # fmt: skip
    return render(request, "duties/list.html", context, status=400 if failed else 200)


@plan_view("duties.view")
def duty_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    return _page(request, access, timezone.localdate())


@plan_view(get=None, post="duties.mark_done")
def duty_mark_done(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    today = timezone.localdate()
    form = MarkDoneForm(request.POST, auto_id=_auto_id(request.POST.get("key", "")))
    if form.is_valid():
        markable = {item.key for item in programme_evaluation_items(access)}
        try:
            services.duty_mark_done(
                plan=access.plan, key=form.cleaned_data["key"], note=form.cleaned_data["note"],
                done_on=form.cleaned_data["done_on"], user=request.user, markable=markable,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Opgaven er markeret som udført."))
            return redirect("duties:list", slug=access.plan.slug)
    return _page(request, access, today, failed=form)
