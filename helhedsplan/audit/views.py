from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.audit.selectors import audit_entries_for_plan

PAGE_SIZE = 50


@plan_view("audit.view")
def plan_audit(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    page = Paginator(audit_entries_for_plan(access.plan.pk), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(request, "audit/plan_audit.html", {"access": access, "page": page})


@plan_view("audit.view")
def object_audit(request: HttpRequest, access: PlanAccess, ct: int, pk: str) -> HttpResponse:
    """The history of one object, as a fragment for htmx or a page of its own."""
    try:
        content_type = ContentType.objects.get_for_id(ct)
    except ContentType.DoesNotExist:
        raise Http404 from None
    entries = audit_entries_for_plan(access.plan.pk).filter(
        content_type=content_type, object_pk=pk
    )[:200]
    template = "audit/_entries.html" if request.htmx else "audit/object_audit.html"  # type: ignore[attr-defined]
    return render(request, template, {"access": access, "entries": entries})
