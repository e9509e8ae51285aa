from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.finance import services
from helhedsplan.finance.forms import FundingAmountsForm
from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors


@plan_view("funding.edit", post="funding.edit")
def funding_edit(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    sources = list(FundingSource.objects.filter(plan=access.plan).order_by("order", "pk"))
    form = FundingAmountsForm(request.POST or None, sources=sources)
    concurrency.carry_version(form, services.funding_version(sources))
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_amounts_set(
                plan=access.plan, amounts=form.amounts(),
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Finansieringen er gemt."))
            return redirect(access.plan)
    context = {"access": access, "form": form, "summary": funding_summary(access.plan.pk)}
    return render(request, "finance/funding_form.html", context)
