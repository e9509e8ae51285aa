"""A duty the system cannot see being done, marked done by the secretariat with a note.

Most duties of "Det skal gøres" leave their own trace (a figure registered, a quarter
closed, a report issued). A programme evaluation (seed § 6: "Denne evaluering foretages to
gange") has no model yet; until it has, the secretariat marks the duty done here, with a
note saying where the evaluation is. The row keeps the duty's ``DueItem.key``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import PlanScoped, actor_key


class DutyDone(PlanScoped):
    plan_related_name = "duties_done"

    key = FreeCharField(_("opgave"), max_length=120)
    done_on = models.DateField(_("udført den"))
    note = FreeTextField(_("bemærkning"), help_text=_("Hvad er gjort, og hvor findes det?"))
    marked_by = actor_key(_("markeret af"))
    marked_at = models.DateTimeField(_("markeret"), default=timezone.now)

    class Meta:
        verbose_name = _("udført opgave")
        verbose_name_plural = _("udførte opgaver")
        ordering = ["plan", "-done_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="dutydone_unique_key_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.done_on:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return self.plan_url("duties:list")
