"""{% audit_history obj %}: a lazily loaded history panel for any audited object."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("audit/_history_panel.html", takes_context=True)
def audit_history(context: dict[str, Any], obj: models.Model) -> dict[str, Any]:
    access = context.get("access")
    show = bool(access and access.can("audit.view"))
    url = ""
    if show and access is not None:
        ct = ContentType.objects.get_for_model(obj)
        url = reverse(
            "audit:object", kwargs={"slug": access.plan.slug, "ct": ct.pk, "pk": str(obj.pk)}
        )
    return {"show": show, "url": url}
