"""Write endpoints: a draft observation and a held activity's registration, through the
services the registration forms use (their validation, their audit entries, their access:
a coordinator registers only in their areas). A refusal answers 422 with the service's
(Danish) message and the field it is about; nothing is written then."""

from __future__ import annotations

from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status

from helhedsplan.activities import services as activity_services
from helhedsplan.activities.models import COUNT_FIELDS, Activity
from helhedsplan.api import schemas as s
from helhedsplan.api.auth import caller, may_write, plan_access
from helhedsplan.api.reads import PlanSlug, observation_row
from helhedsplan.api.reads import router as router
from helhedsplan.criteria import services as criteria_services
from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.plans.models import HousingArea

# The reads' router: a path's GET and POST are one URL (two routers would answer 405).


def _answers(created: type) -> dict[int, Any]:
    """A write's documented answers: the created object, or a refusal."""
    return {201: created, 403: s.Error, 404: s.Error, 422: s.Error}


def _writer(request: HttpRequest, slug: str, permission: str) -> Any:
    """The caller's access for a write: a read token is refused before anything else."""
    if not may_write(request):
        raise PermissionDenied(_("Nøglen må kun læse."))
    return plan_access(request, slug, permission)


def _unknown(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="unknown")})


def _area(access: Any, slug: str) -> HousingArea:
    """The plan's area of this slug; 422 on the field ``area`` for another."""
    area = HousingArea.objects.filter(plan=access.plan, slug=slug).first()
    if area is None:
        raise _unknown("area", _("Ukendt område."))
    return area


@router.post(
    "/plans/{slug}/observations",
    response=_answers(s.ObservationOut),
    url_name="observation_register",
    tags=["write"],
)
def observation_register(
    request: HttpRequest, slug: PlanSlug, payload: s.ObservationIn
) -> Status[dict[str, Any]]:
    """Register the observation of a criterion's measure for an area (or the total) and a
    year as a draft, for approval (``criteria.services.observation_register``)."""
    access = _writer(request, slug, "observation.register")
    criterion = (
        SuccessCriterion.objects.select_related("measure")
        .filter(plan=access.plan, code=payload.criterion)
        .first()
    )
    if criterion is None:
        raise _unknown("criterion", _("Ukendt succeskriterium."))
    area = _area(access, payload.area) if payload.area is not None else None
    user = caller(request)
    with set_actor(user, remote_addr=request.META.get("REMOTE_ADDR")):
        obs = criteria_services.observation_register(
            measure=criterion.measure, area=area, year=payload.year, value=payload.value,
            numerator=payload.numerator, denominator=payload.denominator,
            rating=payload.rating, narrative=payload.narrative,
            source_note=payload.source_note, reason=payload.reason, user=user,
            allowed_area_ids=access.observation_area_ids,
            may_correct_approved=access.may_correct_approved,
        )  # fmt: skip
    obs.measure, obs.area = criterion.measure, area
    return Status(201, observation_row(obs))


@router.post(
    "/plans/{slug}/registrations",
    response=_answers(s.RegistrationOut),
    url_name="registration_create",
    tags=["write"],
)
def registration_create(
    request: HttpRequest, slug: PlanSlug, payload: s.RegistrationIn
) -> Status[dict[str, Any]]:
    """Register one held activity in an area (``activities.services.registration_create``),
    where the caller may: the secretariat everywhere, a coordinator in their areas, the
    municipality its own activities."""
    access = _writer(request, slug, "activities.register")
    unknown = sorted(set(payload.counts) - set(COUNT_FIELDS))
    if unknown:
        message = _("Ukendt aldersgruppe: %(names)s.") % {"names": ", ".join(unknown)}
        raise _unknown("counts", message)
    activity = Activity.objects.filter(plan=access.plan, slug=payload.activity).first()
    if activity is None:
        raise _unknown("activity", _("Ukendt aktivitet."))
    area = _area(access, payload.area)
    user = caller(request)
    with set_actor(user, remote_addr=request.META.get("REMOTE_ADDR")):
        registration = activity_services.registration_create(
            plan=access.plan, scope=access.registration_scope, user=user, activity=activity,
            area=area, date=payload.date,
            counts={name: payload.counts.get(name, 0) for name in COUNT_FIELDS},
            volunteers=payload.volunteers, quantity=payload.quantity, note=payload.note,
            reason=payload.reason,
        )  # fmt: skip
    return Status(
        201,
        {
            "id": registration.pk,
            "activity": activity.slug,
            "area": area.slug,
            "date": registration.date,
            "year": registration.year,
            "quarter": registration.quarter,
            "participants": registration.participants,
            "volunteers": registration.volunteers,
            "quantity": registration.quantity,
        },
    )
