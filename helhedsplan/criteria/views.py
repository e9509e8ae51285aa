from __future__ import annotations

import dataclasses
import secrets
from decimal import Decimal
from typing import Any

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
from helhedsplan.criteria.forms import ImportConfirmForm, ImportForm, ObservationForm, TargetForm
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
    may_correct = access.can("observation.approve")
    form = ObservationForm(
        request.POST or None, measure=criterion.measure, areas=areas, allow_total=allowed is None,
        may_correct_approved=may_correct,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            obs = services.observation_register(
                measure=criterion.measure, user=request.user, allowed_area_ids=allowed,
                may_correct_approved=may_correct, **kwargs,
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if not obs.is_approved:
                messages.success(
                    request, _("Observationen er registreret og afventer godkendelse.")
                )
            elif kwargs["reason"].strip():
                messages.success(request, _("Rettelsen af det godkendte tal er gemt."))
            else:
                messages.info(request, _("Intet er ændret: tallet er allerede godkendt."))
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


_PREVIEW = "criteria_import_preview"


def _import_args(access: PlanAccess, approve: bool) -> dict[str, Any]:
    """Who may do what in this import: decided now, at the preview and again at confirmation."""
    may_approve = access.can("observation.approve")
    return {"plan": access.plan, "allowed_area_ids": _allowed_areas(access),
            "approve": approve and may_approve, "may_correct_approved": may_approve}  # fmt: skip


def _keep_preview(request: HttpRequest, access: PlanAccess, pending: dict[str, Any]) -> str:
    """The parsed rows wait in the session (one pending import per session) under a token."""
    token = secrets.token_urlsafe(16)
    request.session[_PREVIEW] = {**pending, "token": token, "plan": access.plan.pk}
    return token


@plan_view("observation.register")
def observation_import(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """Upload -> preview (nothing written) -> confirm (written, unless the data changed)."""
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, access)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[services.ImportError_] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        approve, reason = form.cleaned_data["approve"], form.cleaned_data["reason"]
        try:
            rows = importing.read_file(upload.name, upload.read())
            preview = services.observations_import_preview(
                rows=rows, reason=reason, file_name=upload.name, **_import_args(access, approve)
            )
        except services.ImportFailed as exc:
            errors = exc.errors
        else:
            pending = {"rows": [_row_to_json(r) for r in rows], "file": upload.name,
                       "approve": approve, "reason": reason,
                       "fingerprint": preview.fingerprint}  # fmt: skip
            return _preview(request, access, preview, _keep_preview(request, access, pending))
    context = {"access": access, "form": form, "errors": errors, "nav": "criteria"}
    return render(request, "criteria/import.html", context, status=400 if errors else 200)


def _preview(
    request: HttpRequest,
    access: PlanAccess,
    preview: services.ImportPlan,
    token: str,
    changed_since: bool = False,
) -> HttpResponse:
    pending = request.session[_PREVIEW]
    context = {"access": access, "preview": preview, "token": token, "nav": "criteria",
               "file_name": pending["file"], "approve": pending["approve"],
               "reason": pending["reason"], "changed_since": changed_since}  # fmt: skip
    return render(
        request, "criteria/import_preview.html", context, status=409 if changed_since else 200
    )


def _import_confirm(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    pending = request.session.get(_PREVIEW)
    if (
        not form.is_valid()
        or not pending
        or pending.get("token") != form.cleaned_data["token"]
        or pending.get("plan") != access.plan.pk
    ):
        messages.error(request, _("Forhåndsvisningen findes ikke længere. Indlæs filen igen."))
        return redirect("criteria:import", slug=access.plan.slug)
    rows = [_row_from_json(r) for r in pending["rows"]]
    try:
        count = services.observations_import(
            rows=rows, user=request.user, reason=pending["reason"], file_name=pending["file"],
            expected_fingerprint=pending["fingerprint"],
            **_import_args(access, pending["approve"]),
        )  # fmt: skip
    except services.ImportChanged as exc:
        pending["fingerprint"] = exc.plan.fingerprint
        token = _keep_preview(request, access, pending)
        return _preview(request, access, exc.plan, token, changed_since=True)
    except services.ImportFailed as exc:
        del request.session[_PREVIEW]
        context = {"access": access, "form": ImportForm(), "errors": exc.errors, "nav": "criteria"}
        return render(request, "criteria/import.html", context, status=400)
    del request.session[_PREVIEW]
    messages.success(request, _("%(count)s observationer er importeret.") % {"count": count})
    return redirect("criteria:scorecard", slug=access.plan.slug)


def _row_to_json(row: services.ImportRow) -> dict[str, Any]:
    data = dataclasses.asdict(row)
    for name in ("value", "numerator", "denominator"):
        data[name] = None if data[name] is None else str(data[name])
    return data


def _row_from_json(data: dict[str, Any]) -> services.ImportRow:
    numbers = {name: None if data[name] is None else Decimal(data[name])
               for name in ("value", "numerator", "denominator")}  # fmt: skip
    return services.ImportRow(**{**data, **numbers})
