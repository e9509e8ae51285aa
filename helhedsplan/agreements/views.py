from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.agreements import documents, selectors, services
from helhedsplan.agreements.attachments import MISSING_LINKS, checklist
from helhedsplan.agreements.forms import (
    AttachmentUploadForm,
    BoardDecisionForm,
    DecisionForm,
    NewVersionForm,
    SectionForm,
    SubAgreementForm,
)
from helhedsplan.agreements.models import (
    AgreementSection,
    AgreementVersion,
    PlanAttachment,
    SubAgreementVersion,
)
from helhedsplan.files.views import stored_file_response
from helhedsplan.frameworks import catalogue
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.plans.models import FocusArea
from helhedsplan.reports.render import render_html

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _on_date(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("dato", ""))
    except ValueError:
        return timezone.localdate()


@plan_view("agreement.view")
def agreement_overview(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    return _overview(request, access, NewVersionForm())


def _overview(request: HttpRequest, access: PlanAccess, new_form: NewVersionForm) -> HttpResponse:
    on = _on_date(request)
    context = {
        "access": access,
        "nav": "agreement",
        "on": on,
        "in_force": selectors.agreement_in_force(access.plan, on),
        "versions": list(selectors.agreement_versions(access.plan)),
        "sub_agreements": selectors.sub_agreement_overview(access.plan, timezone.localdate()),
        "new_form": new_form,
    }
    return render(request, "agreements/overview.html", context)


def _version(access: PlanAccess, number: int) -> AgreementVersion:
    return get_object_or_404(
        AgreementVersion.objects.select_related("plan", "lbf_letter"),
        plan=access.plan,
        number=number,
    )


@plan_view("agreement.view")
def version_detail(request: HttpRequest, access: PlanAccess, number: int) -> HttpResponse:
    version = _version(access, number)
    context = {
        "access": access,
        "nav": "agreement",
        "version": version,
        "sections": list(version.sections.all()),
        "document_html": render_html(documents.agreement_document(version)),
        "decision_form": DecisionForm(),
        "changes": selectors.version_changes(version),
    }
    return render(request, "agreements/version.html", context)


@plan_view(get=None, post="agreement.edit")
def version_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = NewVersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.agreement_version_create(
                plan=access.plan,
                sections={},
                actor=request.user,
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as exc:
            form.add_error("change_note", exc)
        else:
            messages.success(
                request, _("Version %(n)s er oprettet som kladde.") % {"n": version.number}
            )
            # Back to the change that needed the draft (a target or focus-area form).
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
                return redirect(back)
            return redirect(version)
    # The overview again, with the note as written and why it was refused.
    return _overview(request, access, form)


@plan_view("agreement.edit", post="agreement.edit")
def section_edit(request: HttpRequest, access: PlanAccess, number: int, key: str) -> HttpResponse:
    version = _version(access, number)
    section = get_object_or_404(AgreementSection, version=version, key=key)
    form = SectionForm(request.POST or None, instance=section)
    concurrency.carry_version(form, concurrency.version_of(section))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_section_update(
                section=section, body=form.cleaned_data["body"],
                opened_version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Afsnittet er gemt."))
            return redirect(version)
    context = {"access": access, "version": version, "section": section, "form": form}
    return render(request, "agreements/section_form.html", context)


@plan_view(get=None, post="agreement.edit")
def version_submit(request: HttpRequest, access: PlanAccess, number: int) -> HttpResponse:
    version = _version(access, number)
    try:
        services.agreement_version_submit(version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Versionen er indsendt til Landsbyggefonden."))
    return redirect(version)


def _decision_form_problem(form: DecisionForm | BoardDecisionForm) -> str:
    if "decision" in form.errors:
        return str(_("Vælg godkend eller returnér."))
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _decide(request: HttpRequest, access: PlanAccess, version: AgreementVersion) -> None:
    """LBF's decision on a version of the strategic agreement from the decision form; the
    outcome (or why it was refused) is the page's message."""
    form = DecisionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _decision_form_problem(form))
        return
    try:
        services.version_decide(
            version=version,
            may_decide=access.may_decide_version,
            letter_required=access.decision_needs_letter,
            approve=form.cleaned_data["decision"] == "approve",
            remarks=form.cleaned_data["remarks"],
            in_force_from=form.cleaned_data["in_force_from"],
            letter=form.cleaned_data.get("letter"),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Afgørelsen er registreret."))


@plan_view(get=None, post="agreement.decide")
def version_decide(request: HttpRequest, access: PlanAccess, number: int) -> HttpResponse:
    version = _version(access, number)
    _decide(request, access, version)
    return redirect(version)


@plan_view("agreement.view")
def version_compare(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    versions = {v.number: v for v in selectors.agreement_versions(access.plan)}
    numbers = sorted(versions)
    try:
        old = versions[int(request.GET.get("fra", numbers[0] if numbers else 0))]
        new = versions[int(request.GET.get("til", numbers[-1] if numbers else 0))]
    except (KeyError, ValueError):
        return render(
            request,
            "agreements/compare.html",
            {"access": access, "versions": numbers, "diffs": None},
        )
    context = {
        "access": access,
        "nav": "agreement",
        "versions": numbers,
        "old": old,
        "new": new,
        "diffs": selectors.compare_versions(old, new),
    }
    return render(request, "agreements/compare.html", context)


def _focus_area(access: PlanAccess, code: str) -> FocusArea:
    return get_object_or_404(FocusArea.objects.select_related("plan"), plan=access.plan, code=code)


@plan_view("agreement.view")
def sub_agreement_detail(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    fa = _focus_area(access, code)
    versions = list(
        SubAgreementVersion.objects.filter(focus_area=fa)
        .select_related("board_decision__meeting__body")
        .order_by("-number")
    )
    current = versions[0] if versions else None
    context = {
        "access": access,
        "nav": "agreement",
        "focus_area": fa,
        "versions": versions,
        "current": current,
        "document_html": render_html(documents.sub_agreement_document(current)) if current else "",
        "decision_form": BoardDecisionForm(plan=access.plan),
    }
    return render(request, "agreements/sub_agreement.html", context)


@plan_view("agreement.edit", post="agreement.edit")
def sub_agreement_edit(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    fa = _focus_area(access, code)
    latest = SubAgreementVersion.objects.filter(focus_area=fa).order_by("-number").first()
    editable = latest if latest and latest.is_editable else None
    form = SubAgreementForm(request.POST or None, instance=editable or latest)
    # The draft's version, or NEW when saving makes a new draft (a draft made meanwhile
    # by someone else is then refused, not overwritten).
    concurrency.carry_version(form, concurrency.version_of(editable))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        opened = data.pop(concurrency.VERSION_FIELD)
        try:
            if editable:
                services.sub_agreement_version_update(
                    version=editable, opened_version=opened, **data
                )
            else:
                services.sub_agreement_version_create(focus_area=fa, actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Delaftalen er gemt som kladde."))
            return redirect("agreements:sub_agreement", slug=access.plan.slug, code=fa.code)
    return render(
        request,
        "agreements/sub_agreement_form.html",
        {"access": access, "focus_area": fa, "form": form},
    )


def _sub_version(fa: FocusArea, number: int) -> SubAgreementVersion:
    return get_object_or_404(SubAgreementVersion, focus_area=fa, number=number)


@plan_view(get=None, post="agreement.edit")
def sub_agreement_submit(
    request: HttpRequest, access: PlanAccess, code: str, number: int
) -> HttpResponse:
    fa = _focus_area(access, code)
    try:
        services.sub_agreement_version_submit(version=_sub_version(fa, number))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Delaftalen er forelagt bestyrelsen."))
    return redirect("agreements:sub_agreement", slug=access.plan.slug, code=fa.code)


@plan_view(get=None, post="subagreement.decide")
def sub_agreement_decide(
    request: HttpRequest, access: PlanAccess, code: str, number: int
) -> HttpResponse:
    """The board's approval or return of a sub-agreement version, recorded as a decision on
    a board meeting; the outcome (or why it was refused) is the page's message."""
    fa = _focus_area(access, code)
    form = BoardDecisionForm(request.POST, plan=access.plan)
    if not form.is_valid():
        messages.error(request, _decision_form_problem(form))
    else:
        try:
            services.sub_agreement_version_decide(
                version=_sub_version(fa, number),
                meeting=form.cleaned_data["meeting"],
                approve=form.cleaned_data["decision"] == "approve",
                may_decide=access.may_decide_sub_agreement,
                body_kinds=access.decision_body_kinds,
                remarks=form.cleaned_data["remarks"],
                in_force_from=form.cleaned_data["in_force_from"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Bestyrelsens beslutning er registreret."))
    return redirect("agreements:sub_agreement", slug=access.plan.slug, code=fa.code)


@plan_view(get=None, post="agreement.edit")
def sub_agreement_reviewed(
    request: HttpRequest, access: PlanAccess, code: str, number: int
) -> HttpResponse:
    fa = _focus_area(access, code)
    services.sub_agreement_mark_reviewed(version=_sub_version(fa, number), on=timezone.localdate())
    messages.success(request, _("Delaftalen er markeret som gennemgået i dag."))
    return redirect("agreements:sub_agreement", slug=access.plan.slug, code=fa.code)


@plan_view("agreement.view", post="agreement.edit")
def attachments(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    framework = catalogue.get(access.plan.framework)
    form = AttachmentUploadForm(
        request.POST or None, request.FILES or None, attachments=framework.attachment_keys()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_attachment_upload(
                plan=access.plan,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Bilaget er uploadet."))
            return redirect("agreements:attachments", slug=access.plan.slug)
    context = {
        "access": access,
        "nav": "attachments",
        "items": checklist(access.plan),
        # Where a missing attachment's data is entered, for a user who may (MISSING_LINKS).
        "missing_links": {
            str(kind): reverse(name, kwargs={"slug": access.plan.slug})
            for kind, (name, permission) in MISSING_LINKS.items()
            if access.can(permission)
        },
        "framework": framework,
        "form": form,
    }
    return render(request, "agreements/attachments.html", context)


@plan_view("agreement.view")
def attachment_file(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(
        PlanAttachment.objects.select_related("stored_file"), plan=access.plan, pk=pk
    )
    return stored_file_response(
        request=request, access=access, stored=attachment.stored_file, permission="agreement.view"
    )


@plan_view("agreement.view")
def lbf_letter(request: HttpRequest, access: PlanAccess, number: int) -> HttpResponseBase:
    version = _version(access, number)
    if version.lbf_letter is None:
        raise Http404
    return stored_file_response(
        request=request, access=access, stored=version.lbf_letter, permission="agreement.view"
    )
