from __future__ import annotations

import dataclasses
import secrets
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.agreements.selectors import agreement_change_message, agreement_state
from helhedsplan.audit import display
from helhedsplan.charts import line_chart
from helhedsplan.criteria import importing, pages, selectors, services, wording
from helhedsplan.criteria.engine import TargetError
from helhedsplan.criteria.forms import (
    NEW_MEASURE,
    TOTAL,
    ImportConfirmForm,
    ImportForm,
    MeasureForm,
    ObservationForm,
    ReturnForm,
    SetFromBaselineForm,
    SuccessCriterionForm,
    TargetEndForm,
    TargetForm,
)
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.lib.numbers import YEAR_PARAM
from helhedsplan.plans import fragments
from helhedsplan.plans.models import HousingArea
from helhedsplan.statusreports import locking


@plan_view("criteria.view")
def scorecard(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    if "year" in request.GET:  # the name before issue 10, kept for bookmarks: one redirect
        query = request.GET.copy()
        query.setlist(YEAR_PARAM, query.pop("year"))
        return redirect(f"{request.path}?{query.urlencode()}", permanent=True)
    focus, area = request.GET.get("focus", ""), request.GET.get("area", "")
    asked = request.GET.get(YEAR_PARAM)

    # The grid is the same for every reader of the plan: one rendering per data version,
    # rendered again on commit of a write while the view is read (plans.fragments.renderer).
    parts = (asked, focus, area)
    year, html = fragments.fragment(
        access, "scorecard", parts, (), lambda: pages.scorecard_grid(access.plan, parts, {})
    )
    context = {"access": access, "year": year, "grid": html, "nav": "criteria"}
    return render(request, "criteria/scorecard.html", context)


# The permissions criteria/_criterion_body.html asks about: its cached fragment is kept per
# combination of them (a test checks the list against the template).
CRITERION_PERMISSIONS = ("audit.view", "criteria.edit", "observation.register", "target.edit")


@plan_view("criteria.view")
def criterion_detail(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    def body() -> tuple[str, str]:
        try:
            detail = selectors.criterion_detail(access.plan, code)
        except SuccessCriterion.DoesNotExist:
            raise Http404 from None
        charts = [(col, line_chart(spec)) for col, spec in detail.charts]
        audit = selectors.criterion_audit(detail.criterion, detail=detail)
        reasons = selectors.reasoned_changes(audit)  # reasons for changed targets: every reader
        if not access.can("audit.view"):
            audit = []
        display.prepare(audit)  # the diffs' names for all entries at once, not per entry
        context = {"access": access, "d": detail, "charts": charts, "reasons": reasons,
                   "audit": audit}  # fmt: skip
        return str(detail.criterion), render_to_string("criteria/_criterion_body.html", context)

    # It shows who registered and changed what: the installation's counter keys it too
    # (a user's new name raises it, plans.fragments.user_changed).
    title, html = fragments.fragment(
        access, "criterion", (code,), CRITERION_PERMISSIONS, body, installation=True
    )
    context = {"access": access, "title": title, "body": html, "nav": "criteria"}
    return render(request, "criteria/criterion_detail.html", context)


def _opened_observation(
    request: HttpRequest, measure: Measure, areas: list[HousingArea], allow_total: bool
) -> Observation | None:
    """The observation the form is opened to correct: ``?omraade=<slug|total>&aar=YYYY``."""
    slug, year = request.GET.get("omraade", ""), request.GET.get("aar", "")
    known = {a.slug for a in areas} | ({TOTAL} if allow_total else set())
    if not year.isdigit() or slug not in known:
        return None
    where: dict[str, Any] = {"area__isnull": True} if slug == TOTAL else {"area__slug": slug}
    return (
        Observation.objects.filter(measure=measure, year=int(year), variant="", **where)
        .select_related("area", "returned_by")
        .first()
    )


def _asked_for(request: HttpRequest) -> dict[str, Any]:
    """``?omraade=<slug|total>&aar=YYYY`` as the form's initial area and year (the form's
    choices decide whether they are offered)."""
    initial: dict[str, Any] = {}
    if slug := request.GET.get("omraade", ""):
        initial["area"] = slug
    if (year := request.GET.get("aar", "")).isdigit():
        initial["year"] = int(year)
    return initial


@plan_view("observation.register", post="observation.register")
def observation_new(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    criterion = get_object_or_404(
        SuccessCriterion.objects.select_related("measure"), plan=access.plan, code=code
    )
    areas = access.observation_areas(access.plan.areas.all())
    may_correct, allow_total = access.may_correct_approved, access.may_register_total
    opened = _opened_observation(request, criterion.measure, areas, allow_total)
    locked_by = locking.observation_lock(opened) if opened else None
    # Not registered yet: the area and year asked for (the due list's link) are preselected.
    initial = ObservationForm.initial_for(opened) if opened else _asked_for(request)
    form = ObservationForm(
        request.POST or None, measure=criterion.measure, areas=areas, allow_total=allow_total,
        may_correct_approved=may_correct, locked_by=locked_by, initial=initial,
    )  # fmt: skip
    # The version of the observation the form was opened at; NEW for a blank form, so
    # saving over a figure someone registered meanwhile is refused and shown first.
    concurrency.carry_version(form, concurrency.version_of(opened))
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            obs = services.observation_register(
                measure=criterion.measure, user=request.user,
                allowed_area_ids=access.observation_area_ids,
                may_correct_approved=may_correct, version=concurrency.submitted_version(form),
                **kwargs,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
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
               "opened": opened, "locked_by": locked_by,
               "locked_name": locking.report_name(locked_by) if locked_by else "",
               "previous": selectors.previous_values(criterion.measure)}  # fmt: skip
    return render(request, "criteria/observation_form.html", context)


@plan_view("observation.approve")
def approvals(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    rows = selectors.approval_rows(access.plan)
    context = {"access": access, "rows": rows, "nav": "criteria"}
    return render(request, "criteria/approvals.html", context)


def _decision_error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@plan_view("observation.approve", post="observation.approve")
def observation_approve(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    obs = get_object_or_404(Observation, pk=pk, measure__plan=access.plan)
    if request.method == "POST":
        try:
            services.observation_approve(
                observation=obs, user=request.user, version=request.POST.get("version", "")
            )
        except ValidationError as exc:
            _decision_error(request, exc)
        else:
            messages.success(request, _("Observationen er godkendt: %(obs)s") % {"obs": obs})
        return redirect("criteria:approvals", slug=access.plan.slug)
    context = {"access": access, "obs": obs, "version": concurrency.version_of(obs)}
    return render(request, "criteria/approve_confirm.html", context)


@plan_view(get=None, post="observation.approve")
def observation_return(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    """Send a draft back to its registrar with a comment (required)."""
    obs = get_object_or_404(Observation, pk=pk, measure__plan=access.plan)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(e) for e in form.errors.get("comment", [])])
        services.observation_return(
            observation=obs, user=request.user, comment=form.cleaned_data["comment"],
            version=request.POST.get("version", ""),
        )  # fmt: skip
    except ValidationError as exc:
        _decision_error(request, exc)
    else:
        messages.success(
            request, _("Observationen er sendt tilbage til registranten: %(obs)s") % {"obs": obs}
        )
    return redirect("criteria:approvals", slug=access.plan.slug)


def _criterion(access: PlanAccess, code: str) -> SuccessCriterion:
    return get_object_or_404(
        SuccessCriterion.objects.select_related("measure", "plan"), plan=access.plan, code=code
    )


def _target(access: PlanAccess, code: str, pk: int) -> Target:
    return get_object_or_404(
        Target.objects.select_related(
            "criterion__measure", "criterion__plan", "reference_series", "introduced_by",
            "superseded_by",
        ),
        pk=pk, criterion__plan=access.plan, criterion__code=code,
    )  # fmt: skip


def target_sentence_of(form: TargetForm) -> tuple[str, str]:
    """(sentence, error) for the fields of a bound target form: the engine's check
    (``engine.Target.validate``) decides, and nothing is written."""
    if not form.is_valid():
        return "", " ".join(
            f"{form.fields[name].label}: {' '.join(map(str, errors))}" if name in form.fields
            else " ".join(map(str, errors))
            for name, errors in form.errors.items() if name != concurrency.VERSION_FIELD
        )  # fmt: skip
    target = form.engine_target()
    try:
        target.validate()
    except TargetError as exc:
        return "", _("Målet hænger ikke sammen: %(why)s") % {"why": wording.target_error_text(exc)}
    return wording.describe(target), ""


def _target_form_page(
    request: HttpRequest, access: PlanAccess, form: TargetForm, target: Target | None
) -> HttpResponse:
    criterion = form.criterion
    sentence, error = ("", "")
    if request.method == "POST" and "preview" in request.POST:
        sentence, error = target_sentence_of(form)
    elif target is not None:
        sentence = target.describe()
    context = {"access": access, "form": form, "target": target, "criterion": criterion,
               "nav": "criteria", "sentence": sentence, "sentence_error": error,
               "has_observations": services.criterion_has_observations(criterion),
               "agreement": agreement_state(access.plan),
               "kinds_by_field": TargetForm.kinds_by_field(),
               "preview_url": reverse("criteria:target_sentence", kwargs={
                   "slug": access.plan.slug, "code": criterion.code})
               + (f"?maal={target.pk}" if target else "")}  # fmt: skip
    return render(request, "criteria/target_form.html", context)


def _saved(request: HttpRequest, access: PlanAccess) -> None:
    messages.success(request, agreement_change_message(access.plan, _("Målet er gemt.")))


@plan_view("target.edit", post="target.edit")
def target_create(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    criterion = _criterion(access, code)
    areas = list(access.plan.areas.order_by("order", "name"))
    form = TargetForm(request.POST or None, criterion=criterion, areas=areas)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            services.target_create(
                criterion=criterion, user=request.user, reason=form.cleaned_data["reason"],
                **form.target_fields(),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _saved(request, access)
            return redirect(criterion)
    return _target_form_page(request, access, form, None)


@plan_view("target.edit", post="target.edit")
def target_edit(request: HttpRequest, access: PlanAccess, code: str, pk: int) -> HttpResponse:
    target = _target(access, code, pk)
    form = TargetForm(request.POST or None, criterion=target.criterion, target=target)
    concurrency.carry_version(form, concurrency.version_of(target))
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            services.target_update(
                target=target, user=request.user, reason=form.cleaned_data["reason"],
                version=concurrency.submitted_version(form), **form.target_fields(),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _saved(request, access)
            return redirect(target.criterion)
    return _target_form_page(request, access, form, target)


@plan_view(get=None, post="target.edit")
def target_sentence(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    """The live sentence of the target form (htmx): the fields as posted, checked by the
    engine; the sentence or the Danish reason it does not hang together. Writes nothing."""
    criterion = _criterion(access, code)
    pk = request.GET.get("maal", "")
    target = _target(access, code, int(pk)) if pk.isdigit() else None
    areas = list(access.plan.areas.order_by("order", "name"))
    form = TargetForm(request.POST, criterion=criterion, target=target, areas=areas)
    form.fields.pop(concurrency.VERSION_FIELD, None)
    sentence, error = target_sentence_of(form)
    context = {"sentence": sentence, "sentence_error": error}
    return render(request, "criteria/_target_sentence.html", context)


@plan_view("target.edit", post="target.edit")
def target_end(request: HttpRequest, access: PlanAccess, code: str, pk: int) -> HttpResponse:
    """ "Afslut mål": through the draft agreement version on an approved agreement."""
    target = _target(access, code, pk)
    form = TargetEndForm(request.POST or None)
    concurrency.carry_version(form, concurrency.version_of(target))
    if request.method == "POST" and form.is_valid():
        try:
            services.target_end(
                target=target, reason=form.cleaned_data["reason"], user=request.user,
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, agreement_change_message(access.plan, _(
                "Målet er afsluttet.")))  # fmt: skip
            return redirect(target.criterion)
    context = {"access": access, "form": form, "target": target, "nav": "criteria",
               "agreement": agreement_state(access.plan)}  # fmt: skip
    return render(request, "criteria/target_end.html", context)


@plan_view("target.edit", post="target.edit")
def target_set_from_baseline(
    request: HttpRequest, access: PlanAccess, code: str, pk: int
) -> HttpResponse:
    """ "Fastlæg mål ud fra nulpunktet" for one area of a pending-baseline target; every
    criterion of the same measure with the same pending target is set with it."""
    target = _target(access, code, pk)
    if target.kind != Target.Kind.PENDING_BASELINE:
        raise Http404
    areas = list(target.areas.order_by("order", "name"))
    kinds = [str(k) for k in services.SET_KINDS]
    form = SetFromBaselineForm(request.POST or None, areas=areas, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.target_set_from_baseline(
                target=target, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            codes = ", ".join(t.criterion.code for t in created)
            messages.success(request, _("Målet er fastlagt ud fra nulpunktet for %(codes)s.")
                             % {"codes": codes})  # fmt: skip
            return redirect(target.criterion)
    context = {"access": access, "form": form, "target": target, "nav": "criteria",
               "shared": services.pending_siblings(target)}  # fmt: skip
    return render(request, "criteria/target_set_baseline.html", context)


_PREVIEW = "criteria_import_preview"


def _import_args(access: PlanAccess, approve: bool) -> dict[str, Any]:
    """Who may do what in this import: decided now, at the preview and again at confirmation."""
    may_approve = access.can("observation.approve")
    return {"plan": access.plan, "allowed_area_ids": access.observation_area_ids,
            "approve": approve and may_approve, "may_correct_approved": may_approve}  # fmt: skip


def _keep_preview(request: HttpRequest, access: PlanAccess, pending: dict[str, Any]) -> str:
    """The parsed rows wait in the session (one pending import per session) under a token."""
    token = secrets.token_urlsafe(16)
    request.session[_PREVIEW] = {**pending, "token": token, "plan": access.plan.pk}
    return token


@plan_view("observation.register", post="observation.register")
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


# --- setting up measures and success criteria ------------------------------------------------


@plan_view("criteria.view")
def measures(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    context = {"access": access, "measures": selectors.measures_for_plan(access.plan),
               "nav": "criteria"}  # fmt: skip
    return render(request, "criteria/measures.html", context)


@plan_view("criteria.edit", post="criteria.edit")
def measure_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = MeasureForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(plan=access.plan, **form.measure_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Målingen »%(name)s« er oprettet.") % {"name": measure})
            return redirect("criteria:measures", slug=access.plan.slug)
    context = {"access": access, "form": form, "measure": None, "nav": "criteria"}
    return render(request, "criteria/measure_form.html", context)


@plan_view("criteria.edit", post="criteria.edit")
def measure_edit(request: HttpRequest, access: PlanAccess, measure: str) -> HttpResponse:
    obj = get_object_or_404(Measure, plan=access.plan, slug=measure)
    form = MeasureForm(request.POST or None, plan=access.plan, measure=obj)
    concurrency.carry_version(form, concurrency.version_of(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                measure=obj, reason=form.cleaned_data["reason"],
                version=concurrency.submitted_version(form), **form.measure_fields(),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Målingen »%(name)s« er gemt.") % {"name": obj})
            return redirect("criteria:measures", slug=access.plan.slug)
    has_obs = Observation.objects.filter(measure=obj).exists()
    context = {"access": access, "form": form, "measure": obj, "nav": "criteria",
               "has_observations": has_obs}  # fmt: skip
    return render(request, "criteria/measure_form.html", context)


def _criterion_errors(
    form: SuccessCriterionForm, measure_form: MeasureForm, exc: ValidationError, new: bool
) -> None:
    """The service's refusal on the form it concerns: the new measure's fields on its form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        if new and key in measure_form.fields and key not in form.fields:
            measure_form.add_error(key, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)


@plan_view("criteria.edit", post="criteria.edit")
def criterion_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """A new criterion with an existing or a new measure; then on to its targets. On a
    plan whose agreement is approved it is a change of the agreement: refused here (the
    service refuses it too) with the way to do it."""
    plan = access.plan
    approved = services.agreement_is_approved(plan)
    data = request.POST if request.method == "POST" else None
    form = SuccessCriterionForm(
        data, plan=plan, initial=SuccessCriterionForm.initial_for(plan, request.GET)
    )
    measure_form = MeasureForm(data, plan=plan, prefix=NEW_MEASURE)
    new = form.wants_new_measure
    if (
        data is not None
        and not approved
        and form.is_valid()
        and (not new or measure_form.is_valid())
    ):
        try:
            criterion = services.success_criterion_create(
                plan=plan, new_measure=measure_form.measure_fields() if new else None,
                **form.criterion_fields(),
            )  # fmt: skip
        except ValidationError as exc:
            _criterion_errors(form, measure_form, exc, new)
        else:
            messages.success(
                request,
                _("Succeskriteriet %(code)s er oprettet. Tilføj nu dets mål.")
                % {"code": criterion.code},
            )
            return redirect(criterion.get_absolute_url() + "#tilfoej-maal")
    # The htmx reload shows the measure's fields only for a new measure; the full page
    # always has them, so the form works without JavaScript.
    show_new = new or not request.htmx  # type: ignore[attr-defined]
    context = {"access": access, "form": form, "measure_form": measure_form, "nav": "criteria",
               "approved": approved, "show_new_measure": show_new}  # fmt: skip
    return render(request, "criteria/criterion_form.html", context, status=200)
