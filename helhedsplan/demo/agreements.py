"""The seed's text as version 1 of Slagelse's agreement (approved), and a version 2 awaiting
LBF with one changed section, so the workflow can be seen. Idempotent.

The seed gives no approval date: version 1 is recorded in force from the plan's start and
says so. Version 2's change and the sub-agreement drafts are demonstration content and are
marked as such; the seed does not contain the sub-agreements themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from helhedsplan.agreements.models import AgreementVersion, SubAgreementVersion
from helhedsplan.agreements.services import (
    agreement_version_create,
    agreement_version_submit,
    sub_agreement_version_create,
    version_decide,
)
from helhedsplan.plans.models import FocusArea, Plan

SEED_TEXT = Path(__file__).resolve().parent / "data" / "agreement_v1.txt"
V1_NOTE = (
    "Aftalen som i kildedokumentet. Godkendelsesdatoen er ikke oplyst i aftalen; versionen er "
    "registreret som gældende fra planperiodens start."
)
V2_NOTE = "Demonstrationsændring – ikke fra aftalen: kvartalsvis afrapportering til bestyrelsen."
V2_ADDITION = (
    "\n\n[Demonstrationsændring – ikke fra aftalen] Resultatet af den kvartalsvise "
    "leverancemåling forelægges bestyrelsen ved førstkommende møde efter hvert kvartal."
)
SUB_PLACEHOLDER = (
    "(pladsholder) Delaftalernes ansvars- og rollefordeling indgår ikke i den strategiske "
    "samarbejdsaftale og skal udfyldes af sekretariatet."
)


def seed_sections() -> dict[str, str]:
    text = SEED_TEXT.read_text(encoding="utf-8")
    parts = re.split(r"^=== (\S+) \| .*$", text, flags=re.MULTILINE)
    return {key: body.strip() for key, body in zip(parts[1::2], parts[2::2], strict=True)}


def load(plan: Plan) -> None:
    """Version 1 goes the way every version goes: created, submitted and approved by LBF
    (no user: the seed names no one); version 2 is created from it and submitted."""
    sections = seed_sections()
    versions = AgreementVersion.objects.filter(plan=plan)
    if not versions.filter(number=1).exists():
        first = agreement_version_create(plan=plan, sections=sections, change_note=V1_NOTE)
        version_decide(
            version=agreement_version_submit(version=first),
            # LBF's own decision (no letter to attach), as LBF makes it in the product.
            may_decide=True,
            letter_required=False,
            approve=True,
            in_force_from=plan.start_date,
        )
    if not versions.filter(number=2).exists():
        changed = dict(sections, **{"6": sections["6"] + V2_ADDITION})
        second = agreement_version_create(plan=plan, sections=changed, change_note=V2_NOTE)
        agreement_version_submit(version=second)
    for fa in FocusArea.objects.filter(plan=plan):
        if not SubAgreementVersion.objects.filter(focus_area=fa).exists():
            sub_agreement_version_create(
                focus_area=fa, purpose=fa.purpose, responsibilities=SUB_PLACEHOLDER, partners=""
            )
