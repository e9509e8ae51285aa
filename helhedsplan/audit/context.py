"""The reason for a change, carried to the audit entry the change produces.

django-auditlog writes entries from model signals; a service that needs a reason wraps
its writes in ``with audit_reason("...")`` and every entry written inside carries it.
A ContextVar, so concurrent requests never see each other's reason.

A reason is free text shown to whoever reads the trail (Landsbyggefonden and the auditor
among them), so one that holds a CPR number is refused here, before anything is written
(``ValidationError`` with code ``cpr_number`` on the field ``reason``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.cpr import contains_cpr, cpr_error

_reason: ContextVar[str] = ContextVar("audit_reason", default="")


@contextmanager
def audit_reason(reason: str) -> Iterator[None]:
    check_reason(reason)
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def current_reason() -> str:
    return _reason.get()


def check_reason(reason: str) -> None:
    """Refuse a reason for the trail that holds a CPR number."""
    if contains_cpr(reason):
        raise ValidationError({"reason": [cpr_error(_("begrundelse"))]})
