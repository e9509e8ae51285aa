"""Writing the due list: marking a duty done that the system cannot see (``DutyDone``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.duties.models import DutyDone
from helhedsplan.plans.models import Plan


@transaction.atomic
def duty_mark_done(
    *, plan: Plan, key: str, note: str, done_on: date, user: Any, markable: set[str]
) -> DutyDone:
    """Mark the duty ``key`` of ``plan`` done on ``done_on`` with a note.

    ``markable``: the keys that may be marked (the caller's list of duties the system cannot
    see, e.g. ``sources.programme_evaluation_items``). Refused: a key not among them
    (``not_markable``), an empty note (``note_required``), a duty already marked
    (``already_done``), a date after today or outside the plan (the model's rules)."""
    if key not in markable:
        raise ValidationError(_("Opgaven kan ikke markeres som udført her."), code="not_markable")
    if not note.strip():
        message = _("Skriv, hvad der er gjort, og hvor det findes. Intet er gemt.")
        raise ValidationError({"note": ValidationError(message, code="note_required")})
    if DutyDone.objects.select_for_update().filter(plan=plan, key=key).exists():
        raise ValidationError(_("Opgaven er allerede markeret som udført."), code="already_done")
    if done_on > timezone.localdate():
        message = _("Datoen ligger i fremtiden. Intet er gemt.")
        raise ValidationError({"done_on": ValidationError(message, code="future_date")})
    done = DutyDone(plan=plan, key=key, note=note.strip(), done_on=done_on, marked_by=user)
    done.full_clean()
    done.save()
    return done
