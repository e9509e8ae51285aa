"""``duty_mark_done``: a duty the system cannot see done, marked done with a note."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from helhedsplan.duties.models import DutyDone
from helhedsplan.duties.services import duty_mark_done
from tests import factories as f

pytestmark = pytest.mark.django_db
KEY = "programme_evaluation:2019-01"


def _mark(**changes: object) -> DutyDone:
    plan = changes.pop("plan", None) or f.small_plan()
    values: dict[str, object] = {
        "plan": plan, "key": KEY, "note": "Rapporten ligger i bilag 9.",
        "done_on": date(2019, 1, 20), "user": None, "markable": {KEY},
    }  # fmt: skip
    values.update(changes)
    return duty_mark_done(**values)  # type: ignore[arg-type]


def _code(**changes: object) -> str:
    with pytest.raises(ValidationError) as caught:
        _mark(**changes)
    assert not DutyDone.objects.exists()
    error = caught.value
    errors = (
        [e for group in error.error_dict.values() for e in group]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    return str(errors[0].code)


def test_marks_the_duty_done_with_its_note() -> None:
    done = _mark(note="  Rapporten ligger i bilag 9. ")
    assert (done.key, done.note, done.done_on) == (
        KEY,
        "Rapporten ligger i bilag 9.",
        date(2019, 1, 20),
    )


def test_refuses_a_key_the_caller_does_not_offer() -> None:
    assert _code(key="quarter:2018:1") == "not_markable"


def test_refuses_an_empty_note() -> None:
    assert _code(note="   ") == "note_required"


def test_refuses_a_date_in_the_future() -> None:
    assert _code(done_on=timezone.localdate() + timedelta(days=1)) == "future_date"


def test_refuses_marking_twice() -> None:
    plan = f.small_plan()
    _mark(plan=plan)
    with pytest.raises(ValidationError) as caught:
        _mark(plan=plan)
    assert caught.value.code == "already_done"
    assert DutyDone.objects.count() == 1
