"""Changing the organisation. Memberships that would break a hard rule are refused whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.audit.services import audit_changes
from helhedsplan.frameworks import catalogue
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.organisation import rules
from helhedsplan.organisation.compliance import breach_message
from helhedsplan.organisation.models import Body, CompositionRule, Membership, Person
from helhedsplan.organisation.selectors import (
    composition_on,
    missing_from_framework,
    rules_for_plan,
)
from helhedsplan.plans.closing import ensure_plan_open
from helhedsplan.plans.models import HousingArea, HousingOrganisation, Plan


@transaction.atomic
def body_create(
    *,
    plan: Plan,
    kind: str,
    slug: str,
    name: str,
    area: HousingArea | None = None,
    description: str = "",
    order: int = 0,
) -> Body:
    """A body of the organisation (board, secretariat, a local follow-up group ...).

    Refused: an area of another plan (``other_plan``), a slug in use in the plan
    (``unique``), and the model's constraints (one board per plan, an area for the
    bodies that belong to one)."""
    if area is not None and area.plan_id != plan.pk:
        raise ValidationError(
            {"area": ValidationError(_("Området hører til en anden plan."), code="other_plan")}
        )
    body = Body(
        plan=plan, kind=kind, slug=slug, name=name, area=area, description=description, order=order
    )
    body.full_clean()
    body.save()
    return body


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
    plan: Plan, candidate: Membership | list[Membership], window: tuple[date, date | None]
) -> None:
    """Refuse ``candidate`` (one membership or several added together) if it brings a hard
    rule breach that is not there without it, on any day of ``window`` the composition can
    change."""
    hard = [r.as_rule() for r in rules_for_plan(plan) if r.hard]
    if not hard:
        return
    candidates = candidate if isinstance(candidate, list) else [candidate]
    points = set(_checkpoints(plan, *window)) | {
        c.start_date for c in candidates if c.start_date >= window[0]
    }
    for on in sorted(points):
        before = {b.key for b in rules.check(composition_on(plan, on), hard)}
        after = rules.check(composition_on(plan, on, extra=candidates), hard)
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
    assumption: str = "",
) -> Membership:
    """Seat ``person`` in ``body``; ValidationError (nothing written) if a hard rule breaks.

    ``assumption`` says on every page that the seat is assumed, not stated by the agreement.

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
        assumption=assumption,
    )
    membership.full_clean()
    # One composition change at a time per plan, so two requests cannot both add a 6th member.
    list(Plan.objects.select_for_update().filter(pk=body.plan_id))
    _refuse_new_hard_breaches(body.plan, membership, (start_date, end_date))
    membership.save()
    return membership


@dataclass(frozen=True)
class Seat:
    """One membership for ``memberships_create`` (the arguments of ``membership_create``)."""

    body: Body
    person: Person
    role: str
    start_date: date
    end_date: date | None = None
    area: HousingArea | None = None
    fte_percent: Decimal | None = None
    assumption: str = ""


@transaction.atomic
def memberships_create(*, plan: Plan, seats: Sequence[Seat]) -> list[Membership]:
    """Seat several people at once, all or nothing, as setting up an organisation does.

    Each seat passes ``membership_create``'s checks (same codes); the hard rules are checked
    once for all seats together, on every day the composition can change, so seats that
    are only allowed together (a board filled at once) are accepted and seats that break a
    rule together are refused. One audit entry per membership, as a save would write."""
    ensure_plan_open(plan.pk)  # bulk writes skip the closed-plan guard's signals
    memberships = []
    for seat in seats:
        body = seat.body
        if (
            body.plan_id != plan.pk
            or seat.person.plan_id != plan.pk
            or (seat.area is not None and seat.area.plan_id != plan.pk)
        ):
            raise ValidationError(
                _("Personen og området skal høre til planen."), code="person_other_plan"
            )
        membership = Membership(
            body=body,
            person=seat.person,
            role=seat.role,
            start_date=seat.start_date,
            end_date=seat.end_date,
            area=seat.area,
            fte_percent=seat.fte_percent,
            assumption=seat.assumption,
        )
        # Body, person and area are checked above (they are the plan's).
        membership.full_clean(exclude=["body", "person", "area"])
        memberships.append(membership)
    if not memberships:
        return []
    list(Plan.objects.select_for_update().filter(pk=plan.pk))
    ends = [m.end_date for m in memberships]
    window_end = None if None in ends else max(e for e in ends if e is not None)
    _refuse_new_hard_breaches(
        plan, memberships, (min(m.start_date for m in memberships), window_end)
    )
    created = Membership.objects.bulk_create(memberships)
    audit_changes(changes=[(None, m) for m in created])
    return created


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


def framework_rules(
    framework: catalogue.Framework, *, with_plan_specific: bool
) -> list[catalogue.RuleTemplate]:
    """The framework's rule templates a plan gets from it: without the seed's own numbers
    (``plan_specific``) unless asked for, as the demo plan, the seed's, does."""
    return [r for r in framework.rules if with_plan_specific or not r.plan_specific]


@transaction.atomic
def organisation_from_framework(
    *, plan: Plan, actor: Any = None, with_plan_specific: bool = False
) -> list[Body]:
    """Create the bodies and composition rules of the plan's framework that the plan lacks
    (``selectors.missing_from_framework`` says which); area bodies once per housing area.

    What is there is kept as it is, so a second call writes nothing. New rules are numbered
    after the plan's own. Rules with the seed's own numbers (``plan_specific``) are left out
    unless ``with_plan_specific``. Returns the bodies created.

    ``actor``: who asks (the audit trail records the request's user itself). Codes:
    ``unknown_framework`` and those of ``body_create`` and ``composition_rule_upsert``.
    """
    try:
        framework = catalogue.get(plan.framework)
    except catalogue.UnknownFramework:
        raise ValidationError(
            _("Planens bevillingsramme »%(code)s« findes ikke i rammekataloget.")
            % {"code": plan.framework},
            code="unknown_framework",
        ) from None
    list(Plan.objects.select_for_update().filter(pk=plan.pk))
    missing = missing_from_framework(plan, framework, with_plan_specific=with_plan_specific)
    slugs = set(Body.objects.filter(plan=plan).values_list("slug", flat=True))
    areas = [a.pk for a in plan.areas.order_by("order", "pk")]
    created: list[Body] = []
    for item in missing.bodies:
        template, area = item.template, item.area
        base = template.slug or template.kind.replace("_", "-")
        slug = candidate = f"{base}-{area.slug}" if area else base
        n = 2
        while candidate in slugs:
            candidate, n = f"{slug}-{n}", n + 1
        slugs.add(candidate)
        created.append(
            body_create(
                plan=plan,
                kind=template.kind,
                slug=candidate,
                name=item.name,
                area=area,
                description=template.description,
                order=template.order + (areas.index(area.pk) if area else 0),
            )
        )
    order = (
        max(CompositionRule.objects.filter(plan=plan).values_list("order", flat=True), default=-1)
        + 1
    )
    municipality = str(plan.municipality)
    for offset, rule in enumerate(missing.rules):
        composition_rule_upsert(
            plan=plan,
            body_kind=rule.body_kind,
            kind=rule.kind,
            params=dict(rule.params),
            hard=rule.hard,
            description=rule.wording(municipality),
            order=order + offset,
        )
    return created
