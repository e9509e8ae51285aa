from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm
from helhedsplan.plans.models import Plan

MAX_IMPORT_BYTES = 200 * 1024 * 1024


class _NewPlan(GuardedForm, forms.Form):
    slug = forms.SlugField(
        label=_("Den nye plans korte navn"),
        max_length=50,
        help_text=_("Bruges i adressen, fx slagelse-2027. Små bogstaver, tal og bindestreger."),
    )
    name = forms.CharField(
        label=_("Den nye plans navn"),
        max_length=200,
        required=False,
        help_text=_("Tomt: samme navn som kilden."),
    )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if Plan.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Der findes allerede en plan med det korte navn “%(slug)s”. Vælg et andet."),
                code="slug_exists",
                params={"slug": slug},
            )
        return slug


class ImportForm(_NewPlan):
    """A plan export (ZIP) loaded as a new plan."""

    file = forms.FileField(label=_("Eksportfil (ZIP)"))
    structure_only = forms.BooleanField(
        label=_("Kun struktur"),
        required=False,
        help_text=_("Opsætningen uden data: ingen observationer, registreringer, møder, "
                    "revisionsspor eller brugeres roller."),
    )  # fmt: skip
    field_order = ["file", "slug", "name", "structure_only"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Filen er for stor (højst 200 MB)."), code="too_large")
        return upload


class CopyStructureForm(_NewPlan):
    """ "Ny plan ud fra denne plans struktur"."""

    source = forms.ModelChoiceField(
        label=_("Planen, hvis struktur kopieres"),
        queryset=Plan.objects.order_by("name"),
        to_field_name="slug",
    )
    field_order = ["source", "slug", "name"]
