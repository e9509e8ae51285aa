"""The reason for a change, carried to the audit entry the change produces.

django-auditlog writes entries from model signals; a service that needs a reason wraps
its writes in ``with audit_reason("...")`` and every entry written inside carries it.
A ContextVar, so concurrent requests never see each other's reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_reason: ContextVar[str] = ContextVar("audit_reason", default="")


@contextmanager
def audit_reason(reason: str) -> Iterator[None]:
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def current_reason() -> str:
    return _reason.get()
