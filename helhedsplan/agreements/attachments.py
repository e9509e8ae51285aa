"""The required attachments: what satisfies each, what is missing, what is out of date.

The attachments are the plan's framework's (``frameworks.catalogue``: the seed's eight for
2015-18). One whose requirement is not known for the framework (``known: unknown``) is
listed all the same, in state "unknown" until a file satisfies it, never hidden.
Each is satisfied by an uploaded file or by a document the system generates
from the data: an exporter in the registry (``reports.exporters``) declaring the kind as its
``attachment_kind``. Its ``generated`` answers None when the data it needs is not there
(e.g. no measurements at the start), and the item is then missing unless a file was
uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.agreements import selectors
from helhedsplan.agreements.models import AttachmentKind, PlanAttachment
from helhedsplan.frameworks import catalogue
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import GeneratedFile, registry

# Why an attachment cannot come from the system yet, where that is more than "upload it".
# Attachment 7 holds Landsbyggefondens centrally generated measurements at the start: the
# exporter ``centrale_maalinger`` (measurements/exports.py) makes it once the values of the
# plan's start year (or the year before) are imported; the plan's own figures (the success
# criteria's observations) are not those. The checklist links the remark to the import.
MISSING_REMARKS: dict[str, Promise] = {
    AttachmentKind.BASELINE_APPENDIX: _lazy(
        "Landsbyggefondens centralt genererede målinger ved indsatsens start (værdierne for "
        "startåret eller året før) er endnu ikke indlæst; planens egne tal i "
        "succeskriterierne er ikke disse målinger. Indlæs Landsbyggefondens fil under "
        "Centrale målinger, så dannes bilaget – eller upload bilaget."
    ),
}
# The page where what a remark asks for is done (the checklist links to it).
MISSING_LINKS: dict[str, tuple[str, str]] = {
    # kind: (URL name taking the plan's slug, the permission to do it)
    AttachmentKind.BASELINE_APPENDIX: ("measurements:import", "measurements.import"),
}


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    state: str  # "complete" | "missing" | "outdated" | "unknown" (requirement not known)
    generated: list[GeneratedFile]
    uploads: list[PlanAttachment]
    remark: str
    known: str = catalogue.Known.VERIFIED  # how far the framework's requirement is known
    source: str = ""

    @property
    def state_label(self) -> str:
        return {
            "complete": _("Komplet"),
            "missing": _("Mangler"),
            "outdated": _("Forældet"),
            "unknown": _("Krav ikke kendt"),
        }[self.state]

    @property
    def is_missing(self) -> bool:
        return self.state in {"missing", "unknown"}


def unknown_remark(source: str) -> str:
    return _(
        "Det er ikke kendt, om bevillingsrammen kræver dette bilag (kilde: %(source)s). "
        "Upload det, hvis Landsbyggefonden beder om det."
    ) % {"source": source}


def checklist(plan: Plan, today: date | None = None) -> list[ChecklistItem]:
    today = today or date.today()
    uploads: dict[str, list[PlanAttachment]] = {}
    for attachment in PlanAttachment.objects.filter(plan=plan).select_related("stored_file"):
        uploads.setdefault(attachment.kind, []).append(attachment)
    in_force = selectors.agreement_in_force(plan, today)
    overdue = [r for r in selectors.sub_agreement_overview(plan, today) if r.review_overdue]
    items = []
    for required in catalogue.get(plan.framework).attachments:
        kind, label = required.key, required.name
        exporters = registry.for_attachment(kind)
        generated = [f for e in exporters for f in e.generated(plan, today) or []]
        own = uploads.get(kind, [])
        remark = ""
        if not generated and not own:
            state = "missing"
            if required.known == catalogue.Known.UNKNOWN:
                state, remark = "unknown", unknown_remark(required.source)
            elif kind in MISSING_REMARKS:
                remark = str(MISSING_REMARKS[kind])
            elif not exporters:
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
        items.append(
            ChecklistItem(
                kind,
                str(label),
                state,
                generated,
                own,
                remark,
                required.known,
                required.source,
            )
        )
    return items
