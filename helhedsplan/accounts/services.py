"""Writes of users and their roles on plans. Each is atomic and validated before saving."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.plans.models import HousingArea, Plan


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> User:
    """A user who can log in with ``password`` (stored hashed).

    Refused: a username in use (``unique``), an empty password (``password_required``)."""
    if not password:
        raise ValidationError(
            {"password": ValidationError(_("Angiv en adgangskode."), code="password_required")}
        )
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_demo=is_demo,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def membership_create(
    *, user: User, plan: Plan, role: str, areas: Iterable[HousingArea] = ()
) -> Membership:
    """Give ``user`` a role on ``plan``; a coordinator registers for ``areas`` only.

    Refused: the same role twice (``unique``), areas for a role other than coordinator
    (``areas_only_for_coordinators``), an area of another plan (``unknown_area``)."""
    areas = list(areas)
    if areas and role != Role.COORDINATOR:
        raise ValidationError(
            {
                "areas": ValidationError(
                    _("Kun koordinatorer har boligområder."), code="areas_only_for_coordinators"
                )
            }
        )
    if any(area.plan_id != plan.pk for area in areas):
        raise ValidationError({"areas": ValidationError(_("Ukendt område."), code="unknown_area")})
    membership = Membership(user=user, plan=plan, role=role)
    membership.full_clean()
    membership.save()
    if areas:
        membership.areas.set(areas)
    return membership
