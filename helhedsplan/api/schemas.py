"""The API's request and response shapes (pydantic, through django-ninja): the OpenAPI
schema at /api/v1/openapi.json is generated from these and the endpoints' signatures.

Figures are decimal strings ("30.65"), as the scorecard endpoint has always answered, so
no precision is lost in JSON. Registrations are counts, never people.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from ninja import Field, Schema
from pydantic import StringConstraints

T = TypeVar("T")

# Free text from a client: no NUL (the database refuses it), bounded like the model field.
NO_NUL = r"^[^\x00]*$"
Text500 = Annotated[str, StringConstraints(max_length=500, pattern=NO_NUL)]
Text5000 = Annotated[str, StringConstraints(max_length=5000, pattern=NO_NUL)]
Slug = Annotated[str, StringConstraints(max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")]
Code = Annotated[str, StringConstraints(max_length=20, pattern=r"^[0-9A-Za-z._-]+$")]
Figure = Annotated[Decimal, Field(max_digits=14, decimal_places=4)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Year = Annotated[int, Field(ge=1990, le=2100)]


class Error(Schema):
    detail: Any


class Page(Schema, Generic[T]):
    """One page of a list: ``count`` is the whole list's length under the filters."""

    count: int
    limit: int
    offset: int
    items: list[T]


class PlanOut(Schema):
    slug: str
    name: str
    municipality: str
    start_date: dt.date
    end_date: dt.date
    status: str
    framework: str
    is_closed: bool
    roles: list[str] = []


class AreaOut(Schema):
    slug: str
    name: str
    order: int
    priority: int | None
    residents: dict[str, int]


class FocusAreaOut(Schema):
    code: str
    name: str
    purpose: str
    order: int


class MeasureOut(Schema):
    slug: str
    name: str
    value_kind: str
    unit: str
    data_owner: str
    direction: str
    is_rate: bool
    first_year: int
    last_year: int


class CriterionOut(Schema):
    code: str
    title: str
    text: str
    focus_area: str
    measure: str


class TargetOut(Schema):
    id: int
    criterion: str
    kind: str
    applies_to_total: bool
    areas: list[str]
    first_year: int
    last_year: int
    op: str
    value: str | None
    percent: str | None
    baseline_year: int | None
    baseline_value: str | None
    source_text: str
    current: bool


class ObservationOut(Schema):
    id: int
    measure: str
    area: str | None = Field(description="The area's slug; null for the plan's total.")
    year: int
    value: str | None
    numerator: str | None
    denominator: str | None
    rating: str
    narrative: str
    source_note: str
    state: str
    registered_at: dt.datetime
    approved_at: dt.datetime | None


class ObservationIn(Schema):
    """A draft observation, as the registration form takes it (``criteria.services.
    observation_register``): a correction of an approved figure needs ``reason``."""

    criterion: Code
    area: Slug | None = Field(None, description="The area's slug; null for the plan's total.")
    year: Year
    value: Figure | None = None
    numerator: Figure | None = None
    denominator: Figure | None = None
    rating: Annotated[str, StringConstraints(max_length=20, pattern=NO_NUL)] = ""
    narrative: Text5000 = ""
    source_note: Text500 = ""
    reason: Text5000 = ""


class ActivityOut(Schema):
    slug: str
    name: str
    focus_area: str
    responsible: str
    unit: str
    areas: list[str]
    start_date: dt.date | None
    end_date: dt.date | None


class RegistrationCount(Schema):
    """Registrations of one activity in one area in one period: how many, how many took
    part (counts, never people)."""

    activity: str
    area: str
    year: int
    quarter: int | None
    registrations: int
    participants: int
    volunteers: int
    quantity: int


class RegistrationIn(Schema):
    """One held activity, as the registration form takes it (``activities.services.
    registration_create``). ``counts``: participants by age band and sex (``n_0_5_f``...)."""

    activity: Slug
    area: Slug
    date: dt.date
    counts: dict[str, Count] = {}
    volunteers: Count = 0
    quantity: Count | None = None
    note: Text500 = ""
    reason: Text5000 = ""


class RegistrationOut(Schema):
    id: int
    activity: str
    area: str
    date: dt.date
    year: int
    quarter: int
    participants: int
    volunteers: int
    quantity: int | None


class DecisionOut(Schema):
    id: int
    meeting: int
    date: dt.date
    body: str
    text: str
    concerns: str


class MeetingOut(Schema):
    id: int
    body: str
    kind: str
    date: dt.date
    title: str
    location: str
    has_minutes: bool
    decisions: int


class AgreementVersionOut(Schema):
    number: int
    status: str
    change_note: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    in_force_from: dt.date | None


class AttachmentOut(Schema):
    """An attachment's metadata; the file itself is the attachments page's download."""

    id: int
    kind: str
    name: str
    file_kind: str
    size: int
    uploaded_at: dt.datetime
    note: str
