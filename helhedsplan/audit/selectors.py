"""Reading the audit trail, always within one plan: filtered, and the filters' choices."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from helhedsplan.accounts.models import User
from helhedsplan.audit import display
from helhedsplan.audit.models import AuditEntry
from helhedsplan.lib.cached import get_or_build
from helhedsplan.plans import versions
from helhedsplan.plans.models import FocusArea, Plan


@dataclass(frozen=True)
class AuditFilter:
    """What a reader narrows the trail to; every part optional. The days are whole local
    days, both included."""

    first_day: date | None = None
    last_day: date | None = None
    actor_id: int | None = None
    content_type_id: int | None = None
    # "create", "update", "delete" (``display.ACTION_CODES``) or a business event's code.
    event: str = ""
    focus_area_id: int | None = None
    search: str = ""


def audit_entries_for_plan(
    plan_id: int, filters: AuditFilter | None = None
) -> QuerySet[AuditEntry]:
    """The plan's trail, newest first, narrowed by ``filters``."""
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(plan_id=plan_id)
    if filters is not None:
        if filters.search:
            entries = entries.alias(changes_as_text=Cast("changes", output_field=TextField()))
        entries = entries.filter(_where(filters))
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _where(f: AuditFilter) -> Q:
    where = Q()
    if f.first_day:
        where &= Q(timestamp__gte=_start_of(f.first_day))
    if f.last_day:
        where &= Q(timestamp__lt=_start_of(f.last_day + timedelta(days=1)))
    if f.actor_id:
        where &= Q(actor_id=f.actor_id)
    if f.content_type_id:
        where &= Q(content_type_id=f.content_type_id)
    if f.event in display.ACTION_CODES:
        where &= Q(action=display.ACTION_CODES[f.event], event="")
    elif f.event:
        where &= Q(event=f.event)
    if f.focus_area_id:
        where &= Q(focus_area_id=f.focus_area_id)
    if f.search:
        where &= _search(f.search)
    return where


def _search(text: str) -> Q:
    """Free text in the changes, the reason and the object's name, case-insensitive.

    The changes are searched as text: PostgreSQL writes jsonb as text with the letters as
    they are, SQLite keeps the JSON as Django wrote it, with non-ASCII letters escaped
    ("\\u00e5"): both spellings are searched.
    """
    escaped = json.dumps(text)[1:-1]
    where = (
        Q(object_repr__icontains=text)
        | Q(reason__icontains=text)
        | Q(changes_text__icontains=text)
        | Q(changes_as_text__icontains=text)
    )
    if escaped != text:
        where |= Q(changes_as_text__icontains=escaped)
    return where


def audit_entries_for_object(plan_id: int, instance: models.Model) -> QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(instance)
    return audit_entries_for_plan(plan_id).filter(content_type=ct, object_pk=str(instance.pk))


@dataclass(frozen=True)
class FilterChoices:
    actors: list[User]
    types: list[ContentType]
    events: list[str]
    focus_areas: list[FocusArea]
    # The number of entries in the plan's trail (the unfiltered page's count).
    total: int = 0


def audit_filter_choices(plan: Plan) -> FilterChoices:
    """What the plan's trail holds to filter by, and how many entries it holds.

    Cached under the plan's data version (the focus areas), its trail counter, which every
    entry written for the plan raises (a download's too: the kinds of event and the count),
    and the installation's counter (the people are named: a new name raises it), each as
    read with the page's access query (``versions.of``, ``trail_of``, ``installation_of``):
    never stale. A hit costs no query on a page (the access query read the counters); a
    miss four, whatever the trail's size and the kinds
    of objects in it (content types not in Django's cache are read at once).
    """
    key = versions.cache_key(
        plan.pk, "audit-choices", get_language(), f"i{versions.installation_of(plan)}",
        version=versions.of(plan), trail=versions.trail_of(plan),
    )  # fmt: skip
    return get_or_build(key, lambda: _filter_choices(plan.pk))


def _filter_choices(plan_id: int) -> FilterChoices:
    trail = AuditEntry.objects.filter(plan_id=plan_id).order_by()
    actors = list(
        User.objects.filter(pk__in=trail.values("actor_id")).order_by(
            "first_name", "last_name", "username"
        )
    )
    kinds = list(trail.values_list("content_type_id", "event").annotate(n=Count("id")).order_by())
    found = content_types({ct_id for ct_id, _event, _n in kinds})
    types = sorted(
        set(found.values()),
        key=lambda ct: display.model_label(ct.model_class(), ct.model).lower(),
    )
    events = sorted({event for _ct, event, _n in kinds if event})
    focus_areas = list(FocusArea.objects.filter(plan_id=plan_id).order_by("order", "code"))
    total = sum(n for _ct, _event, n in kinds)
    return FilterChoices(actors, types, events, focus_areas, total)


def content_types(ids: Iterable[int]) -> dict[int, ContentType]:
    """The content types of ``ids``, from Django's cache; those not in it are read in one
    query and added to it (so ``get_for_id`` asks nothing after)."""
    manager = ContentType.objects
    found: dict[int, ContentType] = {}
    missing = []
    for ct_id in ids:
        try:
            found[ct_id] = manager._cache[manager.db][ct_id]  # type: ignore[attr-defined]
        except KeyError:
            missing.append(ct_id)
    if missing:
        for ct in manager.filter(pk__in=missing):
            manager._add_to_cache(manager.db, ct)  # type: ignore[attr-defined]
            found[ct.pk] = ct
    return found
