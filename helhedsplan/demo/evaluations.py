"""The demo's evaluations (issue 13): built by the helper that owns it."""

from __future__ import annotations

from helhedsplan.plans.models import Plan


def load(plan: Plan) -> None:
    """Nothing yet."""
