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
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.lib import cached
from helhedsplan.plans import versions


def _digest(parts: Iterable[object]) -> str:
    """The request's own parts, hashed: any text a URL carries makes a short, safe key."""
    return hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=12).hexdigest()


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

    ``installation``: the HTML shows installation-wide data or people's names (one query
    more). ``trail``: it shows the plan's audit entries, so a download's entry must show at
    once (the trail counter, loaded with the data version: no query more)."""
    held = tuple(sorted(p for p in permissions if access.can(p)))
    tail = [
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        _digest([access.plan.slug, *parts, held]),
    ]
    if installation:
        tail.append(f"i{versions.current_installation()}")
    key = versions.cache_key(
        access.plan.pk,
        name,
        *tail,
        version=versions.of(access.plan),
        trail=versions.trail_of(access.plan) if trail else None,
    )
    value, html = cached.get_or_build(key, render)
    return value, mark_safe(html)  # noqa: S308 (rendered by our own templates)


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
