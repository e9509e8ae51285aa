"""The required attachments: what satisfies each, what is missing, what is out of date.

Each of the eight is satisfied by an uploaded file or by a document the system generates
from the data. Generators are registered per kind; a generator answers None when the data
it needs is not there (e.g. no measurements at the start), and the item is then missing
unless a file was uploaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.agreements import documents, selectors
from helhedsplan.agreements.models import AttachmentKind, PlanAttachment, SubAgreementVersion
from helhedsplan.plans.models import Plan
from helhedsplan.reports.render import render_pdf


@dataclass(frozen=True)
class GeneratedFile:
    filename: str
    content_type: str
    build: Callable[[], bytes]
    description: str
    version: str = ""


Generator = Callable[[Plan], list[GeneratedFile] | None]
GENERATORS: dict[str, Generator] = {}

# Why an attachment without a generator cannot come from the system, where that is more
# than "upload it". Attachment 7 holds Landsbyggefondens centrally generated measurements:
# the plan's own figures (the success criteria's observations) are not those, and the
# system has no model for the central measurements yet, so only an upload satisfies it.
MISSING_REMARKS: dict[str, Promise] = {
    AttachmentKind.BASELINE_APPENDIX: _lazy(
        "Landsbyggefondens centralt genererede målinger ved indsatsens start er ikke "
        "registreret: systemet har endnu ikke et sted til dem, og planens egne tal i "
        "succeskriterierne er ikke disse målinger. Upload bilaget, når målingerne foreligger."
    ),
}


def register(kind: AttachmentKind) -> Callable[[Generator], Generator]:
    def decorator(fn: Generator) -> Generator:
        GENERATORS[kind] = fn
        return fn

    return decorator


def _sub_agreement_pdf(version: SubAgreementVersion) -> bytes:
    return render_pdf(documents.sub_agreement_document(version))


@register(AttachmentKind.SUB_AGREEMENTS)
def _sub_agreements(plan: Plan) -> list[GeneratedFile] | None:
    today = date.today()
    rows = selectors.sub_agreement_overview(plan, today)
    if not rows or any(r.in_force is None for r in rows):
        return None
    files = []
    for row in rows:
        version = row.in_force
        assert version is not None
        files.append(
            GeneratedFile(
                filename=f"delaftale-{row.focus_area.code}-v{version.number}.pdf",
                content_type="application/pdf",
                build=partial(_sub_agreement_pdf, version),
                description=str(version),
                version=str(version.number),
            )
        )
    return files


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    state: str  # "complete" | "missing" | "outdated"
    generated: list[GeneratedFile]
    uploads: list[PlanAttachment]
    remark: str

    @property
    def state_label(self) -> str:
        return {
            "complete": _("Komplet"),
            "missing": _("Mangler"),
            "outdated": _("Forældet"),
        }[self.state]


def checklist(plan: Plan, today: date | None = None) -> list[ChecklistItem]:
    today = today or date.today()
    uploads: dict[str, list[PlanAttachment]] = {}
    for attachment in PlanAttachment.objects.filter(plan=plan).select_related("stored_file"):
        uploads.setdefault(attachment.kind, []).append(attachment)
    in_force = selectors.agreement_in_force(plan, today)
    overdue = [r for r in selectors.sub_agreement_overview(plan, today) if r.review_overdue]
    items = []
    for kind, label in AttachmentKind.choices:
        generator = GENERATORS.get(kind)
        generated = (generator(plan) or []) if generator else []
        own = uploads.get(kind, [])
        remark = ""
        if not generated and not own:
            state = "missing"
            if kind in MISSING_REMARKS:
                remark = str(MISSING_REMARKS[kind])
            elif generator is None:
                remark = _("Upload filen")
            else:
                remark = _("Kan dannes af systemet, når data er registreret – eller upload filen")
        else:
            state = "complete"
            if kind == AttachmentKind.SUB_AGREEMENTS and overdue:
                state = "outdated"
                remark = _("Ikke gennemgået i over 12 måneder: %(list)s") % {
                    "list": ", ".join(f"{r.focus_area.code}" for r in overdue)
                }
            elif (
                not generated
                and in_force
                and in_force.in_force_from
                and own[0].uploaded_at.date() < in_force.in_force_from
            ):
                state = "outdated"
                remark = _(
                    "Uploadet før den gældende aftaleversion trådte i kraft; kontroller, at "
                    "bilaget stadig gælder."
                )
        items.append(ChecklistItem(kind, str(label), state, generated, own, remark))
    return items
