"""Agreement versions built on the factory plan the way every version goes (no seed text)."""

from __future__ import annotations

import pytest

from helhedsplan.agreements import services
from helhedsplan.agreements.models import SECTION_KEYS, AgreementVersion, SubAgreementVersion
from helhedsplan.plans.models import FocusArea, Plan

SECTION_SIX_CHANGE = "\n\nDemonstrationsændring: kvartalsvis afrapportering til bestyrelsen."


def agreement_versions(plan: Plan) -> tuple[AgreementVersion, AgreementVersion]:
    """Version 1 approved by LBF, in force from the plan's start; version 2 made from it with
    section 6 changed, submitted (the shape the demo has, with made-up text)."""
    sections = {key: f"Tekst til {title.lower()}." for key, title in SECTION_KEYS}
    first = services.agreement_version_create(plan=plan, sections=sections)
    services.version_decide(
        version=services.agreement_version_submit(version=first),
        may_decide=True,
        letter_required=False,
        approve=True,
        in_force_from=plan.start_date,
    )
    changed = dict(sections, **{"6": sections["6"] + SECTION_SIX_CHANGE})
    second = services.agreement_version_create(plan=plan, sections=changed)
    services.agreement_version_submit(version=second)
    return first, second


def sub_agreement_drafts(plan: Plan) -> list[SubAgreementVersion]:
    """A first draft of the sub-agreement of each of the plan's focus areas."""
    return [
        services.sub_agreement_version_create(
            focus_area=fa, purpose=fa.purpose, responsibilities="(udfyldes)", partners=""
        )
        for fa in FocusArea.objects.filter(plan=plan)
    ]


@pytest.fixture
def versions(plan: Plan) -> tuple[AgreementVersion, AgreementVersion]:
    return agreement_versions(plan)


@pytest.fixture
def sub_drafts(plan: Plan) -> list[SubAgreementVersion]:
    return sub_agreement_drafts(plan)
