"""The one download view: every exporter, every format, one door."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language

from helhedsplan.accounts.access import DecidedByView, PlanAccess, plan_view
from helhedsplan.audit.services import audit_event
from helhedsplan.lib import cached
from helhedsplan.plans import versions
from helhedsplan.reports.exporters import Exporter, registry
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
    if not instance.cached:
        data = instance.render(fmt)
        _audit(request, instance, fmt, data)
        return download(data, fmt=fmt, filename=instance.filename(fmt))
    # A cached file, keyed by the plan's data version and the installation's as the page's
    # access query read them, before anything is made (and today, the language, the
    # audience and the parameters). A download raises the plan's trail, not its data
    # version (``_audit``): the next download finds the file under the same key.
    params = urlencode(sorted(instance.params.items()))
    parts = (
        instance.identifier, fmt, instance.audience_in_use, params,
        versions.installation_of(access.plan), instance.today, date.today(), get_language(),
    )  # fmt: skip
    key = versions.cache_key(access.plan.pk, "export", *parts, version=versions.of(access.plan))
    data = cached.get_or_build(key, lambda: instance.render(fmt))
    _audit(request, instance, fmt, data)
    return download(data, fmt=fmt, filename=instance.filename(fmt))


def _audit(request: HttpRequest, instance: Exporter, fmt: str, data: bytes) -> None:
    audit_event(
        instance=instance.audit_instance(),
        event=instance.audit_event(fmt),
        actor=request.user,
        changes=instance.audit_changes(fmt, data),
        data_changed=False,  # a read: the plan's pages stay cached, its trail shows it
    )
