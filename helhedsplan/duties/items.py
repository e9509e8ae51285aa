"""What is due: one item of someone's list "Det skal gøres". Pure Python: no Django import.

An item says what to do (``title``), where it is done (``url``), from when it is due
(``due_from``) and by when (``deadline``). It is on the list from ``due_from`` on, and overdue
after ``deadline``. Its ``key`` is stable for as long as the duty is the same (the reminders
remember which keys they have told a user about, and in which state).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Urgency(StrEnum):
    UPCOMING = "upcoming"  # not yet due: not on the list
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DueItem:
    key: str  # e.g. "observation:12:34:2018": kind, then what identifies the duty
    kind: str  # the source (``duties.lists.SOURCES``)
    title: str  # in the active language when the item was made
    url: str
    due_from: date
    deadline: date
    detail: str = ""
    area_id: int | None = None  # the housing area it concerns, if one

    def urgency(self, today: date) -> Urgency:
        if today > self.deadline:
            return Urgency.OVERDUE
        if today >= self.due_from:
            return Urgency.DUE
        return Urgency.UPCOMING

    def is_listed(self, today: date) -> bool:
        return self.urgency(today) is not Urgency.UPCOMING


def listed(items: list[DueItem], today: date) -> list[DueItem]:
    """The items due or overdue on ``today``, newest deadline first (then by title)."""
    shown = [item for item in items if item.is_listed(today)]
    shown.sort(key=lambda item: item.title)
    shown.sort(key=lambda item: item.deadline, reverse=True)
    return shown
