"""The seed's list vision (§ 1), through the lists' service. Idempotent: the service writes
nothing when the vision is already as stated, and a vision a user changed is left as it is.

§ 1: "Denne vision indebærer, at der ikke er nogle af boligområderne, der figurerer på
regeringens SUB-liste efter 2025." (§ 10 says the same of "listen over særligt udsatte
boligområder efter år 2025".) "Regeringens SUB-liste" is read as the government's statutory
lists (lists.vision.sub_list_note), not the police's SUB areas. The seed gives no central
measurements, so the demo's vision panel says that no list data is imported yet.
"""

from __future__ import annotations

from helhedsplan.demo.base import existing_or
from helhedsplan.lists.models import ListVision
from helhedsplan.lists.vision import list_vision_set
from helhedsplan.plans.models import Plan

AFTER_YEAR = 2025
TEXT = (
    "Denne vision indebærer, at der ikke er nogle af boligområderne, der figurerer på "
    "regeringens SUB-liste efter 2025."
)
SOURCE = "Strategisk samarbejdsaftale § 1"


def load(plan: Plan) -> None:
    existing_or(
        ListVision.objects.filter(plan=plan),
        lambda: list_vision_set(plan=plan, after_year=AFTER_YEAR, text=TEXT, source=SOURCE),
    )
