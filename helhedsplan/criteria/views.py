from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.accounts.models import Role
from helhedsplan.charts import line_chart, svg_to_png
from helhedsplan.criteria import importing, selectors, services
from helhedsplan.criteria.exports import scorecard_xlsx
from helhedsplan.criteria.forms import ImportForm, ObservationForm, TargetForm
from helhedsplan.criteria.models import Observation, SuccessCriterion, Target


def _year(request: HttpRequest, access: PlanAccess) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return selectors.default_year(access.plan)


@plan_view("criteria.view")
def scorecard(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    focus, area = request.GET.get("focus", ""), request.GET.get("area", "")
    card = selectors.scorecard(access.plan, _year(request, access), focus_area=focus, area=area)
    context = {"access": access, "card": card, "focus": focus, "area": area, "nav": "criteria"}
    return render(request, "criteria/scorecard.html", context)


@plan_view("criteria.view")
def scorecard_export(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    card = selectors.scorecard(access.plan, _year(request, access))
    response = HttpResponse(
        scorecard_xlsx(card),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"succeskriterier-{access.plan.slug}-{card.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@plan_view("criteria.view")
def criterion_detail(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    try:
        detail = selectors.criterion_detail(access.plan, code)
    except SuccessCriterion.DoesNotExist:
        raise Http404 from None
    charts = [(col, line_chart(spec)) for col, spec in detail.charts]
    audit = selectors.criterion_audit(detail.criterion)
    reasons = [e for e in audit if e.reason]  # reasons for changed targets: shown to every reader
    context = {"access": access, "d": detail, "charts": charts, "nav": "criteria",
               "audit": audit if access.can("audit.view") else [], "reasons": reasons}  # fmt: skip
    return render(request, "criteria/criterion_detail.html", context)


@plan_view("criteria.view")
def criterion_chart(
    request: HttpRequest, access: PlanAccess, code: str, column: str, fmt: str
) -> HttpResponse:
    if fmt not in ("svg", "png"):
        raise Http404
    try:
        svg = line_chart(selectors.criterion_chart(access.plan, code, column))
    except SuccessCriterion.DoesNotExist:
        raise Http404 from None
    if fmt == "png":
        return HttpResponse(svg_to_png(svg), content_type="image/png")
    return HttpResponse(svg, content_type="image/svg+xml")


def _allowed_areas(access: PlanAccess) -> frozenset[int] | None:
    """None: every area and the total. A coordinator alone registers for their own areas."""
    if access.roles & {Role.SECRETARIAT, Role.MUNICIPAL}:
        return None
    return access.coordinator_area_ids


@plan_view("observation.register")
def observation_new(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    criterion = get_object_or_404(
        SuccessCriterion.objects.select_related("measure"), plan=access.plan, code=code
    )
    allowed = _allowed_areas(access)
    areas = [a for a in access.plan.areas.all() if allowed is None or a.pk in allowed]
    form = ObservationForm(
        request.POST or None, measure=criterion.measure, areas=areas, allow_total=allowed is None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_register(
                measure=criterion.measure, user=request.user, allowed_area_ids=allowed,
                **form.service_kwargs(),
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Observationen er registreret og afventer godkendelse."))
            return redirect(criterion)
    context = {"access": access, "form": form, "criterion": criterion, "nav": "criteria",
               "previous": selectors.previous_values(criterion.measure)}  # fmt: skip
    return render(request, "criteria/observation_form.html", context)


def _add_errors(form: ObservationForm | TargetForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@plan_view("observation.approve")
def approvals(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    pending = selectors.pending_observations(access.plan)
    context = {"access": access, "pending": pending, "nav": "criteria"}
    return render(request, "criteria/approvals.html", context)


@require_http_methods(["GET", "POST"])
@plan_view("observation.approve")
def observation_approve(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    obs = get_object_or_404(Observation, pk=pk, measure__plan=access.plan)
    if request.method == "POST":
        try:
            services.observation_approve(observation=obs, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Observationen er godkendt: %(obs)s") % {"obs": obs})
        return redirect("criteria:approvals", slug=access.plan.slug)
    return render(request, "criteria/approve_confirm.html", {"access": access, "obs": obs})


@plan_view("target.edit")
def target_edit(request: HttpRequest, access: PlanAccess, code: str, pk: int) -> HttpResponse:
    target = get_object_or_404(
        Target.objects.select_related("criterion__measure", "reference_series"),
        pk=pk, criterion__plan=access.plan, criterion__code=code,
    )  # fmt: skip
    form = TargetForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(
                target=target, user=request.user, reason=form.cleaned_data["reason"],
                **form.target_fields(),
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Målet er gemt."))
            return redirect(target.criterion)
    has_obs = services.criterion_has_observations(target.criterion)
    context = {"access": access, "form": form, "target": target, "nav": "criteria",
               "has_observations": has_obs}  # fmt: skip
    return render(request, "criteria/target_form.html", context)


@plan_view("observation.register")
def observation_import(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[services.ImportError_] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        approve = form.cleaned_data["approve"] and access.can("observation.approve")
        try:
            rows = importing.read_file(upload.name, upload.read())
            count = services.observations_import(
                plan=access.plan, rows=rows, user=request.user, approve=approve,
                allowed_area_ids=_allowed_areas(access), file_name=upload.name,
            )  # fmt: skip
        except services.ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request, _("%(count)s observationer er importeret.") % {"count": count}
            )
            return redirect("criteria:scorecard", slug=access.plan.slug)
    context = {"access": access, "form": form, "errors": errors, "nav": "criteria"}
    return render(request, "criteria/import.html", context, status=400 if errors else 200)
