"""Reads of users, roles and invitations, for the plan's users page and the staff pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from helhedsplan.accounts.models import Invitation, Membership, Role, User
from helhedsplan.plans.models import Plan


@dataclass
class PlanUser:
    user: User
    memberships: list[Membership] = field(default_factory=list)


def plan_users(plan: Plan) -> list[PlanUser]:
    """The plan's users, each with their roles (a coordinator's areas), by name: a fixed
    number of queries however many there are."""
    memberships = (
        Membership.objects.filter(plan=plan)
        .select_related("user", "plan")
        .prefetch_related("areas")
        .order_by("user__first_name", "user__last_name", "user__username", "role")
    )
    users: dict[int, PlanUser] = {}
    for membership in memberships:
        users.setdefault(membership.user_id, PlanUser(user=membership.user)).memberships.append(
            membership
        )
    return list(users.values())


def plan_invitations(plan: Plan) -> list[Invitation]:
    """The plan's invitations not yet answered (pending or expired), newest first."""
    return list(
        Invitation.objects.filter(plan=plan, accepted_at=None, revoked_at=None)
        .select_related("plan", "invited_by")
        .prefetch_related("areas")
        .order_by("-created_at")
    )


def staff_plans() -> QuerySet[Plan]:
    return Plan.objects.select_related("municipality").order_by("name")


def staff_users(query: str = "") -> QuerySet[User]:
    """Every user with their roles on every plan; ``query`` searches names, username, e-mail
    and the plans' names."""
    users = User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("plan").prefetch_related("areas"),
        )
    ).order_by("username")
    query = query.strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(memberships__plan__name__icontains=query)
        ).distinct()
    return users


def active_users_by_role() -> list[tuple[str, int]]:
    """Per role (its label, in the roles' order): the active users holding it on any plan,
    each user once per role (one query). The staff's national view shows it."""
    counts = dict(
        Membership.objects.filter(user__is_active=True)
        .values_list("role")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )
    return [(str(role.label), counts.get(role.value, 0)) for role in Role]
