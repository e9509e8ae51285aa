"""Which activities and areas a user may register for (the object-level part of access).

The role-level permission (``activities.register``) is decided in ``accounts/access.py``;
this module narrows it per object, as seed §6 splits the work: the municipality registers
the activities it is responsible for, coordinators register in their own areas, the
secretariat registers everything. A user with several roles gets the union.
"""

from __future__ import annotations

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.accounts.models import Role
from helhedsplan.activities.models import Activity, ActivityArea


def may_register(access: PlanAccess, activity: Activity, area_id: int) -> bool:
    if activity.plan_id != access.plan.pk:
        return False
    if Role.SECRETARIAT in access.roles:
        return True
    if Role.COORDINATOR in access.roles and area_id in access.coordinator_area_ids:
        return True
    return (
        Role.MUNICIPAL in access.roles and activity.responsible == Activity.Responsible.MUNICIPALITY
    )


def runs_in(activity: Activity, area_id: int) -> bool:
    """The activity runs in the area according to the agreement (an ActivityArea row)."""
    return ActivityArea.objects.filter(activity=activity, area_id=area_id).exists()


def registrable_pairs(access: PlanAccess) -> frozenset[tuple[int, int]]:
    """Every (activity id, area id) the user can register: the activity runs in the area
    (``runs_in``) and ``may_register`` allows it. The registration form offers exactly
    these; ``registration_create`` checks the same two rules, so an offered choice is never
    refused for who or where. An activity whose areas the agreement does not name (e.g.
    "Værested og klub") runs nowhere yet, so it is not offered."""
    links = ActivityArea.objects.filter(activity__plan=access.plan).select_related("activity")
    return frozenset(
        (link.activity_id, link.area_id)
        for link in links
        if may_register(access, link.activity, link.area_id)
    )


def may_evaluate(access: PlanAccess, activity: Activity, area_ids: set[int]) -> bool:
    """Secretariat always; a coordinator for an activity that runs in one of their areas."""
    if Role.SECRETARIAT in access.roles:
        return True
    return Role.COORDINATOR in access.roles and bool(area_ids & access.coordinator_area_ids)
