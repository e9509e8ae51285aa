"""What every demo step shares: find what a previous run created, or create it through a
service. The demo writes nothing itself; every row comes from the service a user's write
goes through, with the same validation and the same audit entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def existing_or(queryset: models.QuerySet[M], create: Callable[[], M]) -> M:
    """The row a previous run created, else ``create()`` (a service call).

    A second run finds everything and writes nothing. What exists is left as it is, even if
    it differs from the seed: a user may have changed it through the pages, and the demo
    changes nothing a user could not (bring a changed seed in by loading a fresh database).
    """
    found = queryset.first()
    return found if found is not None else create()
