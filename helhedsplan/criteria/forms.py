from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helhedsplan.criteria import engine, services
from helhedsplan.criteria.importing import MAX_IMPORT_BYTES, too_large
from helhedsplan.criteria.models import Measure, Observation, Target
from helhedsplan.criteria.services import NO_DIRECTION
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.statusreports.locking import locked_message, report_name

TOTAL = "total"


class ObservationForm(GuardedForm, forms.Form):
    area = forms.ChoiceField(label=_("Område"))
    year = forms.TypedChoiceField(label=_("År"), coerce=int)
    value = DanishDecimalField(label=_("Værdi"), required=False)
    numerator = DanishDecimalField(label=_("Tæller"), required=False)
    denominator = DanishDecimalField(label=_("Nævner"), required=False)
    rating = forms.ChoiceField(
        label=_("Vurdering"), required=False, choices=[("", "–"), *Observation.Rating.choices]
    )
    narrative = forms.CharField(
        label=_("Beskrivelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hvad vurderingen bygger på."),
    )
    source_note = forms.CharField(label=_("Kilde"), required=False, max_length=500)
    reason = forms.CharField(
        label=_("Begrundelse for rettelsen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kun når et godkendt tal rettes; gemmes i revisionssporet."),
    )

    def __init__(
        self,
        *args: Any,
        measure: Measure,
        areas: list[HousingArea],
        allow_total: bool,
        may_correct_approved: bool = False,
        locked_by: Any = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        if not may_correct_approved:
            del self.fields["reason"]
        elif locked_by is not None:
            # The figure opened is locked by an issued status report: a change is a
            # correction after the report, and the reason is required (statusreports.locking).
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = locked_message(locked_by)
            self.fields["reason"].help_text = _(
                "Perioden er låst af %(report)s. Rettelsen gemmes i revisionssporet og vises på "
                "siden og i næste statusrapport."
            ) % {"report": report_name(locked_by)}
        self.measure = measure
        self.areas = {a.slug: a for a in areas}
        choices = [(a.slug, a.name) for a in areas]
        if allow_total:
            choices.append((TOTAL, str(_("Samlet"))))
        self.fields["area"].choices = choices  # type: ignore[attr-defined]
        years = range(measure.last_year, measure.first_year - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        if measure.value_kind == Measure.ValueKind.RATING:
            # A qualitative measure: the rating and what it rests on, no numbers.
            for name in ("value", "numerator", "denominator"):
                del self.fields[name]
            self.fields["rating"].required = True  # "–" stays first: no rating is preselected
            return
        del self.fields["rating"]
        self.fields["value"].label = f"{_('Værdi')} ({measure.unit_label})"
        if not measure.is_rate:
            del self.fields["numerator"], self.fields["denominator"]
        else:
            self.fields["numerator"].help_text = measure.numerator_label
            self.fields["denominator"].help_text = measure.denominator_label
            self.fields["value"].help_text = _("Beregnes af tæller og nævner, hvis tom.")

    @staticmethod
    def initial_for(obs: Observation) -> dict[str, Any]:
        """The form opened at an existing observation, to correct it."""
        return {
            "area": obs.area.slug if obs.area else TOTAL,
            "year": obs.year,
            "value": obs.value,
            "numerator": obs.numerator,
            "denominator": obs.denominator,
            "rating": obs.rating,
            "narrative": obs.narrative,
            "source_note": obs.source_note,
        }

    def area_obj(self) -> HousingArea | None:
        slug = self.cleaned_data["area"]
        return None if slug == TOTAL else self.areas[slug]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "area": self.area_obj(),
            "year": data["year"],
            "value": data.get("value"),
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "rating": data.get("rating") or "",
            "narrative": data.get("narrative", ""),
            "source_note": data.get("source_note", ""),
            "reason": data.get("reason", ""),
        }


class TargetForm(GuardedForm, forms.Form):
    """A target of a criterion, new (``target`` None: also its areas, the total, a reference
    series and the agreement's wording) or changed. ``engine_target`` is the target as the
    engine sees it, for the live sentence (``criteria:target_sentence``)."""

    kind = forms.ChoiceField(
        label=_("Måltype"),
        help_text=_("Et mål, der afventer nulpunkt, fastlægges med »Fastlæg mål ud fra "
                    "nulpunktet«, når nulpunktet er registreret."),
    )  # fmt: skip
    areas = forms.MultipleChoiceField(
        label=_("Områder"), required=False, widget=forms.CheckboxSelectMultiple
    )
    applies_to_total = forms.BooleanField(label=_("Gælder det samlede område"), required=False)
    first_year = forms.IntegerField(label=_("Første år"))
    last_year = forms.IntegerField(label=_("Sidste år"))
    op = forms.ChoiceField(label=_("Sammenligning"), required=False)
    value = DanishDecimalField(label=_("Målværdi"), required=False)
    percent = DanishDecimalField(label=_("Ændring pr. år"), required=False)
    change_unit = forms.ChoiceField(label=_("Ændringens enhed"), required=False)
    baseline_year = forms.IntegerField(label=_("Nulpunktsår"), required=False)
    baseline_value = DanishDecimalField(label=_("Nulpunkt"), required=False)
    reference_series = forms.ChoiceField(label=_("Referenceserie"), required=False)
    reference_year = forms.IntegerField(label=_("Referenceår"), required=False)
    source_text = forms.CharField(
        label=_("Aftalens ordlyd"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Begrundelse for ændringen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skal udfyldes, når kriteriet allerede har observationer, og når aftalen er "
                    "godkendt (ændringen følger så versionen til Landsbyggefonden)."),
    )  # fmt: skip

    CREATE_ONLY = ("areas", "applies_to_total", "reference_series", "source_text")
    # The form's field for each of the engine's optional fields.
    ENGINE_FIELDS = {
        "op": ("op",), "value": ("value",), "percent": ("percent", "change_unit"),
        "baseline_year": ("baseline_year",), "baseline_value": ("baseline_value",),
        "reference_label": ("reference_series",), "reference_year": ("reference_year",),
    }  # fmt: skip

    @classmethod
    def kinds_by_field(cls) -> dict[str, str]:
        """Form field -> the kinds that use it, space-separated (``data-kinds`` in the
        template: app.js hides a field the chosen kind does not use)."""
        from helhedsplan.criteria.engine import TargetKind, fields_used

        out: dict[str, list[str]] = {}
        for kind in TargetKind:
            for engine_field in fields_used(kind):
                for name in cls.ENGINE_FIELDS.get(engine_field, ()):
                    out.setdefault(name, []).append(kind.value)
        return {name: " ".join(kinds) for name, kinds in out.items()}

    def __init__(
        self,
        *args: Any,
        criterion: Any,
        target: Target | None = None,
        areas: list[HousingArea] | None = None,
        **kw: Any,
    ) -> None:
        initial = kw.pop("initial", None) or {}
        if target is not None:
            initial = {name: getattr(target, name) for name in (
                "kind", "first_year", "last_year", "op", "value", "percent", "change_unit",
                "baseline_year", "baseline_value", "reference_year")}  # fmt: skip
        super().__init__(*args, initial=initial, **kw)  # type: ignore[misc]
        self.criterion, self.target = criterion, target
        self.fields["kind"].choices = list(  # type: ignore[attr-defined]
            Target._meta.get_field("kind").choices or []
        )
        op_choices = list(Target._meta.get_field("op").choices or [])
        self.fields["op"].choices = [("", "–"), *op_choices]  # type: ignore[attr-defined]
        self.fields["change_unit"].choices = list(  # type: ignore[attr-defined]
            Target._meta.get_field("change_unit").choices or []
        )
        self.series = {str(s.pk): s for s in criterion.measure.reference_series.all()}
        self.area_map = {a.slug: a for a in (areas or [])}
        if target is not None:
            for name in self.CREATE_ONLY:
                del self.fields[name]
            return
        self.fields["areas"].choices = [  # type: ignore[attr-defined]
            (a.slug, a.name) for a in self.area_map.values()
        ]
        self.fields["reference_series"].choices = [  # type: ignore[attr-defined]
            ("", "–"),
            *((pk, s.name) for pk, s in self.series.items()),
        ]

    def target_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("reason")
        data.pop("version", None)
        data["op"] = data.get("op") or ""
        data["change_unit"] = data.get("change_unit") or "percent"
        if self.target is None:
            data["areas"] = [self.area_map[slug] for slug in data.get("areas", [])]
            data["reference_series"] = self.series.get(data.get("reference_series") or "")
        return data

    def engine_target(self) -> Any:
        """The target the fields describe, as the engine sees it (not validated)."""
        from helhedsplan.criteria import engine

        fields = self.target_fields()
        measure = self.criterion.measure
        series = fields.get("reference_series") if self.target is None else (
            self.target.reference_series)  # fmt: skip
        return engine.Target(
            kind=engine.TargetKind(fields["kind"]),
            first_year=fields["first_year"],
            last_year=fields["last_year"],
            direction=measure.engine_direction,
            op=engine.Op(fields["op"]) if fields["op"] else None,
            value=fields.get("value"),
            percent=fields.get("percent"),
            change_unit=engine.ChangeUnit(fields["change_unit"]),
            baseline_year=fields.get("baseline_year"),
            baseline_value=fields.get("baseline_value"),
            reference_label=series.name if series else None,
            reference_year=fields.get("reference_year"),
            unit_label=measure.unit or None,
        )


class TargetEndForm(GuardedForm, forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse for at afslutte målet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SetFromBaselineForm(GuardedForm, forms.Form):
    """ "Fastlæg mål ud fra nulpunktet" for one area of a pending-baseline target."""

    area = forms.ChoiceField(label=_("Område"))
    kind = forms.ChoiceField(label=_("Det fastlagte måls type"))
    op = forms.ChoiceField(label=_("Sammenligning"), required=False)
    value = DanishDecimalField(
        label=_("Målværdi"), required=False,
        help_text=_("Tærsklen, eller slutmålet for et forløb."),
    )  # fmt: skip
    percent = DanishDecimalField(label=_("Ændring pr. år"), required=False)
    change_unit = forms.ChoiceField(label=_("Ændringens enhed"), required=False)
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gemmes i revisionssporet."),
        error_messages={"required": _("Skriv en begrundelse: den gemmes i revisionssporet.")},
    )

    def __init__(self, *args: Any, areas: list[HousingArea], kinds: list[str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.area_map = {a.slug: a for a in areas}
        self.fields["area"].choices = [(a.slug, a.name) for a in areas]  # type: ignore[attr-defined]
        labels = dict(Target._meta.get_field("kind").choices or [])
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]  # type: ignore[attr-defined]
        op_choices = list(Target._meta.get_field("op").choices or [])
        self.fields["op"].choices = [("", "–"), *op_choices]  # type: ignore[attr-defined]
        self.fields["change_unit"].choices = list(  # type: ignore[attr-defined]
            Target._meta.get_field("change_unit").choices or []
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"area": self.area_map[data["area"]], "kind": data["kind"],
                "op": data.get("op") or "", "value": data.get("value"),
                "percent": data.get("percent"), "change_unit": data.get("change_unit") or "percent",
                "reason": data["reason"]}  # fmt: skip


class ReturnForm(GuardedForm, forms.Form):
    comment = forms.CharField(
        label=_("Bemærkning til registranten"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en bemærkning til registranten: hvad skal rettes?")},
    )


class ImportForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Fil (XLSX eller CSV)"),
        help_text=_(
            "Kolonner: kriterium, område, år, værdi, tæller, nævner, kilde; for kvalitative "
            "kriterier vurdering og beskrivelse. XLSX: arket »Observationer«. Decimalkomma er "
            "i orden."
        ),
    )
    approve = forms.BooleanField(label=_("Godkend straks (kun sekretariatet)"), required=False)
    reason = forms.CharField(
        label=_("Begrundelse for rettelser (kun sekretariatet)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kræves, når filen retter godkendte tal; gemmes i revisionssporet."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(str(too_large(upload.size)), code="too_large")
        return upload


class ImportConfirmForm(GuardedForm, forms.Form):
    """The second step: the preview's token; the parsed rows wait in the session."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)


# --- setting up measures and success criteria ------------------------------------------------

NEW_MEASURE = "ny"
DIRECTION_CHOICES = [
    ("", _("– vælg –")),
    (engine.Direction.LOWER_IS_BETTER.value, _("Lavere er bedre")),
    (engine.Direction.HIGHER_IS_BETTER.value, _("Højere er bedre")),
    (NO_DIRECTION, _("Ingen retning (baggrundstal)")),
]


class MeasureForm(GuardedForm, forms.Form):
    """A measure's fields, grouped in fieldsets (``fieldsets``). On a new measure the short
    name may be left empty (made from the name); an existing one keeps it (its address)."""

    name = forms.CharField(label=_("Navn"), max_length=300)
    slug = forms.SlugField(
        label=_("Kort navn"),
        max_length=60,
        required=False,
        help_text=_("Små bogstaver og bindestreger; dannes af navnet, hvis feltet er tomt."),
    )
    value_kind = forms.ChoiceField(label=_("Værditype"), choices=Measure.ValueKind.choices)
    unit = forms.CharField(
        label=_("Enhed"), max_length=60, required=False, help_text=_("Fx %, episoder, borgere.")
    )
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    data_source = forms.CharField(label=_("Datakilde"), max_length=300, required=False)
    delivered_by = forms.CharField(
        label=_("Leveres af"),
        max_length=200,
        required=False,
        help_text=_("Dataejeren: hvem leverer tallene, fx politiet eller jobcentret."),
    )
    data_owner = forms.ChoiceField(
        label=_("Registreres af"),
        choices=Measure.DataOwner.choices,
        initial=Measure.DataOwner.SECRETARIAT,
        required=False,  # not sent (an older client, a script): unchanged / the secretariat
        help_text=_("Hvem der registrerer tallet i systemet og får det på sin liste."),
    )
    frequency = forms.ChoiceField(label=_("Hyppighed"), choices=Measure.Frequency.choices)
    direction = forms.ChoiceField(
        label=_("Retning"),
        choices=DIRECTION_CHOICES,
        required=False,
        help_text=_("Skal vælges, undtagen for kvalitative vurderinger."),
    )
    is_rate = forms.BooleanField(
        label=_("Værdien er en rate (tæller/nævner)"),
        required=False,
        help_text=_("Totaler beregnes da af tællere og nævnere."),
    )
    numerator_label = forms.CharField(
        label=_("Tæller"), max_length=200, required=False, help_text=_("Fx fraflytninger.")
    )
    denominator_label = forms.CharField(
        label=_("Nævner"), max_length=200, required=False, help_text=_("Fx boliger.")
    )
    first_year = forms.IntegerField(
        label=_("Første år"), help_text=_("Nulpunktsår før planen er i orden.")
    )
    last_year = forms.IntegerField(label=_("Sidste år"))
    reason = forms.CharField(
        label=_("Begrundelse for ændringen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kræves, når retningen ændres på en måling med observationer."),
    )

    FIELDSETS: ClassVar[list[tuple[Any, list[str]]]] = [
        (_("Hvad måles"), ["name", "slug", "value_kind", "unit", "description"]),
        (_("Data"), ["data_source", "delivered_by", "data_owner", "frequency"]),
        (_("Retning og rate"), ["direction", "is_rate", "numerator_label", "denominator_label"]),
        (_("År"), ["first_year", "last_year"]),
        (_("Ændringen"), ["reason"]),
    ]

    def __init__(self, *args: Any, plan: Plan, measure: Measure | None = None, **kw: Any) -> None:
        if measure is not None:
            initial = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
            is_rating = measure.value_kind == Measure.ValueKind.RATING
            initial["direction"] = measure.direction or ("" if is_rating else NO_DIRECTION)
            kw.setdefault("initial", initial)
        else:
            kw.setdefault(
                "initial", {"first_year": plan.start_date.year, "last_year": plan.end_date.year}
            )
        super().__init__(*args, **kw)
        self.measure = measure
        if measure is not None:
            del self.fields["slug"]
        else:
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rating = data.get("value_kind") == Measure.ValueKind.RATING
        if rating:
            data["direction"] = ""
        elif "value_kind" in data and not data.get("direction"):
            self.add_error(
                "direction",
                ValidationError(
                    _(
                        "Vælg, om lavere eller højere er bedre – eller at målingen ingen "
                        "retning har."
                    ),
                    code="direction_required",
                ),
            )
        return data

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def measure_fields(self) -> dict[str, Any]:
        """The arguments of ``measure_create`` / ``measure_update`` (without the reason)."""
        data = dict(self.cleaned_data)
        for name in ("reason", "version"):
            data.pop(name, None)
        if not data.get("data_owner"):
            owner = self.measure.data_owner if self.measure else Measure.DataOwner.SECRETARIAT
            data["data_owner"] = owner
        return data


class SuccessCriterionForm(GuardedForm, forms.Form):
    """A new success criterion: its focus area, number, the agreement's text and the
    measure it is measured by (an existing one, or a new one from the ``MeasureForm``
    beside it, prefix ``ny``)."""

    focus_area = forms.ModelChoiceField(
        label=_("Indsatsområde"), queryset=FocusArea.objects.none(), empty_label=None
    )
    code = forms.CharField(
        label=_("Nummer"),
        max_length=20,
        help_text=_("Indsatsområdets nummer og det næste ledige, fx 5.1.3."),
    )
    title = forms.CharField(label=_("Kort titel"), max_length=200)
    text = forms.CharField(
        label=_("Succeskriteriet, som aftalen skriver det"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    data_source_text = forms.CharField(
        label=_("Datakilde (aftalens tekst)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measure = forms.ChoiceField(label=_("Måling"))
    context_measures = forms.ModelMultipleChoiceField(
        label=_("Baggrundstal"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Andre målinger, der belyser kriteriet."),
    )

    def __init__(self, *args: Any, plan: Plan, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.plan = plan
        measures = list(Measure.objects.filter(plan=plan).order_by("order", "name"))
        self.measures = {str(m.pk): m for m in measures}
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["measure"].choices = [  # type: ignore[attr-defined]
            (NEW_MEASURE, _("Ny måling (udfyld felterne nedenfor)")),
            *[(str(m.pk), m.name) for m in measures],
        ]
        self.fields["context_measures"].queryset = Measure.objects.filter(plan=plan)  # type: ignore[attr-defined]
        # Changing the focus area suggests its next number; choosing "new measure" shows
        # the measure's fields (htmx: the same page, only that part swapped in).
        self.fields["focus_area"].widget.attrs.update(_refresh("#code-field"))
        self.fields["measure"].widget.attrs.update(_refresh("#new-measure"))

    @staticmethod
    def initial_for(plan: Plan, query: Any) -> dict[str, Any]:
        """The form opened at ``?focus_area=<pk>`` (or ``?indsatsomraade=5.1``) with the
        next free number; ``?measure=`` keeps the measure chosen (the htmx reload)."""
        areas = FocusArea.objects.filter(plan=plan)
        chosen = None
        if str(query.get("focus_area", "")).isdigit():
            chosen = areas.filter(pk=int(query["focus_area"])).first()
        elif query.get("indsatsomraade"):
            chosen = areas.filter(code=query["indsatsomraade"]).first()
        chosen = chosen or areas.order_by("order", "code").first()
        initial: dict[str, Any] = {
            "focus_area": chosen.pk if chosen else None,
            "code": services.next_criterion_code(plan, chosen),
            "measure": str(query.get("measure") or NEW_MEASURE),
        }
        return initial

    @property
    def wants_new_measure(self) -> bool:
        value = self.data.get("measure") if self.is_bound else self.initial.get("measure")
        return (value or NEW_MEASURE) == NEW_MEASURE

    def criterion_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        choice = data["measure"]
        return {
            "focus_area": data["focus_area"],
            "code": data["code"],
            "title": data["title"],
            "text": data["text"],
            "data_source_text": data["data_source_text"],
            "context_measures": list(data["context_measures"]),
            "measure": None if choice == NEW_MEASURE else self.measures[choice],
        }


def _refresh(target: str) -> dict[str, str]:
    return {
        "hx-get": "",
        "hx-trigger": "change",
        "hx-include": "closest form",
        "hx-target": target,
        "hx-select": target,
        "hx-swap": "outerHTML",
    }
