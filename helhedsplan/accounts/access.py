"""Access control in one place.

Every plan-scoped view is wrapped in ``plan_view(permission)``. It resolves the plan from
the URL through the user's memberships only: a plan where the user has no role answers
404, so its existence is not revealed; a role that lacks the permission answers 403.
Later issues add permissions to PERMISSIONS; the permission-matrix test reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase as HttpResponse

from helhedsplan.accounts.models import Membership, Role

if TYPE_CHECKING:
    from helhedsplan.plans.models import Plan

ALL_ROLES = frozenset(Role)
READERS = ALL_ROLES
# Everyone who works in or oversees the plan. Landsbyggefonden is not among them: it reads the
# agreement, its sub-agreements and attachments, the organisation chart and what is sent to it
# (the LBF package, the agreement's generated documents), never the raw registrations.
PLAN_WORKERS = ALL_ROLES - {Role.LBF}

PERMISSIONS: dict[str, frozenset[Role]] = {
    "plan.view": READERS,
    # An area's page holds its residents per year and links to the area's figures.
    "area.view": PLAN_WORKERS,
    "plan.edit": frozenset({Role.SECRETARIAT}),
    "funding.edit": frozenset({Role.SECRETARIAT}),
    # Who may read the audit trail: those who must see that the plan is followed up.
    "audit.view": frozenset({Role.SECRETARIAT, Role.BOARD, Role.AUDITOR}),
    # Success criteria: everyone working in the plan reads the scorecard; registrars register
    # drafts (a coordinator only for their own areas); only the secretariat approves and sets
    # targets.
    "criteria.view": PLAN_WORKERS,
    "observation.register": frozenset({Role.SECRETARIAT, Role.COORDINATOR, Role.MUNICIPAL}),
    "observation.approve": frozenset({Role.SECRETARIAT}),
    "target.edit": frozenset({Role.SECRETARIAT}),
    # Organisation and meetings (§§ 2, 6, 9, 10). LBF reads only the organisation chart
    # (a required attachment); the others who work in the plan read the rest.
    "organisation.view": PLAN_WORKERS,
    "organisation.chart": READERS,
    # The menu entry for the chart alone, for those who cannot open the organisation page.
    "organisation.chart.only": frozenset({Role.LBF}),
    "organisation.edit": frozenset({Role.SECRETARIAT}),
    "meetings.view": PLAN_WORKERS,
    "meetings.edit": frozenset({Role.SECRETARIAT}),
    # Recording decisions: the secretariat on any meeting, board members on board meetings.
    "meetings.decide": frozenset({Role.SECRETARIAT, Role.BOARD}),
    # Activities (issue 4). Registration is narrowed per activity and area in
    # activities/scope.py: the municipality its own activities, coordinators their areas.
    "activities.view": PLAN_WORKERS,
    "activities.edit": frozenset({Role.SECRETARIAT}),
    "activities.register": frozenset({Role.SECRETARIAT, Role.COORDINATOR, Role.MUNICIPAL}),
    "activities.evaluate": frozenset({Role.SECRETARIAT, Role.COORDINATOR}),
    "delivery.view": PLAN_WORKERS,
    "delivery.close": frozenset({Role.SECRETARIAT}),
    # The strategic agreement, sub-agreements and attachments (uploaded and generated): LBF may
    # read them at any time.
    "agreement.view": READERS,
    "agreement.edit": frozenset({Role.SECRETARIAT}),
    # LBF decides in the system; the secretariat may record LBF's decision with the letter.
    "agreement.decide": frozenset({Role.LBF, Role.SECRETARIAT}),
    "package.download": frozenset({Role.SECRETARIAT, Role.LBF, Role.BOARD, Role.AUDITOR}),
}


@dataclass(frozen=True)
class PlanAccess:
    """What one user may do on one plan."""

    plan: Plan
    roles: frozenset[Role]
    coordinator_area_ids: frozenset[int] = field(default_factory=frozenset)

    def can(self, permission: str) -> bool:
        try:
            allowed = PERMISSIONS[permission]
        except KeyError:
            raise KeyError(f"Unknown permission {permission!r}") from None
        return bool(self.roles & allowed)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(permission)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles)]


def get_plan_access(user: Any, slug: str) -> PlanAccess:
    """The user's access to the plan with this slug; Http404 if they have no role on it."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    memberships = list(
        Membership.objects.filter(user=user, plan__slug=slug)
        .select_related("plan", "plan__municipality")
        .prefetch_related("areas")
    )
    if not memberships:
        raise Http404
    areas = frozenset(
        area.pk for m in memberships if m.role == Role.COORDINATOR for area in m.areas.all()
    )
    return PlanAccess(
        plan=memberships[0].plan,
        roles=frozenset(Role(m.role) for m in memberships),
        coordinator_area_ids=areas,
    )


P = ParamSpec("P")
PlanView = Callable[Concatenate[HttpRequest, PlanAccess, P], HttpResponse]


def plan_view(
    permission: str = "plan.view",
) -> Callable[[PlanView[P]], Callable[Concatenate[HttpRequest, str, P], HttpResponse]]:
    """Decorate a view taking (request, access, ...); the URL supplies ``slug``."""
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")

    def decorator(
        view: PlanView[P],
    ) -> Callable[Concatenate[HttpRequest, str, P], HttpResponse]:
        @wraps(view)
        def wrapped(
            request: HttpRequest, slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            access = get_plan_access(request.user, slug)
            access.require(permission)
            request.plan_access = access  # type: ignore[attr-defined]
            return view(request, access, *args, **kwargs)

        guarded = cast(
            "Callable[Concatenate[HttpRequest, str, P], HttpResponse]", login_required(wrapped)
        )
        guarded.required_permission = permission  # type: ignore[attr-defined]
        return guarded

    return decorator
