"""Uploaded files, kept outside the web root and served only through permission-checked views.

A StoredFile belongs to a plan; the object that owns it (minutes, a report, an import)
decides who may download it and calls ``files.views.stored_file_response``. There is no URL
of its own, so no file can be fetched without the owner's permission check.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helhedsplan.files.validation import EXTENSIONS, KIND_LABELS
from helhedsplan.lib.fields import FreeCharField
from helhedsplan.lib.models import PlanScoped, actor_key


def stored_file_path(instance: StoredFile, filename: str) -> str:
    """A random name under the plan's folder: the uploader's file name never reaches disk."""
    return f"plans/{instance.plan_id}/{uuid.uuid4().hex}.{EXTENSIONS[instance.kind]}"


class StoredFile(PlanScoped):
    class Kind(models.TextChoices):
        PDF = "pdf", KIND_LABELS["pdf"]
        DOCX = "docx", KIND_LABELS["docx"]
        XLSX = "xlsx", KIND_LABELS["xlsx"]
        PNG = "png", KIND_LABELS["png"]
        JPEG = "jpeg", KIND_LABELS["jpeg"]

    plan_related_name = "files"
    audit_exclude = ("file",)

    file = models.FileField(_("fil"), upload_to=stored_file_path, max_length=300)
    original_name = FreeCharField(_("oprindeligt filnavn"), max_length=255)
    kind = models.CharField(_("filtype"), max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("størrelse (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = actor_key(_("uploadet af"))
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    class Meta:
        verbose_name = _("fil")
        verbose_name_plural = _("filer")
        ordering = ["plan", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="storedfile_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name

    # No get_absolute_url: the owning object's view serves the file after its own check.

    def get_additional_data(self) -> dict[str, Any]:
        return {"plan": self.plan_id}
