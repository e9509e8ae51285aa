"""The seed's text as version 1 of Slagelse's agreement (approved), and a version 2 awaiting
LBF with one changed section, so the workflow can be seen. Idempotent.

The seed gives no approval date: version 1 is recorded in force from the plan's start and
says so. Version 2's change and the sub-agreement drafts are demonstration content and are
marked as such; the seed does not contain the sub-agreements themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from helhedsplan.agreements.models import (
    SECTION_KEYS,
    AgreementSection,
    AgreementVersion,
    SubAgreementVersion,
    VersionStatus,
)
from helhedsplan.demo.loader import upsert
from helhedsplan.plans.models import FocusArea, Plan

SEED_TEXT = Path(__file__).resolve().parent.parent / "demo" / "data" / "agreement_v1.txt"
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


def _version(plan: Plan, number: int, status: str, note: str, sections: dict[str, str]) -> None:
    version = upsert(
        AgreementVersion,
        {"plan": plan, "number": number},
        {
            "status": status,
            "change_note": note,
            "in_force_from": plan.start_date if status == VersionStatus.APPROVED else None,
        },
    )
    titles = dict(SECTION_KEYS)
    for order, (key, _title) in enumerate(SECTION_KEYS):
        upsert(
            AgreementSection,
            {"version": version, "key": key},
            {"title": titles[key], "body": sections.get(key, ""), "order": order},
        )


def load(plan: Plan) -> None:
    sections = seed_sections()
    _version(plan, 1, VersionStatus.APPROVED, V1_NOTE, sections)
    changed = dict(sections, **{"6": sections["6"] + V2_ADDITION})
    _version(plan, 2, VersionStatus.SUBMITTED, V2_NOTE, changed)
    for fa in FocusArea.objects.filter(plan=plan):
        upsert(
            SubAgreementVersion,
            {"focus_area": fa, "number": 1},
            {
                "purpose": fa.purpose,
                "responsibilities": SUB_PLACEHOLDER,
                "status": VersionStatus.DRAFT,
            },
        )
