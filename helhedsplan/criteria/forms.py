from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helhedsplan.criteria.importing import MAX_IMPORT_BYTES, too_large
from helhedsplan.criteria.models import Measure, Observation, Target
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.plans.models import HousingArea

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
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        if not may_correct_approved:
            del self.fields["reason"]
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
