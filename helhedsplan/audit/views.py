from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.audit import display
from helhedsplan.audit.forms import AuditFilterForm
from helhedsplan.audit.selectors import audit_entries_for_plan
from helhedsplan.plans import fragments
from helhedsplan.reports.exporters import export_url

PAGE_SIZE = 50


@plan_view("audit.view")
def plan_audit(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's trail, filtered by the GET form; the same filters page it and export it.
    Rendered once per version of the plan's data, of its trail and of the installation's
    (it names people) and per query (``plans.fragments``): every new entry, a download's
    too, raises the trail counter, so the trail is never behind."""

    def body() -> tuple[None, str]:
        form = AuditFilterForm(request.GET or None, plan=access.plan)
        entries = audit_entries_for_plan(access.plan.pk, form.filters())
        query = form.query()
        paginator = Paginator(entries, PAGE_SIZE)
        if not query:  # no filter: the trail as a whole, counted with the choices
            paginator.count = form.choices.total  # type: ignore[misc]
        page = paginator.get_page(request.GET.get("side"))
        page.object_list = display.prepare(list(page.object_list), known=form.choices.actors)
        downloads = []
        if not form.errors:
            downloads = [
                (fmt.upper(), export_url(access.plan, "revisionsspor", fmt, **query))
                for fmt in ("xlsx", "csv")
            ]
        context = {
            "access": access,
            "page": page,
            "form": form,
            "query": form.query_string(),
            "filtered": bool(query),
            "downloads": downloads,
        }
        return None, render_to_string("audit/_plan_audit_body.html", context)

    asked = tuple(sorted(request.GET.lists()))
    _none, html = fragments.fragment(
        access, "audit-trail", asked, (), body, installation=True, trail=True
    )
    return render(request, "audit/plan_audit.html", {"access": access, "body": html})


@plan_view("audit.view")
def object_audit(request: HttpRequest, access: PlanAccess, ct: int, pk: str) -> HttpResponse:
    """The history of one object, as a fragment for htmx or a page of its own."""
    try:
        content_type = ContentType.objects.get_for_id(ct)
    except ContentType.DoesNotExist:
        raise Http404 from None
    entries = display.prepare(
        list(
            audit_entries_for_plan(access.plan.pk).filter(content_type=content_type, object_pk=pk)[
                :200
            ]
        )
    )
    template = "audit/_entries.html" if request.htmx else "audit/object_audit.html"  # type: ignore[attr-defined]
    return render(request, template, {"access": access, "entries": entries})
