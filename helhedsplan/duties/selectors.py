"""Reads for the due-list pages that take plain values (the lists themselves take the
user's ``PlanAccess``: ``duties.lists``)."""

from __future__ import annotations

from django.db.models import QuerySet

from helhedsplan.duties.models import DutyDone
from helhedsplan.plans.models import Plan


def duties_done(plan: Plan) -> QuerySet[DutyDone]:
    """The duties marked done by hand, latest first."""
    return DutyDone.objects.filter(plan=plan).select_related("marked_by").order_by("-done_on")
