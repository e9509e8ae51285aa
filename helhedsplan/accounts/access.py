"""Access control in one place: who may do what, on the plan and on each object in it.

Three layers, all written here and nowhere else:

- ``PERMISSIONS``: which roles hold each permission (the README's permission table).
- ``plan_view(get, post=...)``: each plan URL's GET and POST permission, stated on its view
  and applied before the view runs. It resolves the plan through the user's memberships
  only: a plan where the user has no role answers 404, so its existence is not revealed; a
  role that lacks the method's permission answers 403, also when the view forgot to check;
  a method the URL does not take answers 405. ``url_rules()`` reads the table back from the
  URLconf for the permission-matrix tests.
- ``PlanAccess``: what one user may do on one plan, including the per-object rules (which
  areas a coordinator registers for, who records a meeting's decisions, who decides an
  agreement version). Views ask it; services receive the plain values it answers (allowed
  area ids, a scope, a flag), never the ``PlanAccess`` itself, so the CLI, the API and the
  demo loader call the same services with the same checks.

Adding a permission: name it in ``PERMISSIONS`` with its roles, add its row to the README's
table, and state it on the view: ``@plan_view("thing.view", post="thing.edit")``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase as HttpResponse

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.activities.models import Activity
from helhedsplan.criteria.models import Measure
from helhedsplan.organisation.models import Body

if TYPE_CHECKING:
    from helhedsplan.meetings.models import Meeting
    from helhedsplan.plans.models import HousingArea, Plan

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
    # The guided setup of the plan (its steps and what is missing): the secretariat's.
    "plan.setup": frozenset({Role.SECRETARIAT}),
    # Closing the plan at the end of its period (reopening is the installation staff's).
    "plan.close": frozenset({Role.SECRETARIAT}),
    # The final status report of a plan (slutstatus): those who work in or oversee the plan.
    # Not LBF: it holds the scorecard, delivery per activity and the meetings, which LBF
    # does not read; the secretariat sends it on.
    "plan.final_report": PLAN_WORKERS,
    "funding.edit": frozenset({Role.SECRETARIAT}),
    # Who may read the audit trail: those who must see that the plan is followed up.
    "audit.view": frozenset({Role.SECRETARIAT, Role.BOARD, Role.AUDITOR}),
    # Success criteria: everyone working in the plan reads the scorecard; registrars register
    # drafts (a coordinator only for their own areas: ``PlanAccess.observation_area_ids``);
    # only the secretariat approves and sets targets.
    "criteria.view": PLAN_WORKERS,
    "observation.register": frozenset({Role.SECRETARIAT, Role.COORDINATOR, Role.MUNICIPAL}),
    "observation.approve": frozenset({Role.SECRETARIAT}),
    "target.edit": frozenset({Role.SECRETARIAT}),
    # Setting up the plan's measures and success criteria (a new criterion on a plan whose
    # agreement is approved is refused by the service: it belongs in a draft version).
    "criteria.edit": frozenset({Role.SECRETARIAT}),
    # Organisation and meetings (§§ 2, 6, 9, 10). LBF reads only the organisation chart
    # (a required attachment); the others who work in the plan read the rest.
    "organisation.view": PLAN_WORKERS,
    "organisation.chart": READERS,
    # The menu entry for the chart alone, for those who cannot open the organisation page.
    "organisation.chart.only": frozenset({Role.LBF}),
    "organisation.edit": frozenset({Role.SECRETARIAT}),
    "meetings.view": PLAN_WORKERS,
    "meetings.edit": frozenset({Role.SECRETARIAT}),
    # Recording decisions: the secretariat on any meeting, board members on board meetings
    # (``PlanAccess.decision_body_kinds``).
    "meetings.decide": frozenset({Role.SECRETARIAT, Role.BOARD}),
    # Activities (issue 4). Registration is narrowed per activity and area
    # (``PlanAccess.registration_scope``): the municipality its own activities, coordinators
    # their areas; evaluation to the activities of a coordinator's areas.
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
    # LBF decides in the system; the secretariat may record LBF's decision with the letter
    # (``PlanAccess.decision_needs_letter``).
    "agreement.decide": frozenset({Role.LBF, Role.SECRETARIAT}),
    # The sub-agreements are the board's to keep current (the seed's front part): the board
    # approves or returns a version, as a decision on a board meeting; the secretariat
    # records it for the board. LBF reads them at any time but does not decide on them.
    "subagreement.decide": frozenset({Role.SECRETARIAT, Role.BOARD}),
    "package.download": frozenset({Role.SECRETARIAT, Role.LBF, Role.BOARD, Role.AUDITOR}),
    # The whole plan with all its data and audit trail in one file (transfer): the backup.
    "plan.export": frozenset({Role.SECRETARIAT}),
    # The plan's users: invitations, roles, a coordinator's areas (the staff does the same
    # on every plan from /administration/).
    "users.manage": frozenset({Role.SECRETARIAT}),
    # The board's cycle (issue 12). Every role has a list of what is due for it.
    "duties.view": READERS,
    # Status reports: those who work in the plan read every issued report with the real
    # counts; LBF reads those sent to it, with small numbers suppressed
    # (``PlanAccess.reads_released_copies``). The secretariat writes and issues them.
    "statusreport.view": READERS,
    "statusreport.edit": frozenset({Role.SECRETARIAT}),
    # The board's two yearly assessments: board members record them on the board's
    # assessment meetings; the secretariat records them for the board.
    "assessment.record": frozenset({Role.SECRETARIAT, Role.BOARD}),
    # Issue 13: the money, the milestone plan, the programme evaluations, the yearly audit.
    # The budget and the accounts are read by everyone who works in or oversees the plan;
    # LBF gets the budget as the generated attachment in the package.
    "budget.view": PLAN_WORKERS,
    "budget.edit": frozenset({Role.SECRETARIAT}),
    "spending.view": PLAN_WORKERS,
    "spending.edit": frozenset({Role.SECRETARIAT}),
    # Approving a year's accounts (with the auditor's statement) closes the year.
    "spending.close": frozenset({Role.SECRETARIAT}),
    "milestones.view": PLAN_WORKERS,
    "milestones.edit": frozenset({Role.SECRETARIAT}),
    "programmeevaluation.view": PLAN_WORKERS,
    "programmeevaluation.edit": frozenset({Role.SECRETARIAT}),
    # Linking the board's decisions to an evaluation's findings: the board follows up.
    "programmeevaluation.follow_up": frozenset({Role.SECRETARIAT, Role.BOARD}),
    # The yearly audit package (revisionens dokumentation, seed § 5).
    "auditpackage.download": frozenset({Role.SECRETARIAT, Role.BOARD, Role.AUDITOR}),
    # Issue 14: the national picture. LBF's centrally generated measurements are its own
    # register data: every role reads them (small numbers suppressed for LBF); the
    # secretariat imports them. The list status computed from them is read by every role;
    # the plan's list vision is the secretariat's to state.
    "measurements.view": READERS,
    "measurements.import": frozenset({Role.SECRETARIAT}),
    "lists.view": READERS,
    "vision.edit": frozenset({Role.SECRETARIAT}),
}

# Every permission is either reading or writing. A closed plan is read-only for everyone:
# ``PlanAccess.can`` answers False for every permission that is not reading, so every page
# hides its forms and every POST answers 403 (the data layer refuses the rest:
# ``plans.closing``). A permission missing here counts as writing
# (``tests/accounts/test_closed_plan_access.py`` fails until it is classified).
READING = frozenset(
    {
        "plan.view",
        "area.view",
        "plan.final_report",
        "audit.view",
        "criteria.view",
        "organisation.view",
        "organisation.chart",
        "organisation.chart.only",
        "meetings.view",
        "activities.view",
        "delivery.view",
        "agreement.view",
        "package.download",
        # The backup of the whole plan: a closed plan can still be taken out.
        "plan.export",
        "duties.view",
        "statusreport.view",
        "budget.view",
        "spending.view",
        "milestones.view",
        "programmeevaluation.view",
        "auditpackage.download",
        "measurements.view",
        "lists.view",
    }
)
WRITING = frozenset(
    {
        "plan.edit",
        "plan.close",
        "funding.edit",
        "observation.register",
        "observation.approve",
        "target.edit",
        "organisation.edit",
        "meetings.edit",
        "meetings.decide",
        "activities.edit",
        "activities.register",
        "activities.evaluate",
        "delivery.close",
        "agreement.edit",
        "agreement.decide",
        "subagreement.decide",
        "plan.setup",
        "criteria.edit",
        # Invitations are rows of the plan; on a closed plan staff reopens it first.
        "users.manage",
        "statusreport.edit",
        "assessment.record",
        "budget.edit",
        "spending.edit",
        "spending.close",
        "milestones.edit",
        "programmeevaluation.edit",
        "programmeevaluation.follow_up",
        "measurements.import",
        "vision.edit",
    }
)

# Who is told by e-mail when something reaches them (notifications/notify.py): event -> the
# roles on the plan that act on it. LBF decides on a submitted version; the secretariat hears
# LBF's decision; LBF hears of a status report sent to it.
NOTIFIED: dict[str, frozenset[Role]] = {
    "agreement.submitted": frozenset({Role.LBF}),
    "agreement.decided": frozenset({Role.SECRETARIAT}),
    "statusreport.shared": frozenset({Role.LBF}),
}


def notified_users(plan: Plan, event: str) -> QuerySet[User]:
    """The active users holding a role on ``plan`` that ``NOTIFIED[event]`` names, by
    username."""
    return (
        User.objects.filter(
            is_active=True, memberships__plan=plan, memberships__role__in=NOTIFIED[event]
        )
        .distinct()
        .order_by("username")
    )


# The roles a plan's setup advises having besides the secretariat (setup/selectors.py):
# someone who registers in the areas, the board that follows up, and LBF, which reads.
ADVISED_ROLES: tuple[Role, ...] = (Role.COORDINATOR, Role.BOARD, Role.LBF)

# The activities the municipality is responsible for are its own: its registrar registers them
# in every area.
MUNICIPAL_RESPONSIBLES = frozenset({str(Activity.Responsible.MUNICIPALITY)})
# The kinds of body on whose meetings a board member records decisions.
BOARD_BODY_KINDS = frozenset({str(Body.Kind.BOARD)})


@dataclass(frozen=True)
class RegistrationScope:
    """Where someone may register held activities, as plain values a service checks.

    ``area_ids`` None: every area; otherwise any activity in these areas. ``responsibles``:
    activities whose ``responsible`` is one of these, in any area. ``EVERYWHERE`` is the
    secretariat's scope (and the demo loader's, which registers as the secretariat).
    """

    area_ids: frozenset[int] | None = frozenset()
    responsibles: frozenset[str] = frozenset()

    def allows(self, *, responsible: str, area_id: int) -> bool:
        return self.area_ids is None or area_id in self.area_ids or responsible in self.responsibles


EVERYWHERE = RegistrationScope(area_ids=None)
NOWHERE = RegistrationScope()


def allows_area(allowed_area_ids: Collection[int] | None, area_id: int | None) -> bool:
    """``allowed_area_ids`` None: every area and the plan's total (``area_id`` None); otherwise
    only those areas, never the total."""
    if allowed_area_ids is None:
        return True
    return area_id is not None and area_id in allowed_area_ids


def allows_any_area(allowed_area_ids: Collection[int] | None, area_ids: Iterable[int]) -> bool:
    """Something that runs in ``area_ids`` is within reach: None allows all, else one shared."""
    if allowed_area_ids is None:
        return True
    return any(area_id in allowed_area_ids for area_id in area_ids)


@dataclass(frozen=True)
class PlanAccess:
    """What one user may do on one plan: permissions by role, and the per-object rules."""

    plan: Plan
    roles: frozenset[Role]
    coordinator_area_ids: frozenset[int] = field(default_factory=frozenset)

    def can(self, permission: str) -> bool:
        """The roles hold ``permission``; on a closed plan only a reading one (``READING``)."""
        try:
            allowed = PERMISSIONS[permission]
        except KeyError:
            raise KeyError(f"Unknown permission {permission!r}") from None
        if self.plan.is_closed and permission not in READING:
            return False
        return bool(self.roles & allowed)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(permission)

    @property
    def role_codes(self) -> list[str]:
        """The roles' codes ("secretariat", ...), sorted: what the API answers."""
        return sorted(str(r) for r in self.roles)

    @property
    def reader_key(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """What makes two users' access to the plan the same: their roles and a coordinator's
        areas. A page rendered for one may be cached for every reader with an equal key."""
        return tuple(self.role_codes), tuple(sorted(self.coordinator_area_ids))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles)]

    # What leaves the secretariat: small-number suppression.

    @property
    def reads_released_copies(self) -> bool:
        """The user reads only what is sent out of the secretariat (Landsbyggefonden): every
        report and page shows them the released copy, with small numbers suppressed."""
        return not (self.roles & PLAN_WORKERS)

    @property
    def reads_national_overview(self) -> bool:
        """The user holds Landsbyggefonden's role on this plan, so LBF's national overview
        spans it (``lbf_plan_ids``): the top bar links it."""
        return Role.LBF in self.roles

    @property
    def reads_audit_package_counts(self) -> bool:
        """The yearly audit package (seed § 5) goes to the housing organisation's auditor,
        outside the secretariat: only the secretariat, who prepares it, reads its small
        counts of people; everyone else who downloads it (the auditor, the board, who may
        pass it on) gets the released copy, small numbers suppressed."""
        return Role.SECRETARIAT in self.roles

    # Success criteria: observations.

    @property
    def observation_area_ids(self) -> frozenset[int] | None:
        """The areas the user registers observations for; None: every area and the total.

        The secretariat and the municipality register for the whole plan; a coordinator
        alone for the areas on their membership; someone without the permission for none.
        """
        if not self.can("observation.register"):
            return frozenset()
        if self.roles & {Role.SECRETARIAT, Role.MUNICIPAL}:
            return None
        return self.coordinator_area_ids

    def observation_areas(self, areas: Iterable[HousingArea]) -> list[HousingArea]:
        """Those of ``areas`` (the plan's, in order) the user registers observations for."""
        return [a for a in areas if allows_area(self.observation_area_ids, a.pk)]

    @property
    def may_register_total(self) -> bool:
        """The plan's total (no area) is registered by those who register for every area."""
        return self.observation_area_ids is None

    @property
    def may_correct_approved(self) -> bool:
        """An approved figure changes only as a correction, by whoever approves."""
        return self.can("observation.approve")

    def figure_area_ids(self, data_owner: str) -> frozenset[int] | None:
        """The areas whose figures of a measure with this data owner
        (``criteria.Measure.DataOwner``) are on the user's due list; None: every area and
        the total. The secretariat has every measure; the municipal registrar the
        municipality's; a coordinator the coordinators' measures in their own areas (the
        total is the secretariat's). Empty: none."""
        if not self.can("observation.register"):
            return frozenset()
        if Role.SECRETARIAT in self.roles:
            return None
        if data_owner == Measure.DataOwner.MUNICIPALITY and Role.MUNICIPAL in self.roles:
            return None
        if data_owner == Measure.DataOwner.COORDINATORS and Role.COORDINATOR in self.roles:
            return self.coordinator_area_ids
        return frozenset()

    # Activities: registrations and evaluations.

    @property
    def registration_scope(self) -> RegistrationScope:
        """Where the user registers held activities (seed §6): the secretariat everything, a
        coordinator any activity in their areas, the municipality its own activities in
        every area. Several roles give the union."""
        if not self.can("activities.register"):
            return NOWHERE
        if Role.SECRETARIAT in self.roles:
            return EVERYWHERE
        return RegistrationScope(
            area_ids=self.coordinator_area_ids if Role.COORDINATOR in self.roles else frozenset(),
            responsibles=MUNICIPAL_RESPONSIBLES if Role.MUNICIPAL in self.roles else frozenset(),
        )

    def may_register(self, activity: Activity, area_id: int) -> bool:
        """The user may register (or change a registration of) ``activity`` in the area."""
        return activity.plan_id == self.plan.pk and self.registration_scope.allows(
            responsible=activity.responsible, area_id=area_id
        )

    def registrable_pairs(
        self, links: Iterable[tuple[int, str, int]]
    ) -> frozenset[tuple[int, int]]:
        """Every (activity id, area id) the user can register, from the plan's
        (activity id, responsible, area id) links (``activities.selectors.activity_area_links``):
        the activity runs in the area and the scope allows it. The registration form offers
        exactly these; ``registration_create`` checks the same two rules, so an offered choice
        is never refused for who or where."""
        scope = self.registration_scope
        return frozenset(
            (activity_id, area_id)
            for activity_id, responsible, area_id in links
            if scope.allows(responsible=responsible, area_id=area_id)
        )

    @property
    def evaluation_area_ids(self) -> frozenset[int] | None:
        """The areas whose activities the user evaluates: None for every activity (the
        secretariat), a coordinator's own areas, or none."""
        if not self.can("activities.evaluate"):
            return frozenset()
        if Role.SECRETARIAT in self.roles:
            return None
        return self.coordinator_area_ids if Role.COORDINATOR in self.roles else frozenset()

    def may_evaluate(self, activity_area_ids: Iterable[int]) -> bool:
        """The user may evaluate an activity that runs in ``activity_area_ids``."""
        return allows_any_area(self.evaluation_area_ids, activity_area_ids)

    # Meetings: decisions.

    @property
    def decision_body_kinds(self) -> frozenset[str] | None:
        """On meetings of which kinds of body the user records decisions: None for every
        meeting (the secretariat), board meetings for a board member, else none."""
        if self.can("meetings.edit"):
            return None
        return BOARD_BODY_KINDS if self.can("meetings.decide") else frozenset()

    def may_record_decisions(self, meeting: Meeting) -> bool:
        kinds = self.decision_body_kinds
        return kinds is None or meeting.body.kind in kinds

    # Meetings: the board's two yearly assessments (seed § 6).

    def may_record_assessment(self, meeting: Meeting) -> bool:
        """The board's assessment per focus area, on one of its assessment meetings: board
        members record it, the secretariat records it for the board."""
        return (
            self.can("assessment.record")
            and meeting.is_assessment
            and meeting.body.kind in BOARD_BODY_KINDS
        )

    # The agreement: LBF's decision on a version.

    @property
    def may_decide_version(self) -> bool:
        """LBF decides in the system; the secretariat records LBF's decision."""
        return self.can("agreement.decide")

    @property
    def may_decide_sub_agreement(self) -> bool:
        """The board decides on sub-agreements; the secretariat records it for the board."""
        return self.can("subagreement.decide")

    @property
    def waits_as_lbf(self) -> bool:
        """Versions submitted to LBF wait for this user: they decide as LBF (the secretariat
        records LBF's decision when the letter comes, but does not take it)."""
        return Role.LBF in self.roles and self.can("agreement.decide")

    @property
    def decision_needs_letter(self) -> bool:
        """Recording a decision someone else took (LBF's) needs LBF's letter attached."""
        return Role.LBF not in self.roles


def get_plan_access(user: Any, slug: str) -> PlanAccess:
    """The user's access to the plan with this slug; Http404 if they have no role on it."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    from helhedsplan.plans import versions

    memberships = list(
        Membership.objects.filter(user=user, plan__slug=slug)
        # The plan's counters come with it (``plans.versions.of``, ``trail_of``), and the
        # installation's (``versions.installation_of``): what the pages' caches are keyed
        # by, read before any of the data they show, at no extra query.
        .select_related("plan", "plan__municipality", "plan__data_version")
        .annotate(installation_version=versions.installation_subquery())
    )
    if not memberships:
        raise Http404
    for membership in memberships:
        versions.carry_installation(membership.plan, membership.installation_version)  # type: ignore[attr-defined]
    return plan_access_for(memberships)


def plan_access_for(memberships: Iterable[Membership]) -> PlanAccess:
    """The access one user's memberships of one plan give: what a page gets from
    ``get_plan_access`` and the reminders build for each user. Only a coordinator's areas
    are read (one query per coordinator's membership unless prefetched): the page of a
    user in any other role costs no query for areas."""
    memberships = list(memberships)
    areas = frozenset(
        area.pk for m in memberships if m.role == Role.COORDINATOR for area in m.areas.all()
    )
    return PlanAccess(
        plan=memberships[0].plan,
        roles=frozenset(Role(m.role) for m in memberships),
        coordinator_area_ids=areas,
    )


def plan_wide_access(plan: Plan, area_ids: Iterable[int]) -> PlanAccess:
    """Every role on the plan at once, a coordinator of every area: whose due list holds
    every duty of the plan (the staff's national view counts a plan's overdue items with
    it, each item once however many users it falls to)."""
    return PlanAccess(plan=plan, roles=ALL_ROLES, coordinator_area_ids=frozenset(area_ids))


def staff_view(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A page of the installation's staff (across plans): creating plans, users on every
    plan, reopening a closed plan. Anyone else logged in gets 403; anonymous users the login.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not getattr(request.user, "is_staff", False):
            raise PermissionDenied("staff")
        return view(request, *args, **kwargs)

    guarded = cast("Callable[Concatenate[HttpRequest, P], HttpResponse]", login_required(wrapped))
    guarded.staff_only = True  # type: ignore[attr-defined]
    return guarded


def lbf_plan_ids(who: User | HttpRequest | Any) -> frozenset[int]:
    """The plans on which the user (or the request's user) holds Landsbyggefonden's role:
    what LBF's national overview spans (LBF reads, on each, what is sent to it). Read once
    per request: ``lbf_view`` has asked it before the view asks again."""
    request = who if isinstance(who, HttpRequest) else None
    if request is not None and hasattr(request, "lbf_plan_ids"):
        known: frozenset[int] = request.lbf_plan_ids
        return known
    user: Any = request.user if request is not None else who
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    ids = frozenset(
        Membership.objects.filter(user=user, role=Role.LBF).values_list("plan_id", flat=True)
    )
    if request is not None:
        request.lbf_plan_ids = ids  # type: ignore[attr-defined]
    return ids


def lbf_view(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A page across the plans a user reads as Landsbyggefonden (the national overview):
    anyone logged in without LBF's role on any plan gets 403; anonymous users the login."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not lbf_plan_ids(request):
            raise PermissionDenied("lbf")
        return view(request, *args, **kwargs)

    guarded = cast("Callable[Concatenate[HttpRequest, P], HttpResponse]", login_required(wrapped))
    guarded.lbf_only = True  # type: ignore[attr-defined]
    return guarded


# The permission table per URL.


@dataclass(frozen=True)
class DecidedByView:
    """A permission that depends on an argument of the URL, e.g. the exporter in
    ``/planer/<slug>/eksport/<exporter>.<format>`` runs with the exporter's own permission.

    ``plan_view`` then only resolves the plan (404 for outsiders); the view must call
    ``access.require(...)`` with the permission its argument names. ``why`` says which
    (the permission-matrix tests skip such a URL with it as the reason).
    """

    why: str


Permission = str | DecidedByView | None


@dataclass(frozen=True)
class UrlRule:
    """A URL's row in the permission table: the permission to GET (and HEAD) and to POST.

    None: the URL does not take the method (405 to whoever holds the URL's other
    permission, 403 to the rest, so a refusal tells nothing to those who may not).
    """

    get: Permission
    post: Permission

    def for_method(self, method: str) -> Permission:
        return {"GET": self.get, "HEAD": self.get, "POST": self.post}.get(method)

    @property
    def decided_by_view(self) -> str:
        """Why the view decides (empty when the table decides both methods)."""
        return next((p.why for p in (self.get, self.post) if isinstance(p, DecidedByView)), "")

    @property
    def methods(self) -> list[str]:
        return [m for m, p in (("GET", self.get), ("POST", self.post)) if p is not None]


def _holds(access: PlanAccess, permission: Permission) -> bool:
    return isinstance(permission, DecidedByView) or (
        permission is not None and access.can(permission)
    )


P = ParamSpec("P")
PlanView = Callable[Concatenate[HttpRequest, PlanAccess, P], HttpResponse]


def plan_view(
    get: Permission, *, post: Permission = None
) -> Callable[[PlanView[P]], Callable[Concatenate[HttpRequest, str, P], HttpResponse]]:
    """Decorate a view taking (request, access, ...); the URL supplies ``slug``.

    ``get``: the permission to GET the URL; ``post``: the permission to POST to it (None:
    the URL takes no POST). A POST is checked against ``post`` before the view runs, so a
    page that shows a form to readers cannot be written through by them.
    """
    rule = UrlRule(get=get, post=post)
    for permission in (get, post):
        if isinstance(permission, str) and permission not in PERMISSIONS:
            raise KeyError(f"Unknown permission {permission!r}")

    def decorator(
        view: PlanView[P],
    ) -> Callable[Concatenate[HttpRequest, str, P], HttpResponse]:
        @wraps(view)
        def wrapped(
            request: HttpRequest, slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            access = get_plan_access(request.user, slug)
            permission = rule.for_method(request.method or "")
            if permission is None:
                if not any(_holds(access, p) for p in (rule.get, rule.post)):
                    raise PermissionDenied(request.method)
                return HttpResponseNotAllowed(rule.methods)
            if isinstance(permission, str):
                access.require(permission)
            request.plan_access = access  # type: ignore[attr-defined]
            return view(request, access, *args, **kwargs)

        guarded = cast(
            "Callable[Concatenate[HttpRequest, str, P], HttpResponse]", login_required(wrapped)
        )
        guarded.access_rule = rule  # type: ignore[attr-defined]
        return guarded

    return decorator


def url_rules() -> dict[str, UrlRule]:
    """The permission table: every named URL behind ``plan_view`` and its rule, read from the
    URLconf (the decorators are its one source)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver: URLResolver, prefix: str) -> Iterable[tuple[str, UrlRule]]:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                rule = getattr(p.callback, "access_rule", None)
                if rule is not None:
                    yield prefix + p.name, rule

    return dict(walk(get_resolver(), ""))
