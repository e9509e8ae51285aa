"""The milestones in "Det skal gøres" (``duties.lists``): each milestone not reached is on
the secretariat's list from ``NOTICE_DAYS`` before its date, due by its date, with a link
to the milestone plan. Imported by ``MilestonesConfig.ready``, which registers the source.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from helhedsplan.duties.items import DueItem
from helhedsplan.duties.lists import source

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess

KIND = "milestone"
# A milestone is on the list this many days before its date (the seed gives no notice); a
# milestone with a start date is on it from that day if it is earlier.
NOTICE_DAYS = 30


@source(KIND)
def milestones_due(access: PlanAccess, today: date) -> list[DueItem]:
    """The plan's milestones not reached: the secretariat's, who marks them reached (one
    query)."""
    if not access.can("milestones.edit"):
        return []
    from helhedsplan.milestones.models import Milestone

    url = reverse("milestones:list", kwargs={"slug": access.plan.slug})
    items = []
    for milestone in Milestone.objects.filter(plan=access.plan, done_on__isnull=True):
        due_from = milestone.due_on - timedelta(days=NOTICE_DAYS)
        if milestone.starts_on is not None:
            due_from = min(due_from, milestone.starts_on)
        items.append(
            DueItem(
                key=f"{KIND}:{milestone.pk}",
                kind=KIND,
                title=_("Milepæl: %(title)s") % {"title": milestone.title},
                url=f"{url}#milepael-{milestone.pk}",
                due_from=due_from,
                deadline=milestone.due_on,
                detail=_("Ansvarlig: %(owner)s · nået, når: %(done_when)s")
                % {"owner": milestone.owner, "done_when": milestone.done_when},
            )
        )
    return items
