"""The staff's pages of the lists (installation-wide, ``staff_view``): the rule sets, and
the national figures per list year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import staff_view
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.lists import selectors, services, wording
from helhedsplan.lists.engine.rules import Criterion
from helhedsplan.lists.forms import ThresholdForm, ThresholdImportForm
from helhedsplan.measurements import catalogue


@staff_view
def staff_thresholds(request: HttpRequest) -> HttpResponse:
    overview = selectors.threshold_overview()
    years = [row.year for row in overview if row.needed]
    keys = sorted({f.key for row in overview for f in row.needed})
    key_choices = [(k, f"{wording.national_figure_name(k)} ({k})") for k in keys]
    action = request.POST.get("action", "")
    initial = {"list_year": request.GET.get("aar", ""), "key": request.GET.get("noegletal", "")}
    form = ThresholdForm(
        request.POST if action == "set" else None,
        years=years,
        keys=key_choices,
        prefix="set",
        initial=initial,
    )
    import_form = ThresholdImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        prefix="import",
    )
    if request.method == "POST":
        if action == "set" and form.is_valid():
            data = form.cleaned_data
            try:
                services.list_threshold_set(
                    list_year=data["list_year"],
                    key=data["key"],
                    value=data["value"],
                    source=data["source"],
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Landstallet %(key)s for listeåret %(year)s er gemt.")
                    % {"key": data["key"], "year": data["list_year"]},
                )
                return redirect("lists_staff:thresholds")
        elif action == "import" and import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                count = services.list_thresholds_import(
                    file=upload, name=upload.name, user=request.user
                )
            except ValidationError as exc:
                add_service_errors(import_form, exc)
            else:
                messages.success(request, _("%(count)s landstal er indlæst.") % {"count": count})
                return redirect("lists_staff:thresholds")
    return render(
        request,
        "lists/staff_thresholds.html",
        {"overview": overview, "form": form, "import_form": import_form},
    )


def _criterion_text(criterion: Criterion) -> str:
    word = wording.operator_word(criterion.operator)
    if criterion.threshold is not None:
        return f"{word} {fmt_number(criterion.threshold, trim=True)} %"
    assert criterion.factor is not None
    return _("%(op)s %(factor)s × %(figure)s") % {
        "op": word,
        "factor": fmt_number(criterion.factor, trim=True),
        "figure": wording.national_figure_name(criterion.national),
    }


@staff_view
def staff_rule_sets(request: HttpRequest) -> HttpResponse:
    names = {start.code: start.name for start in catalogue.LIST_INDICATORS}
    sets = []
    for rule_set in selectors.rule_sets():
        categories = []
        for category in rule_set.categories:
            categories.append(
                {
                    "code": category.code,
                    "name": wording.category_name(category.code),
                    "category": category,
                    "criteria": [
                        {
                            "name": names.get(c.code, c.code),
                            "code": c.code,
                            "rule": _criterion_text(c),
                            "counted": c.counted,
                            "source": c.source,
                        }
                        for c in category.criteria
                    ],
                    "requires": [wording.category_name(r) for r in category.requires],
                    "excludes": [wording.category_name(e) for e in category.excludes],
                    "counts": [
                        wording.category_name(c)
                        for c in (category.history.counts if category.history else ())
                    ],
                }
            )
        sets.append({"rule_set": rule_set, "categories": categories})
    return render(request, "lists/staff_rule_sets.html", {"sets": sets})
