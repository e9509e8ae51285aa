"""Read endpoints: every entity a user may see, through the pages' selectors and access
rules (each endpoint asks for the permission its page needs). Lists are paginated
(``limit``/``offset``, at most ``MAX_LIMIT``) and filtered by ``year`` and ``area`` where
that means something; each list is a fixed number of queries, whatever its length."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.accounts.models import Membership
from helhedsplan.activities import selectors as activity_selectors
from helhedsplan.activities.models import Registration
from helhedsplan.agreements import selectors as agreement_selectors
from helhedsplan.agreements.models import PlanAttachment
from helhedsplan.api import schemas as s
from helhedsplan.api.auth import caller, plan_access
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
from helhedsplan.meetings import selectors as meeting_selectors
from helhedsplan.meetings.models import Decision
from helhedsplan.plans import selectors as plan_selectors
from helhedsplan.plans.models import FocusArea, HousingArea

router = Router(tags=["read"])

MAX_LIMIT = 200
PlanSlug = Annotated[str, Path(max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")]


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=10_000_000)


class ByYear(Paging):
    year: int | None = Field(None, ge=1990, le=2100, description="Only this year.")


class ByArea(Paging):
    area: str | None = Field(
        None, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$", description="Only this area (its slug)."
    )


class ByYearAndArea(ByYear, ByArea):
    pass


class RegistrationQuery(ByYearAndArea):
    per: str = Field("quarter", pattern="^(quarter|year)$", description="quarter or year")


def num(value: Decimal | None) -> str | None:
    """Decimals as strings ("30.65") so no precision is lost in JSON."""
    if value is None:
        return None
    return f"{value.normalize():f}"


def page(items: QuerySet[Any], q: Paging, row: Any) -> dict[str, Any]:
    """One page: the list's count (one query) and ``row`` of each item on the page."""
    chosen = list(items[q.offset : q.offset + q.limit])
    return {"count": items.count(), "limit": q.limit, "offset": q.offset,
            "items": [row(i) for i in chosen]}  # fmt: skip


def filtered(
    access: PlanAccess, items: QuerySet[Any], q: Paging, *, year: str = "year", area: str = "area"
) -> QuerySet[Any]:
    """``items`` in the year (``?year=``, on the field ``year``; "" for none) and the area
    (``?area=``, a slug: 404 for one the plan does not have) the query names."""
    if isinstance(q, ByYear) and q.year is not None and year:
        items = items.filter(**{year: q.year})
    if isinstance(q, ByArea) and q.area is not None:
        chosen = get_object_or_404(HousingArea, plan=access.plan, slug=q.area)
        items = items.filter(**{area: chosen})
    return items


# The plans.


def _plan(plan: Any, roles: list[str]) -> dict[str, Any]:
    return {
        "slug": plan.slug,
        "name": plan.name,
        "municipality": plan.municipality.name,
        "start_date": plan.start_date,
        "end_date": plan.end_date,
        "status": plan.status,
        "framework": plan.framework,
        "is_closed": plan.is_closed,
        "roles": roles,
    }


@router.get("/plans", response=s.Page[s.PlanOut], url_name="plans")
def plans(request: HttpRequest, q: Query[Paging]) -> dict[str, Any]:
    """The plans where the caller has a role, with their roles."""
    user = caller(request)
    mine = Prefetch("memberships", queryset=Membership.objects.filter(user=user), to_attr="mine")
    found = plan_selectors.plans_for_user(user).prefetch_related(mine)

    def row(plan: Any) -> dict[str, Any]:
        return _plan(plan, sorted({m.role for m in plan.mine}))

    return page(found, q, row)


@router.get("/plans/{slug}", response=s.PlanOut, url_name="plan")
def plan(request: HttpRequest, slug: PlanSlug) -> dict[str, Any]:
    access = plan_access(request, slug, "plan.view")
    return _plan(access.plan, access.role_codes)


@router.get("/plans/{slug}/areas", response=s.Page[s.AreaOut], url_name="areas")
def areas(request: HttpRequest, slug: PlanSlug, q: Query[Paging]) -> dict[str, Any]:
    """The plan's housing areas with their residents per year (the area pages)."""
    access = plan_access(request, slug, "area.view")

    def row(area: HousingArea) -> dict[str, Any]:
        residents = {str(p.year): p.residents for p in area.populations.all()}
        return {"slug": area.slug, "name": area.name, "order": area.order,
                "priority": area.priority, "residents": residents}  # fmt: skip

    return page(plan_selectors.areas_for_plan(access.plan), q, row)


@router.get("/plans/{slug}/focus-areas", response=s.Page[s.FocusAreaOut], url_name="focus_areas")
def focus_areas(request: HttpRequest, slug: PlanSlug, q: Query[Paging]) -> dict[str, Any]:
    access = plan_access(request, slug, "plan.view")
    found = FocusArea.objects.filter(plan=access.plan).order_by("order", "code")
    return page(found, q, lambda f: {
        "code": f.code, "name": f.name, "purpose": f.purpose, "order": f.order})  # fmt: skip


# Success criteria: measures, criteria, targets, observations, the scorecard.


@router.get("/plans/{slug}/measures", response=s.Page[s.MeasureOut], url_name="measures")
def measures(request: HttpRequest, slug: PlanSlug, q: Query[Paging]) -> dict[str, Any]:
    access = plan_access(request, slug, "criteria.view")
    found = Measure.objects.filter(plan=access.plan).order_by("order", "slug")
    return page(found, q, lambda m: {
        "slug": m.slug, "name": m.name, "value_kind": m.value_kind, "unit": m.unit,
        "data_owner": m.data_owner, "direction": m.direction, "is_rate": m.is_rate,
        "first_year": m.first_year, "last_year": m.last_year})  # fmt: skip


@router.get("/plans/{slug}/criteria", response=s.Page[s.CriterionOut], url_name="criteria")
def criteria(request: HttpRequest, slug: PlanSlug, q: Query[Paging]) -> dict[str, Any]:
    access = plan_access(request, slug, "criteria.view")
    found = (
        SuccessCriterion.objects.filter(plan=access.plan)
        .select_related("focus_area", "measure")
        .order_by("focus_area__order", "order", "code")
    )
    return page(found, q, lambda c: {
        "code": c.code, "title": c.title, "text": c.text, "focus_area": c.focus_area.code,
        "measure": c.measure.slug})  # fmt: skip


@router.get("/plans/{slug}/targets", response=s.Page[s.TargetOut], url_name="targets")
def targets(
    request: HttpRequest,
    slug: PlanSlug,
    q: Query[ByYearAndArea],
) -> dict[str, Any]:
    """Every target of the plan's criteria (``current``: in force today); ``year``: those
    covering the year; ``area``: those applying to the area."""
    access = plan_access(request, slug, "criteria.view")
    found = (
        Target.objects.filter(criterion__plan=access.plan)
        .select_related("criterion", "introduced_by", "superseded_by")
        .prefetch_related("areas")
        .order_by("criterion__code", "order", "pk")
    )
    if q.year is not None:
        found = found.filter(first_year__lte=q.year, last_year__gte=q.year)
    found = filtered(access, found, q, year="", area="areas")
    today = timezone.localdate()
    return page(found, q, lambda t: {
        "id": t.pk, "criterion": t.criterion.code, "kind": t.kind,
        "applies_to_total": t.applies_to_total, "areas": sorted(a.slug for a in t.areas.all()),
        "first_year": t.first_year, "last_year": t.last_year, "op": t.op, "value": num(t.value),
        "percent": num(t.percent), "baseline_year": t.baseline_year,
        "baseline_value": num(t.baseline_value), "source_text": t.source_text,
        "current": t.in_force_on(today)})  # fmt: skip


def observation_row(o: Observation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "measure": o.measure.slug,
        "area": o.area.slug if o.area else None,
        "year": o.year,
        "value": num(o.value),
        "numerator": num(o.numerator),
        "denominator": num(o.denominator),
        "rating": o.rating,
        "narrative": o.narrative,
        "source_note": o.source_note,
        "state": o.state,
        "registered_at": o.registered_at,
        "approved_at": o.approved_at,
    }


@router.get(
    "/plans/{slug}/observations", response=s.Page[s.ObservationOut], url_name="observations"
)
def observations(
    request: HttpRequest,
    slug: PlanSlug,
    q: Query[ByYearAndArea],
) -> dict[str, Any]:
    """The plan's observations. Approved figures to everyone who reads the scorecard;
    drafts and returned ones also to those who register or approve them (a coordinator:
    in their own areas), as the registration and approval pages show them."""
    access = plan_access(request, slug, "criteria.view")
    found = (
        Observation.objects.filter(measure__plan=access.plan)
        .select_related("measure", "area")
        .order_by("measure__order", "measure__slug", "year", "area__order", "pk")
    )
    allowed = access.observation_area_ids  # None: they register everywhere, see every draft
    if not access.can("observation.approve") and allowed is not None:
        found = found.filter(Q(state=Observation.State.APPROVED) | Q(area_id__in=allowed))
    return page(filtered(access, found, q), q, observation_row)


# Activities and registrations (counts, never rows).


@router.get("/plans/{slug}/activities", response=s.Page[s.ActivityOut], url_name="activities")
def activities(
    request: HttpRequest,
    slug: PlanSlug,
    q: Query[ByArea],
) -> dict[str, Any]:
    access = plan_access(request, slug, "activities.view")
    found = filtered(
        access, activity_selectors.activities_for_plan(access.plan), q, area="area_links__area"
    )
    return page(found, q, lambda a: {
        "slug": a.slug, "name": a.name, "focus_area": a.focus_area.code,
        "responsible": a.responsible, "unit": a.unit,
        "areas": [link.area.slug for link in a.area_links.all()],
        "start_date": a.start_date, "end_date": a.end_date})  # fmt: skip


@router.get(
    "/plans/{slug}/registrations", response=s.Page[s.RegistrationCount], url_name="registrations"
)
def registrations(
    request: HttpRequest,
    slug: PlanSlug,
    q: Query[RegistrationQuery],
) -> dict[str, Any]:
    """Registrations as counts per activity, area and quarter (``per=year``: per year):
    how many were registered and how many took part. Never a registration's row."""
    access = plan_access(request, slug, "activities.view")
    found = filtered(access, Registration.objects.filter(plan=access.plan), q)
    keys = ["activity__slug", "area__slug", "year", *(["quarter"] if q.per == "quarter" else [])]
    grouped = (
        found.values(*keys)
        .annotate(
            n=Count("pk"),
            people=Sum("participants"),
            helpers=Sum("volunteers"),
            amount=Sum("quantity"),
        )
        .order_by(*keys)
    )
    return page(grouped, q, lambda g: {
        "activity": g["activity__slug"], "area": g["area__slug"], "year": g["year"],
        "quarter": g.get("quarter"), "registrations": g["n"], "participants": g["people"] or 0,
        "volunteers": g["helpers"] or 0, "quantity": g["amount"] or 0})  # fmt: skip


# Meetings and decisions.


@router.get("/plans/{slug}/meetings", response=s.Page[s.MeetingOut], url_name="meetings")
def meetings(request: HttpRequest, slug: PlanSlug, q: Query[ByYear]) -> dict[str, Any]:
    access = plan_access(request, slug, "meetings.view")
    found = filtered(access, meeting_selectors.meetings_for_plan(access.plan), q, year="date__year")
    return page(found, q, lambda m: {
        "id": m.pk, "body": m.body.slug, "kind": m.kind, "date": m.date, "title": m.title,
        "location": m.location, "has_minutes": bool(m.minutes_text or m.minutes_file_id),
        "decisions": m.decision_count})  # fmt: skip


@router.get("/plans/{slug}/decisions", response=s.Page[s.DecisionOut], url_name="decisions")
def decisions(request: HttpRequest, slug: PlanSlug, q: Query[ByYear]) -> dict[str, Any]:
    """Every decision recorded on the plan's meetings, newest meeting first."""
    access = plan_access(request, slug, "meetings.view")
    found = (
        Decision.objects.filter(meeting__plan=access.plan)
        .select_related("meeting__body")
        .order_by("-meeting__date", "-meeting__pk", "pk")
    )
    found = filtered(access, found, q, year="meeting__date__year")
    return page(found, q, lambda d: {
        "id": d.pk, "meeting": d.meeting_id, "date": d.meeting.date, "body": d.meeting.body.slug,
        "text": d.text, "concerns": d.concerns_label})  # fmt: skip


# The agreement: its versions and the attachments' metadata.


@router.get(
    "/plans/{slug}/agreement-versions",
    response=s.Page[s.AgreementVersionOut],
    url_name="agreement_versions",
)
def agreement_versions(request: HttpRequest, slug: PlanSlug, q: Query[Paging]) -> dict[str, Any]:
    access = plan_access(request, slug, "agreement.view")
    found = agreement_selectors.agreement_versions(access.plan)
    return page(found, q, lambda v: {
        "number": v.number, "status": v.status, "change_note": v.change_note,
        "created_at": v.created_at, "submitted_at": v.submitted_at, "decided_at": v.decided_at,
        "in_force_from": v.in_force_from})  # fmt: skip


@router.get("/plans/{slug}/attachments", response=s.Page[s.AttachmentOut], url_name="attachments")
def attachments(request: HttpRequest, slug: PlanSlug, q: Query[Paging]) -> dict[str, Any]:
    """The uploaded attachments' metadata (name, kind, size, date), not the files."""
    access = plan_access(request, slug, "agreement.view")
    found = (
        PlanAttachment.objects.filter(plan=access.plan)
        .select_related("stored_file")
        .order_by("kind", "-uploaded_at", "-pk")
    )
    return page(found, q, lambda a: {
        "id": a.pk, "kind": a.kind, "name": a.stored_file.original_name,
        "file_kind": a.stored_file.kind, "size": a.stored_file.size,
        "uploaded_at": a.uploaded_at, "note": a.note})  # fmt: skip
