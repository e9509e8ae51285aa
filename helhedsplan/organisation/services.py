"""Changing the organisation. Memberships that would break a hard rule are refused whole."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.organisation import rules
from helhedsplan.organisation.compliance import breach_message
from helhedsplan.organisation.models import Body, CompositionRule, Membership, Person
from helhedsplan.organisation.selectors import composition_on, rules_for_plan
from helhedsplan.plans.models import HousingArea, HousingOrganisation, Plan


@transaction.atomic
def person_create(
    *,
    plan: Plan,
    name: str,
    organisation_kind: str,
    housing_organisation: HousingOrganisation | None = None,
    organisation_name: str = "",
    level: str = Person.Level.OTHER,
    title: str = "",
    email: str = "",
    phone: str = "",
) -> Person:
    person = Person(
        plan=plan,
        name=name,
        organisation_kind=organisation_kind,
        housing_organisation=housing_organisation,
        organisation_name=organisation_name,
        level=level,
        title=title,
        email=email,
        phone=phone,
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, version: str | None = None, **fields: Any) -> Person:
    """``version``: the person's token when the form was opened (code ``stale_edit``)."""
    person = concurrency.lock_and_check(
        person, version, what=_("Oplysningerne om %(name)s") % {"name": person.name}
    )
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    return person


def _checkpoints(plan: Plan, start: date, end: date | None) -> list[date]:
    """The dates in [start, end] where the composition can change: others' starts and ends."""
    points = {start}
    qs = Membership.objects.filter(body__plan=plan).values_list("start_date", "end_date")
    for other_start, other_end in qs:
        for d in (other_start, other_end + timedelta(days=1) if other_end else None):
            if d and start < d and (end is None or d <= end):
                points.add(d)
    return sorted(points)


def _refuse_new_hard_breaches(
    plan: Plan, candidate: Membership, window: tuple[date, date | None]
) -> None:
    hard = [r.as_rule() for r in rules_for_plan(plan) if r.hard]
    if not hard:
        return
    for on in _checkpoints(plan, *window):
        before = {b.key for b in rules.check(composition_on(plan, on), hard)}
        after = rules.check(composition_on(plan, on, extra=[candidate]), hard)
        new = [b for b in after if b.key not in before]
        if new:
            when = fmt_date(on)
            text = " ".join(breach_message(b) for b in new)
            raise ValidationError(
                _("%(breaches)s (pr. %(date)s). Intet er gemt.")
                % {"breaches": text.rstrip("."), "date": when},
                code=new[0].code,
            )


@transaction.atomic
def membership_create(
    *,
    body: Body,
    person: Person,
    role: str = Membership.Role.MEMBER,
    start_date: date,
    end_date: date | None = None,
    area: HousingArea | None = None,
    fte_percent: Decimal | None = None,
) -> Membership:
    """Seat ``person`` in ``body``; ValidationError (nothing written) if a hard rule breaks.

    Codes: ``person_other_plan``, ``too_many_members``, ``not_member_of_body``,
    ``person_over_fte`` (and the model's field codes).
    """
    if person.plan_id != body.plan_id or (area is not None and area.plan_id != body.plan_id):
        raise ValidationError(
            _("Personen og området skal høre til planen."), code="person_other_plan"
        )
    membership = Membership(
        body=body,
        person=person,
        role=role,
        start_date=start_date,
        end_date=end_date,
        area=area,
        fte_percent=fte_percent,
    )
    membership.full_clean()
    # One composition change at a time per plan, so two requests cannot both add a 6th member.
    list(Plan.objects.select_for_update().filter(pk=body.plan_id))
    _refuse_new_hard_breaches(body.plan, membership, (start_date, end_date))
    membership.save()
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: date, version: str | None = None
) -> Membership:
    """End a membership on ``end_date`` (inclusive), refusing if that breaks a hard rule.
    ``version``: the token the form was opened from (``stale_edit`` if it changed)."""
    concurrency.lock_and_check(
        membership, version,
        what=_("Medlemskabet for %(person)s") % {"person": membership.person.name},
    )  # fmt: skip
    if end_date < membership.start_date:
        raise ValidationError(
            {
                "end_date": ValidationError(
                    _("Slutdatoen må ikke ligge før startdatoen."), code="end_before_start"
                )
            }
        )
    previous_end = membership.end_date
    membership.end_date = end_date
    membership.full_clean()
    day_after = end_date + timedelta(days=1)
    if previous_end is None or day_after <= previous_end:
        # The membership is gone from the day after: check the composition from then on.
        _refuse_absence(membership.body.plan, membership, day_after, previous_end)
    membership.save(update_fields=["end_date"])
    return membership


def _refuse_absence(plan: Plan, membership: Membership, from_day: date, until: date | None) -> None:
    hard = [r.as_rule() for r in rules_for_plan(plan) if r.hard]
    for on in _checkpoints(plan, from_day, until):
        current = composition_on(plan, on)
        before = {b.key for b in rules.check(current, hard)}
        without = _without(current, membership.pk)
        new = [b for b in rules.check(without, hard) if b.key not in before]
        if new:
            raise ValidationError(
                _("%(breaches)s (pr. %(date)s). Intet er gemt.")
                % {
                    "breaches": " ".join(breach_message(b) for b in new).rstrip("."),
                    "date": fmt_date(on),
                },
                code=new[0].code,
            )


def _without(comp: rules.Composition, membership_id: int) -> rules.Composition:
    bodies = tuple(
        rules.Body(
            b.id, b.kind, b.name, b.area, tuple(m for m in b.members if m.id != membership_id)
        )
        for b in comp.bodies
    )
    return rules.Composition(bodies, comp.housing_organisations, comp.areas, comp.chief_ids)


@transaction.atomic
def composition_rule_upsert(
    *,
    plan: Plan,
    body_kind: str,
    kind: str,
    params: dict[str, Any],
    hard: bool,
    description: str,
    order: int,
) -> CompositionRule:
    rule = CompositionRule.objects.filter(plan=plan, order=order).first() or CompositionRule(
        plan=plan, order=order
    )
    new = (body_kind, kind, params, hard, description)
    if rule.pk and (rule.body_kind, rule.kind, rule.params, rule.hard, rule.description) == new:
        return rule
    rule.body_kind, rule.kind, rule.params, rule.hard, rule.description = new
    rule.full_clean()
    rule.save()
    return rule
