"""A value from the cache, or built and stored: typed, for the caches keyed by a plan's
data version (``plans.versions.cache_key``), which no write leaves stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def get_or_build(key: str, build: Callable[[], T]) -> T:
    """The value under ``key``, else ``build()`` stored there (the cache's default timeout:
    a key that holds the data version is never stale, the timeout only frees memory)."""
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value)
    return value
