"""The compliance panel: each rule of the plan with its breaches, worded in Danish."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from helhedsplan.lib.numbers import fmt_percent
from helhedsplan.organisation import rules
from helhedsplan.organisation.models import Body, CompositionRule, Membership, Person
from helhedsplan.organisation.selectors import BodyOnDate, composition_from, rules_for_plan
from helhedsplan.plans.models import Plan


def _pct(value: Decimal) -> str:
    return fmt_percent(value, 0 if value == value.to_integral_value() else 1)


def _role(value: str) -> str:
    return str(Membership.Role(value).label) if value in Membership.Role.values else value


def _kind(value: str) -> str:
    return str(Body.Kind(value).label) if value in Body.Kind.values else value


def _level(value: str) -> str:
    return str(Person.Level(value).label) if value in Person.Level.values else value


def breach_message(breach: rules.Breach) -> str:
    """One Danish sentence naming the body and what is wrong."""
    v: dict[str, Any] = dict(breach.values)
    body = _kind(breach.body)
    c = breach.code
    if c == "too_many_members":
        return _("%(body)s har %(actual)s medlemmer; aftalen tillader højst %(max)s.") % {
            "body": body,
            **v,
        }
    if c == "too_few_members":
        return _("%(body)s har %(actual)s medlemmer; aftalen kræver %(min)s.") % {"body": body, **v}
    if c == "housing_organisation_missing":
        return _(
            "%(body)s mangler et medlem fra %(organisation)s (hver boligorganisation udpeger ét)."
        ) % {"body": body, **v}
    if c == "housing_organisation_twice":
        return _(
            "%(body)s har %(actual)s medlemmer fra %(organisation)s; hver boligorganisation "
            "udpeger ét."
        ) % {"body": body, **v}
    if c == "wrong_level":
        wanted = [_level(level).lower() for level in v["levels"]]
        return _(
            "%(person)s i %(body)s skal komme fra %(levels)s, men er registreret som %(level)s."
        ) % {
            "body": body,
            "person": v["person"],
            "levels": _(" eller ").join(
                [", ".join(wanted[:-1]), wanted[-1]] if len(wanted) > 1 else wanted
            ),
            "level": _level(v["level"]).lower(),
        }
    if c == "member_missing":
        low, high = v["min"], v["max"]
        if high is None:
            expected = _("mindst %(min)s") % {"min": low}
        else:
            expected = str(low) if high == low else f"{low}-{high}"
        return _("%(body)s skal have %(expected)s %(label)s, men har %(actual)s.") % {
            "body": body,
            "expected": expected,
            "label": v["label"],
            "actual": v["actual"],
        }
    if c == "not_member_of_body":
        return _("%(person)s sidder i %(body)s, men er ikke medlem af %(other)s.") % {
            "body": body,
            "person": v["person"],
            "other": _kind(v["other"]).lower(),
        }
    if c == "role_count":
        if v["max"] is not None and v["actual"] > v["max"]:
            return _("%(body)s har %(actual)s med rollen %(role)s; der må højst være %(max)s.") % {
                "body": body,
                **v,
                "role": _role(v["role"]).lower(),
            }
        return _("%(body)s mangler rollen %(role)s.") % {
            "body": body,
            "role": _role(v["role"]).lower(),
        }
    if c == "role_not_chief":
        return _("I %(body)s skal Kompetencechefen have rollen %(role)s; den har %(person)s.") % {
            "body": body,
            "person": v["person"],
            "role": _role(v["role"]).lower(),
        }
    if c == "area_fte_mismatch":
        return _("Koordinatortiden i %(area)s er %(actual)s; aftalen fastsætter %(expected)s.") % {
            "area": v["area"],
            "actual": _pct(v["actual"]),
            "expected": _pct(v["expected"]),
        }
    if c == "person_over_fte":
        return _(
            "%(person)s er booket til %(total)s af et årsværk; ingen person kan have mere end "
            "%(max)s."
        ) % {"person": v["person"], "total": _pct(v["total"]), "max": _pct(v["max"])}
    if c == "deputy_count":
        return (
            _("Én koordinator skal være stedfortræder for Kompetencechefen; der er %(actual)s.") % v
        )
    if c == "deputy_not_from_body":
        return _("%(person)s er stedfortræder for Kompetencechefen, men er ikke %(other)s.") % {
            "person": v["person"],
            "other": _kind(v["other"]).lower(),
        }
    if c == "local_coordinator_not_in_area":
        return _(
            "%(person)s er lokal koordinator i %(body)s, men har ingen koordinatortid i %(area)s."
        ) % {"body": body, **v}
    if c == "body_per_area":
        return _("%(area)s skal have én %(kind)s; der er %(actual)s.") % {"kind": body.lower(), **v}
    if c == "body_missing":
        return _("Planen har ingen %(kind)s.") % {"kind": body.lower()}
    return f"{body}: {c}"


@dataclass
class RuleResult:
    rule: CompositionRule
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.messages


def compliance(plan: Plan, bodies: Iterable[BodyOnDate]) -> list[RuleResult]:
    """Every rule of the plan with its breaches in the given composition."""
    plan_rules = rules_for_plan(plan)
    composition = composition_from(plan, bodies)
    by_rule: dict[int, RuleResult] = {r.pk: RuleResult(r) for r in plan_rules}
    for breach in rules.check(composition, [r.as_rule() for r in plan_rules]):
        by_rule[breach.rule_id].messages.append(breach_message(breach))
    return list(by_rule.values())


def breaches_on(plan: Plan, on: date) -> list[str]:
    from helhedsplan.organisation.selectors import bodies_on

    return [m for r in compliance(plan, bodies_on(plan, on)) for m in r.messages]
