"""Writes that tie a plan's data to its framework (``catalogue``). Django side of the
frameworks package: ``catalogue`` itself stays pure Python."""

from __future__ import annotations

from django.db import transaction

from helhedsplan.frameworks import catalogue
from helhedsplan.plans.models import FocusArea, Plan


@transaction.atomic
def focus_areas_link_to_framework(*, plan: Plan) -> list[FocusArea]:
    """Give each focus area of the plan without a framework key the key of the framework's
    focus area of the same name (case and spacing aside), once per key. For a plan whose
    focus areas were made before they were chosen from the framework (the demo's, an
    import). A focus area without such a namesake is left as it is. Returns those linked."""
    try:
        framework = catalogue.get(plan.framework)
    except catalogue.UnknownFramework:
        return []
    by_name = {" ".join(f.name.lower().split()): f.key for f in framework.focus_areas}
    areas = list(FocusArea.objects.select_for_update().filter(plan=plan).order_by("order", "pk"))
    taken = {fa.framework_key for fa in areas if fa.framework_key}
    linked = []
    for fa in areas:
        key = by_name.get(" ".join(fa.name.lower().split()))
        if fa.framework_key or not key or key in taken:
            continue
        fa.framework_key = key
        fa.full_clean()
        fa.save()
        taken.add(key)
        linked.append(fa)
    return linked
