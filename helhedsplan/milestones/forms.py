"""The milestone plan's forms: a milestone (new or edited), marking it reached, deleting it.

The proof of a milestone is chosen in one list grouped by kind (meetings, status reports,
agreement versions, programme evaluations), read once per page; the service checks that it
belongs to the plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from helhedsplan.agreements.models import AgreementVersion
from helhedsplan.lib.forms import GuardedForm
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings.models import Meeting
from helhedsplan.milestones.models import Milestone
from helhedsplan.milestones.services import Proofs
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations.models import ProgrammeEvaluation
from helhedsplan.statusreports.models import StatusReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# proof value prefix -> (Proofs attribute, model)
PROOF_KINDS: dict[str, tuple[str, type[Model]]] = {
    "moede": ("meeting", Meeting),
    "statusrapport": ("status_report", StatusReport),
    "aftale": ("agreement_version", AgreementVersion),
    "helhedsevaluering": ("evaluation", ProgrammeEvaluation),
}


class MilestoneForm(GuardedForm, forms.Form):
    title = forms.CharField(label=_("Milepæl"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Milestone.Kind.choices)
    starts_on = forms.DateField(
        label=_("Påbegyndes"),
        required=False,
        widget=DATE,
        help_text=_("Valgfri: giver en bjælke i milepælsplanen frem til datoen."),
    )
    due_on = forms.DateField(
        label=_("Dato"),
        widget=DATE,
        error_messages={"required": _("Milepælen skal have en dato. Intet er gemt.")},
    )
    timing_text = forms.CharField(
        label=_("Tidspunkt ifølge aftalen"),
        required=False,
        max_length=200,
        help_text=_("Som aftalen skriver det, fx »ultimo 2021«."),
    )
    owner = forms.CharField(label=_("Ansvarlig"), max_length=200)
    done_when = forms.CharField(
        label=_("Hvornår er den nået"), widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label=_("Kilde"),
        required=False,
        max_length=200,
        help_text=_("Fx aftalens afsnit (§ 6)."),
    )

    FIELDS = ("title", "kind", "starts_on", "due_on", "timing_text", "owner", "done_when", "source")

    @classmethod
    def initial_for(cls, milestone: Milestone) -> dict[str, Any]:
        return {name: getattr(milestone, name) for name in cls.FIELDS}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def proof_choices(plan: Plan) -> list[tuple[Any, Any]]:
    """The plan's meetings, issued status reports, agreement versions and programme
    evaluations as one grouped list (four queries)."""
    meetings = Meeting.objects.filter(plan=plan).select_related("body").order_by("-date", "pk")
    reports = StatusReport.objects.filter(plan=plan).exclude(state=StatusReport.State.DRAFT)
    versions = AgreementVersion.objects.filter(plan=plan).order_by("number")
    evaluations = ProgrammeEvaluation.objects.filter(plan=plan).order_by("number")
    return [
        ("", _("Ingen")),
        (
            _("Møder"),
            [
                (f"moede:{m.pk}", f"{fmt_date(m.date)} · {m.body.name}: {m.display_title}")
                for m in meetings
            ],
        ),
        (_("Statusrapporter"), [(f"statusrapport:{r.pk}", str(r)) for r in reports]),
        (_("Aftaleversioner"), [(f"aftale:{v.pk}", str(v)) for v in versions]),
        (_("Helhedsevalueringer"), [(f"helhedsevaluering:{e.pk}", str(e)) for e in evaluations]),
    ]


def proof_value(milestone: Milestone) -> str:
    for prefix, (attribute, _model) in PROOF_KINDS.items():
        pk = getattr(milestone, f"proof_{attribute}_id")
        if pk is not None:
            return f"{prefix}:{pk}"
    return ""


class MarkDoneForm(GuardedForm, forms.Form):
    done_on = forms.DateField(
        label=_("Nået den"),
        widget=DATE,
        error_messages={"required": _("Skriv datoen, milepælen blev nået. Intet er gemt.")},
    )
    proof = forms.ChoiceField(
        label=_("Dokumenteret ved"),
        required=False,
        help_text=_("Det møde, den statusrapport, aftaleversion eller helhedsevaluering, der "
                    "viser, at milepælen er nået."),
    )  # fmt: skip

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        proof = self.fields["proof"]
        assert isinstance(proof, forms.ChoiceField)
        proof.choices = proof_choices(plan)

    def clean_proof(self) -> Proofs:
        value = self.cleaned_data.get("proof") or ""
        if not value:
            return Proofs()
        prefix, _sep, pk = value.partition(":")
        attribute, model = PROOF_KINDS[prefix]  # a value from the choices only
        obj: Any = model._default_manager.filter(pk=int(pk)).first()
        if obj is None:  # deleted since the page was opened
            raise forms.ValidationError(
                _("Det valgte findes ikke længere. Vælg igen. Intet er gemt."), code="proof_gone"
            )
        return Proofs(**{attribute: obj})


class DeleteForm(GuardedForm, forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, slet milepælen"),
        error_messages={"required": _("Sæt flueben for at slette milepælen. Intet er slettet.")},
    )
