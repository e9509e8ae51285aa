"""A value from the cache, or built and stored: typed, for the caches keyed by a plan's
data version (``plans.versions.cache_key``), which no write leaves stale."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
K = TypeVar("K")
# A key that holds the data version is never stale: the timeout only frees the memory of
# keys no write will reach again (a day; Django's default of 5 minutes would make every
# page cold again after a quiet quarter of an hour).
TIMEOUT = 24 * 3600


def get_or_build(key: str, build: Callable[[], T]) -> T:
    """The value under ``key``, else ``build()`` stored there."""
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TIMEOUT)
    return value


def get_many_or_build(keys: Mapping[K, str], build: Callable[[K], T]) -> dict[K, T]:
    """For each item of ``keys`` (item -> cache key): its cached value, else ``build(item)``;
    the cache read in one round trip and the missing values stored in one."""
    found = cache.get_many(list(keys.values()))
    values: dict[K, T] = {}
    missing: dict[str, T] = {}
    for item, key in keys.items():
        if key in found:
            values[item] = found[key]
        else:
            values[item] = missing[key] = build(item)
    if missing:
        cache.set_many(missing, timeout=TIMEOUT)
    return values
