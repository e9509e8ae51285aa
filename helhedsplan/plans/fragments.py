"""Pages' rendered HTML, cached under the plan's data version (the scorecard, the criterion
page, the plan overview, the delivery page, the audit trail).

A page's heavy part (the evaluated grid, the charts, the histories) is rendered once per
change to the plan, not once per reader: ``fragment`` keys it with ``plans.versions.cache_key``
(the plan's data version, raised in the transaction of every audited write: an approval, a
correction, a target change, an import, a criterion edit), so a cached fragment is never
stale, on any server and with any cache backend. A download is audited too, but changes no
data: it raises only the plan's trail counter, which only a fragment that shows the trail's
entries is keyed by (``trail=True``: the audit trail page). The other pages stay cached
through any number of downloads: the criterion page's history holds the entries of the
criterion, its targets and its observations, which no download is filed under (a download is
filed under the file, the plan, the agreement's version, the report or the meeting it
reads), and the overview's history is a panel loaded on opening (``audit:object``, never
cached). The key also holds whatever else makes the HTML differ:

* today's date: which targets are in force and which years are due depend on it;
* the active language;
* the request's parameters (year, filters), hashed;
* the reader's permissions that the fragment's template asks about (``access.can``), so a
  coordinator and the secretariat never get each other's links;
* for the criterion page, the installation's counter as well: it shows people's names (who
  registered, who changed what), and a user's name is no plan's data, so a change to it
  raises the installation's counter (``user_changed`` below).

The part of a page that differs by reader in other ways (the top bar's name and roles, the
actions) is rendered outside the fragment on every request.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.lib import cached
from helhedsplan.plans import versions

if TYPE_CHECKING:
    from helhedsplan.plans.models import Plan

logger = logging.getLogger(__name__)


def _digest(parts: Iterable[object]) -> str:
    """The request's own parts, hashed: any text a URL carries makes a short, safe key."""
    return hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=12).hexdigest()


def _key(
    plan: Plan, name: str, parts: tuple[object, ...], held: tuple[str, ...], version: int,
    installation: bool, *, trail: int | None = None,
) -> str:  # fmt: skip
    tail = [
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        _digest([plan.slug, *parts, held]),
    ]
    if installation:
        tail.append(f"i{versions.installation_of(plan)}")
    return versions.cache_key(plan.pk, name, *tail, version=version, trail=trail)


def fragment(
    access: PlanAccess,
    name: str,
    parts: Iterable[object],
    permissions: Iterable[str],
    render: Callable[[], tuple[Any, str]],
    *,
    installation: bool = False,
    trail: bool = False,
) -> tuple[Any, SafeString]:
    """``render()``'s (value, html) for this plan, reader's permissions and ``parts``: from
    the cache when an equal key was rendered under the plan's current version, else rendered
    and stored. ``value`` is what the page needs beside the HTML (its title, its year).

    ``installation``: the HTML shows installation-wide data or people's names (read with
    the page's access query). ``trail``: it shows the plan's audit entries, so a download's
    entry must show at once (the trail counter, loaded with the data version: no query
    more)."""
    parts = tuple(parts)
    held = tuple(sorted(p for p in permissions if access.can(p)))
    plan = access.plan
    counted = versions.trail_of(plan) if trail else None
    key = _key(plan, name, parts, held, versions.of(plan), installation, trail=counted)
    if name in _RENDERERS:
        value, html = _hot_get_or_build(plan.pk, key, (name, parts, _language()), render)
    else:
        value, html = cached.get_or_build(key, render)
    return value, mark_safe(html)  # noqa: S308 (rendered by our own templates)


# --- once per write: the views read lately, rendered again on commit ------------------------
#
# A write makes every fragment of its plan cold, and the first reader after it waited for the
# whole evaluation (the scorecard: seven times the database's floor). A fragment whose body
# depends on the plan and the request's parts alone (no reader's permission: ``renderer``)
# is rendered again when a write to its plan commits, for the views of it read in the last
# ``WINDOW`` seconds (at most ``settings.FRAGMENT_REWARM`` per plan, the newest): the writer's
# request pays for one evaluation, and no reader waits for it. A view nobody has read lately
# is not rendered; a reader of it renders it, as before. The list of views read is a cache
# entry per plan (not keyed by the version, so it outlives writes), refreshed by a read at
# most every ``REFRESH`` seconds, in the same round trip as the fragment itself.

WINDOW = 6 * 3600
REFRESH = 300
View = tuple[str, tuple[object, ...], str]  # fragment name, parts, language
Renderer = Callable[["Plan", tuple[object, ...], dict[str, Any]], tuple[Any, str]]


@dataclass(frozen=True)
class _Registered:
    render: Renderer
    installation: bool


_RENDERERS: dict[str, _Registered] = {}


def renderer(name: str, *, installation: bool = False) -> Callable[[Renderer], Renderer]:
    """Register ``render(plan, parts, shared)`` as fragment ``name``'s body for the plan and
    the request's ``parts``, whoever reads it: the views of it read lately are rendered again
    on commit of a write to the plan (a change to its data: not for a fragment keyed by
    the trail, which a download makes new without a write). ``shared`` is one dict per plan
    and commit, for what several views of the plan can load once (the scorecard's data)."""

    def register(render: Renderer) -> Renderer:
        _RENDERERS[name] = _Registered(render, installation)
        return render

    return register


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _hot_key(plan_id: int) -> str:
    return f"hp:views:{plan_id}"


def _hot_get_or_build(
    plan_id: int, key: str, view: View, render: Callable[[], tuple[Any, str]]
) -> tuple[Any, str]:
    hot_key = _hot_key(plan_id)
    found = cache.get_many([key, hot_key])
    if key in found:
        value: tuple[Any, str] = found[key]
    else:
        value = render()
        cache.set(key, value, timeout=cached.TIMEOUT)
    seen: dict[View, float] = found.get(hot_key) or {}
    now = time.time()
    if now - seen.get(view, 0.0) > REFRESH:
        newest = sorted(
            ((v, t) for v, t in seen.items() if now - t < WINDOW and v != view),
            key=lambda item: item[1],
            reverse=True,
        )[: max(_limit() - 1, 0)]
        cache.set(hot_key, dict([*newest, (view, now)]), timeout=cached.TIMEOUT)
    return value


def _limit() -> int:
    return int(getattr(settings, "FRAGMENT_REWARM", 3))


def rewarm(plan_ids: Iterable[int]) -> int:
    """Render again, under each plan's version now, the views of its registered fragments
    read in the last ``WINDOW`` (``versions.on_raised`` calls it on commit of a write).
    Returns how many were rendered. An error is logged and leaves the view cold: the write
    has committed and stands."""
    from helhedsplan.plans.models import Plan

    limit = _limit()
    if limit <= 0 or not _RENDERERS:
        return 0
    ids = list(plan_ids)
    seen: dict[str, dict[View, float]] = cache.get_many([_hot_key(pk) for pk in ids])
    now = time.time()
    lately: dict[int, list[View]] = {}
    for pk in ids:
        read = [(t, v) for v, t in seen.get(_hot_key(pk), {}).items() if now - t < WINDOW]
        if read:
            lately[pk] = [v for _t, v in sorted(read, key=lambda tv: tv[0], reverse=True)[:limit]]
    if not lately:
        return 0
    rendered = 0
    # The versions come with the plans (``versions.of``), read after the commit: one query.
    for plan in Plan.objects.filter(pk__in=lately).select_related("data_version"):
        shared: dict[str, Any] = {}
        for name, parts, language in lately[plan.pk]:
            registered = _RENDERERS.get(name)
            if registered is None:
                continue
            try:
                with translation.override(language):
                    key = _key(plan, name, parts, (), versions.of(plan), registered.installation)
                    if cache.get(key) is None:
                        cache.set(key, registered.render(plan, parts, shared),
                                  timeout=cached.TIMEOUT)  # fmt: skip
                        rendered += 1
            except Exception:  # a view left cold; never the write's failure
                logger.exception("Kunne ikke gentegne %s for plan %s", name, plan.pk)
    return rendered


_NOT_SHOWN = frozenset({"last_login", "password"})


def user_changed(sender: type, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A user saved with more than a login's fields (a new name, say): raise the
    installation's counter, so no cached fragment keeps showing the old name. A login saves
    only ``last_login`` and leaves the caches alone."""
    if kwargs.get("raw") or (update_fields is not None and set(update_fields) <= _NOT_SHOWN):
        return
    versions.bump([None])


def connect() -> None:
    from django.contrib.auth import get_user_model

    post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="plans-fragments")
    versions.on_raised(rewarm)
