"""The seed's list vision (§ 1), through the lists' service. Idempotent.

Stub: filled by the vision work of issue 14.
"""

from __future__ import annotations

from helhedsplan.plans.models import Plan


def load(plan: Plan) -> None:
    return None
