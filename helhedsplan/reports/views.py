"""The one download view: every exporter, every format, one door."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from helhedsplan.accounts.access import DecidedByView, PlanAccess, plan_view
from helhedsplan.audit.services import audit_event
from helhedsplan.reports.exporters import registry
from helhedsplan.reports.http import download


@plan_view(DecidedByView("each exporter names its own permission"))
def export(request: HttpRequest, access: PlanAccess, exporter: str, fmt: str) -> HttpResponse:
    """``/planer/<slug>/eksport/<exporter>.<format>?<parameters>``.

    A member of the plan without the exporter's permission gets 403; an unknown exporter
    or format, or parameters naming nothing in the plan, 404. Audited as the exporter says.
    """
    found = registry.get(exporter)
    if found is None or fmt not in found.formats:
        raise Http404
    access.require(found.permission)
    instance = found(access.plan, request.GET)
    if not instance.allowed(access):
        raise PermissionDenied(found.permission)
    instance.audience_in_use = instance.audience_for(access)
    data = instance.render(fmt)
    audit_event(
        instance=instance.audit_instance(),
        event=instance.audit_event(fmt),
        actor=request.user,
        changes=instance.audit_changes(fmt, data),
    )
    return download(data, fmt=fmt, filename=instance.filename(fmt))
