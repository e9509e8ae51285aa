"""Which models a plan export carries, in which order, and how shared rows are matched.

Found by introspection, so a model another app adds is carried without a change here:
every concrete ``lib.models.Audited`` model with a ``plan_path`` (the plan-scoped models,
the ones ``lib.apps`` registers with the audit trail), ordered so that a row comes after the
rows its foreign keys point to. The plan's audit trail (``audit.AuditEntry``) is carried in a
section of its own. The rows several plans share are carried by their natural key
(``SHARED``): the municipality by name, a housing organisation by CVR number or name, an
indicator of LBF's catalogue by framework and code, a user by username (never a password).

A plan-scoped model that must not be carried is named in ``EXCLUDED`` with the reason;
``tests/transfer/test_meta.py`` fails for a model that is neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from helhedsplan.accounts.models import User
from helhedsplan.lib.models import Audited
from helhedsplan.measurements.models import Indicator
from helhedsplan.plans.models import HousingOrganisation, Municipality

# label -> why a plan-scoped model is not in the export. A label may name a model another
# branch adds; it is then simply not installed yet.
EXCLUDED: dict[str, str] = {
    "accounts.Invitation": (
        "an open invitation is a credential of this installation (a link to set a password); "
        "the invited user's roles are carried as accounts.Membership rows"
    ),
    "notifications.ReminderSent": (
        "operational state of this installation's reminder digest (which due items a user was "
        "already e-mailed about), not plan content; not carried, another installation starts "
        "its own digests"
    ),
    "plans.PlanDataVersion": (
        "a cache key of this installation (plans.versions), not plan content; the imported "
        "plan's audited rows give it a counter of its own"
    ),
}

# Models outside the plan that the export refers to by what identifies them (never their id).


@dataclass(frozen=True)
class Natural:
    fields: tuple[str, ...]
    find: Callable[[dict[str, Any]], Any]
    make: Callable[[dict[str, Any]], Any]
    sort_key: Callable[[Any], Any]


def _find_organisation(values: dict[str, Any]) -> HousingOrganisation | None:
    cvr = values.get("cvr") or ""
    if cvr:
        found = HousingOrganisation.objects.filter(cvr=cvr).first()
        if found is not None:
            return found
    return HousingOrganisation.objects.filter(name=values.get("name", "")).first()


def _make_user(values: dict[str, Any]) -> User:
    """A user the importing installation does not have: inactive, without a usable password
    (staff activates them and they set a password through an invitation)."""
    user = User(**values, is_active=False)
    user.set_unusable_password()
    return user


SHARED: dict[type[models.Model], Natural] = {
    Municipality: Natural(
        fields=("name",),
        find=lambda v: Municipality.objects.filter(name=v.get("name", "")).first(),
        make=lambda v: Municipality(**v),
        sort_key=lambda o: o.name,
    ),
    HousingOrganisation: Natural(
        fields=("name", "cvr", "is_placeholder"),
        find=_find_organisation,
        make=lambda v: HousingOrganisation(**v),
        sort_key=lambda o: (o.name, o.cvr),
    ),
    # LBF's indicator catalogue, by framework and code: an indicator the importing
    # installation lacks is added to its catalogue as the export describes it.
    Indicator: Natural(
        fields=(
            "framework",
            "code",
            "name",
            "unit",
            "is_rate",
            "numerator_label",
            "denominator_label",
            "direction",
            "source",
            "description",
            "list_criterion",
            "order",
        ),
        find=lambda v: Indicator.objects.filter(
            framework=v.get("framework", ""), code=v.get("code", "")
        ).first(),
        make=lambda v: Indicator(**v),
        sort_key=lambda o: (o.framework, o.order, o.code),
    ),
    User: Natural(
        fields=("username", "email", "first_name", "last_name"),
        find=lambda v: User.objects.filter(username=v.get("username", "")).first(),
        make=_make_user,
        sort_key=lambda o: o.username,
    ),
}

# "New plan from this one's structure": the setup, without data (no observations,
# registrations, meetings, decisions, people, users' roles, files or audit trail). A model not
# named here is data, so one another app adds is left out of a structure copy until it is
# named here.
STRUCTURE = frozenset(
    {
        "plans.Plan",
        "plans.HousingArea",
        "plans.SubArea",
        "plans.AreaDepartment",
        "plans.FocusArea",
        "finance.FundingSource",
        "criteria.Measure",
        "criteria.SuccessCriterion",
        "criteria.ReferenceSeries",
        "criteria.ReferenceValue",
        "criteria.Target",
        "criteria.SeedNote",
        "organisation.Body",
        "organisation.CompositionRule",
        "activities.Partner",
        "activities.Activity",
        "activities.ActivityArea",
        "activities.DeliverySettings",
        "agreements.AgreementVersion",
        "agreements.AgreementSection",
    }
)
AGREEMENT_VERSION = "agreements.AgreementVersion"
# The rows that are a version's own content: they go with their version (only the kept
# version's are copied); every other key to an agreement version points at the kept one.
VERSION_CONTENT = frozenset({"agreements.AgreementSection"})
# A structure copy is a plan being prepared: not closed, no case number of its own yet.
PLAN_RESET: dict[str, Any] = {
    "status": "draft",
    "closed_at": None,
    "closed_by": None,
    "close_reason": "",
    "lbf_case_number": "",
}
# Its agreement: the source's version (in force, else the newest) as version 1, a draft.
VERSION_RESET: dict[str, Any] = {
    "number": 1,
    "status": "draft",
    "change_note": "Kladde ud fra en anden plans aftale.",
}


def is_plan_scoped(model: type[models.Model]) -> bool:
    return (
        issubclass(model, Audited)
        and not model._meta.abstract
        and getattr(model, "plan_path", None) is not None
    )


def model_for(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@cache
def exported_models() -> tuple[type[models.Model], ...]:
    """The plan-scoped models, each after those its foreign keys point to."""
    candidates = [
        m for m in apps.get_models() if is_plan_scoped(m) and m._meta.label not in EXCLUDED
    ]
    members = set(candidates)
    # model -> {model it points to: whether every such key may be empty}
    deps: dict[type[models.Model], dict[type[models.Model], bool]] = {}
    for model in candidates:
        deps[model] = {}
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target in members and target is not model:
                assert isinstance(target, type)
                deps[model][target] = deps[model].get(target, True) and f.null
    ordered: list[type[models.Model]] = []
    remaining = list(candidates)
    while remaining:
        done = set(ordered)
        ready = [m for m in remaining if all(t in done for t in deps[m])]
        if not ready:
            # A cycle: break it at a model whose unmet keys may all be empty (set afterwards).
            ready = [
                m
                for m in remaining
                if all(t in done or nullable for t, nullable in deps[m].items())
            ][:1]
            if not ready:
                names = ", ".join(m._meta.label for m in remaining)
                raise ImproperlyConfigured(f"Foreign keys in a cycle, none optional: {names}")
        for model in ready:
            ordered.append(model)
            remaining.remove(model)
    return tuple(ordered)
