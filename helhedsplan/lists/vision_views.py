"""The list vision's settings page (``/planer/<slug>/lister/vision/``): every role reads the
plan's vision and the vision panel; the secretariat states or removes the vision.

Its own module (not ``lists/views.py``): the list page is another part of issue 14."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.lib.forms import GuardedForm, add_service_errors
from helhedsplan.lists import vision as services
from helhedsplan.lists.models import ListVision


class ListVisionForm(GuardedForm, forms.Form):
    after_year = forms.IntegerField(
        label=_lazy("Ingen områder på listen efter"),
        help_text=_lazy(
            "Årstallet i aftalen, fx 2025: listerne efter det år skal ikke "
            "rumme nogen af planens boligområder."
        ),
        error_messages={
            "required": _lazy("Skriv et årstal, fx 2025. Intet er gemt."),
            "invalid": _lazy("Skriv et årstal med cifre, fx 2025. Intet er gemt."),
        },
    )
    text = forms.CharField(
        label=_lazy("Visionen med aftalens ord"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    source = forms.CharField(
        label=_lazy("Kilde"),
        required=False,
        max_length=200,
        help_text=_lazy("Hvor i aftalen visionen står, fx »Strategisk samarbejdsaftale § 1«."),
    )

    @classmethod
    def initial_for(cls, vision: ListVision | None) -> dict[str, Any]:
        if vision is None:
            return {}
        return {"after_year": vision.after_year, "text": vision.text, "source": vision.source}


@plan_view("lists.view", post="vision.edit")
def vision_settings(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    plan = access.plan
    vision = ListVision.objects.filter(plan=plan).first()
    form = ListVisionForm(request.POST or None, initial=ListVisionForm.initial_for(vision))
    if request.method == "POST" and request.POST.get("action") == "clear":
        services.list_vision_clear(plan=plan)
        messages.success(request, _("Listevisionen er fjernet."))
        return redirect("lists:vision", slug=plan.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.list_vision_set(plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Listevisionen er gemt."))
            return redirect("lists:vision", slug=plan.slug)
    context = {
        "access": access,
        "vision": vision,
        "form": form if access.can("vision.edit") else None,
        "panel": services.vision_panel(plan),
        "nav": "vision",
    }
    return render(request, "lists/vision.html", context, status=400 if form.errors else 200)
