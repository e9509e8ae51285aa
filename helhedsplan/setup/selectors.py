"""What a plan still lacks before its agreement can be generated and submitted.

Computed from the data alone, so the guided setup is saved step by step and can be resumed
at any time: each step is done when the checklist has nothing for it. The queries are a
fixed number whatever the plan's size (asserted in tests/setup/test_checklist.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helhedsplan.accounts.access import ADVISED_ROLES
from helhedsplan.accounts.models import Invitation
from helhedsplan.accounts.models import Membership as PlanMembership
from helhedsplan.activities.models import Activity
from helhedsplan.criteria.models import Measure, SuccessCriterion
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.frameworks import catalogue
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, HousingArea, Plan

# The steps of the setup, in order: key, title.
STEPS: list[tuple[str, str | Promise]] = [
    ("plan", gettext_lazy("Planen")),
    ("parties", gettext_lazy("Parter")),
    ("areas", gettext_lazy("Boligområder")),
    ("focus_areas", gettext_lazy("Indsatsområder")),
    ("criteria", gettext_lazy("Målinger og succeskriterier")),
    ("activities", gettext_lazy("Aktiviteter")),
    ("bodies", gettext_lazy("Organisation")),
    ("funding", gettext_lazy("Finansiering")),
    ("users", gettext_lazy("Brugere")),
]
# Used when a framework's data names no bodies yet: every plan has a board (§ 2).
DEFAULT_REQUIRED_BODIES = (str(Body.Kind.BOARD),)


@dataclass(frozen=True)
class ChecklistItem:
    """One thing missing: the step it belongs to, a stable code, a Danish sentence saying
    where and what, and the page where it is done (empty: no page of the plan does it).
    ``required`` False: advisable only."""

    step: str
    code: str
    text: str
    url: str
    required: bool = True


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url: str
    missing: list[ChecklistItem] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not any(item.required for item in self.missing)


class Adder(Protocol):
    def __call__(
        self, step: str, code: str, text: str, *, url: str = "", required: bool = True
    ) -> None: ...


def _url(plan: Plan, name: str, **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


def step_urls(plan: Plan) -> dict[str, str]:
    """Where each step is done: the setup's own pages or the pages of the other apps."""
    return {
        "plan": _url(plan, "setup:details"),
        "parties": _url(plan, "setup:parties"),
        "areas": _url(plan, "setup:areas"),
        "focus_areas": _url(plan, "setup:focus_areas"),
        "criteria": _url(plan, "criteria:criterion_create"),
        "activities": _url(plan, "activities:activity_create"),
        # setup_steps points the step at organisation:from_framework while bodies are missing.
        "bodies": _url(plan, "organisation:overview"),
        "funding": _url(plan, "finance:funding_edit"),
        # Users are invited on the plan's users page (accounts).
        "users": _url(plan, "accounts:plan_users"),
    }


def _with_focus_area(url: str, fa: FocusArea) -> str:
    """A create page opened at the focus area (``?indsatsomraade=5.1``)."""
    return f"{url}?{urlencode({'indsatsomraade': fa.code})}"


def setup_checklist(plan: Plan, *, today: date | None = None) -> list[ChecklistItem]:
    """Everything the plan still lacks, step by step in the order of ``STEPS``."""
    today = today or date.today()
    urls = step_urls(plan)
    items: list[ChecklistItem] = []

    def add(step: str, code: str, text: str, *, url: str = "", required: bool = True) -> None:
        items.append(ChecklistItem(step, code, text, url or urls[step], required))

    # The plan's details.
    try:
        framework: catalogue.Framework | None = catalogue.get(plan.framework)
    except catalogue.UnknownFramework:
        framework = None
        add("plan", "framework_unknown", _("Vælg planens bevillingsramme."))
    if not plan.lbf_case_number.strip():
        add("plan", "lbf_case_number", _("Landsbyggefondens sagsnummer mangler."))

    # The parties.
    organisations = list(plan.housing_organisations.all())
    if not organisations:
        add("parties", "no_housing_organisation", _("Planen har ingen boligorganisation."))
    for org in organisations:
        if not org.cvr:
            add(
                "parties",
                "cvr",
                _("CVR-nummeret mangler for %(name)s.") % {"name": org.name},
                url=_url(plan, "setup:party_edit", pk=str(org.pk)),
            )

    # The housing areas.
    areas = list(
        HousingArea.objects.filter(plan=plan)
        .annotate(n_departments=Count("departments", distinct=True))
        .annotate(n_years=Count("populations", distinct=True))
        .order_by("order", "name")
    )
    if not areas:
        add("areas", "no_area", _("Planen har intet boligområde."))
    for area in areas:
        area_url = _url(plan, "setup:area_edit", area=area.slug)
        if not area.n_departments:
            add(
                "areas",
                "no_department",
                _("%(area)s har intet afdelingsnummer.") % {"area": area.name},
                url=area_url,
            )
        if not area.n_years:
            add(
                "areas",
                "no_residents",
                _("%(area)s mangler beboertal for mindst ét år.") % {"area": area.name},
                url=area_url,
            )
        if area.priority is None:
            add(
                "areas",
                "no_priority",
                _("%(area)s har ingen prioritet.") % {"area": area.name},
                url=area_url,
            )

    # The focus areas.
    focus_areas = list(
        FocusArea.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=SuccessCriterion.objects.select_related("measure")
                .annotate(n_targets=Count("targets"))
                .order_by("order", "code"),
            ),
            Prefetch(
                "activities",
                queryset=Activity.objects.annotate(n_areas=Count("area_links")).order_by(
                    "order", "name"
                ),
            ),
        )
        .order_by("order", "code")
    )
    if not focus_areas:
        add("focus_areas", "no_focus_area", _("Planen har intet indsatsområde."))
    framework_keys = {f.key for f in framework.focus_areas} if framework else set()
    for fa in focus_areas:
        label = f"{fa.code} {fa.name}"
        edit = _url(plan, "plans:focus_area_edit", code=fa.code)
        if fa.framework_key not in framework_keys:
            add(
                "focus_areas",
                "not_from_framework",
                _("%(fa)s er ikke valgt blandt bevillingsrammens indsatsområder.") % {"fa": label},
            )
        for attr, code, text in (
            ("purpose", "no_purpose", _("%(fa)s mangler et formål.")),
            ("sub_goals", "no_sub_goals", _("%(fa)s mangler delmål.")),
            ("target_groups", "no_target_groups", _("%(fa)s mangler målgrupper.")),
        ):
            if not getattr(fa, attr).strip():
                add("focus_areas", code, text % {"fa": label}, url=edit)
        _criteria_items(plan, fa, label, add)
        _activity_items(plan, fa, label, add)

    _body_items(plan, framework, today, add)
    _funding_items(plan, framework, add)

    # Users: advisable, not required for the agreement.
    roles = set(
        PlanMembership.objects.filter(plan=plan, user__is_active=True).values_list(
            "role", flat=True
        )
    )
    # A role already invited says so (and links to the invitation), so the list does not
    # ask for an invitation that was just sent.
    invited = {
        i.role: i.email
        for i in Invitation.objects.filter(
            plan=plan, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).order_by("created_at")
    }
    for role in ADVISED_ROLES:
        if role in roles:
            continue
        if role in invited:
            text = _("Rollen %(role)s er inviteret (%(email)s), men invitationen er ikke besvaret.")
            add(
                "users",
                f"no_user_{role.value}",
                text % {"role": role.label, "email": invited[role]},
                url=_url(plan, "accounts:plan_users"),
                required=False,
            )
        else:
            add(
                "users",
                f"no_user_{role.value}",
                _("Ingen bruger har rollen %(role)s.") % {"role": role.label},
                url=_url(plan, "accounts:plan_user_invite"),
                required=False,
            )
    order = [key for key, _title in STEPS]
    return sorted(items, key=lambda item: order.index(item.step))


def _criteria_items(plan: Plan, fa: FocusArea, label: str, add: Adder) -> None:
    criteria = list(fa.criteria.all())
    if not criteria:
        add(
            "criteria",
            "no_criterion",
            _("%(fa)s har intet succeskriterium.") % {"fa": label},
            url=_with_focus_area(_url(plan, "criteria:criterion_create"), fa),
        )
    for criterion in criteria:
        measure = criterion.measure
        # The data source, owner, frequency and direction belong to the measure; the targets
        # to the criterion.
        url = _url(plan, "criteria:measure_edit", measure=measure.slug)
        name = criterion.code
        checks = [
            (not measure.data_source.strip(), "no_data_source", _("%(c)s mangler en datakilde.")),
            (
                not measure.delivered_by.strip(),
                "no_data_owner",
                _("%(c)s mangler en dataejer (hvem der leverer tallene)."),
            ),
            (not measure.frequency, "no_frequency", _("%(c)s mangler en hyppighed.")),
            (
                not measure.direction and measure.value_kind != Measure.ValueKind.RATING,
                "no_direction",
                _("%(c)s mangler en retning (om lavere eller højere er bedre)."),
            ),
            (
                not criterion.n_targets,  # type: ignore[attr-defined]
                "no_target",
                _("%(c)s har intet mål."),
            ),
        ]
        for missing, code, text in checks:
            if missing:
                if code == "no_target":
                    url = _url(plan, "criteria:target_create", code=criterion.code)
                add("criteria", code, text % {"c": name}, url=url)


def _activity_items(plan: Plan, fa: FocusArea, label: str, add: Adder) -> None:
    activities = list(fa.activities.all())
    if not activities:
        add(
            "activities",
            "no_activity",
            _("%(fa)s har ingen aktivitet.") % {"fa": label},
            url=_with_focus_area(_url(plan, "activities:activity_create"), fa),
        )
    for activity in activities:
        url = _url(plan, "activities:activity_edit", activity=activity.slug)
        if activity.responsible_is_placeholder:
            add(
                "activities",
                "no_responsible",
                _("Den ansvarlige for aktiviteten %(a)s er ikke bekræftet.") % {"a": activity.name},
                url=url,
            )
        if not activity.n_areas:  # type: ignore[attr-defined]
            add(
                "activities",
                "no_areas",
                _("Aktiviteten %(a)s er ikke knyttet til et boligområde.") % {"a": activity.name},
                url=url,
            )


def required_body_kinds(framework: catalogue.Framework | None) -> list[str]:
    """The kinds of body the framework requires (those the organisation app knows); the
    board alone while the framework's data names none."""
    known = set(Body.Kind.values)
    kinds = [
        b.kind for b in (framework.bodies if framework else ()) if b.required and b.kind in known
    ]
    return list(dict.fromkeys(kinds)) or list(DEFAULT_REQUIRED_BODIES)


def _body_items(plan: Plan, framework: catalogue.Framework | None, today: date, add: Adder) -> None:
    current = Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    members_by_kind: dict[str, int] = {}
    for kind, members in (
        Body.objects.filter(plan=plan)
        .annotate(n=Count("memberships", filter=current))
        .values_list("kind", "n")
    ):
        members_by_kind[kind] = members_by_kind.get(kind, 0) + members
    for kind in required_body_kinds(framework):
        label = Body.Kind(kind).label
        if kind not in members_by_kind:
            add(
                "bodies",
                "no_body",
                _("Organet %(body)s findes ikke.") % {"body": label},
                url=_url(plan, "organisation:from_framework"),
            )
        elif not members_by_kind[kind]:
            add("bodies", "no_members", _("%(body)s har ingen medlemmer.") % {"body": label})


def _funding_items(plan: Plan, framework: catalogue.Framework | None, add: Adder) -> None:
    summary = funding_summary(plan.pk)
    if summary.lbf <= 0:
        add("funding", "no_lbf", _("Landsbyggefondens bevilling mangler."))
    if summary.local <= 0:
        add("funding", "no_local", _("Den lokale medfinansiering mangler."))
    minimum = framework.min_local_share_pct if framework else None
    share = summary.local_share
    if minimum is not None and share is not None and summary.local > 0 and share < minimum:
        add(
            "funding",
            "local_share_too_low",
            _("Den lokale andel er %(share)s %%; rammen kræver mindst %(minimum)s %%.")
            % {"share": fmt_number(share, 1), "minimum": minimum},
        )


def setup_steps(plan: Plan, checklist: list[ChecklistItem] | None = None) -> list[Step]:
    """The steps in order, each with what it still lacks."""
    checklist = setup_checklist(plan) if checklist is None else checklist
    urls = step_urls(plan)
    if any(item.code == "no_body" for item in checklist):
        urls["bodies"] = _url(plan, "organisation:from_framework")
    return [
        Step(key, str(title), urls[key], [i for i in checklist if i.step == key])
        for key, title in STEPS
    ]


def missing_count(checklist: list[ChecklistItem]) -> int:
    return sum(1 for item in checklist if item.required)
