"""Agreement versions built on the factory plan the way every version goes (no seed text)."""

from __future__ import annotations

import pytest
from django.test import Client

from helhedsplan.agreements import services
from helhedsplan.agreements.models import SECTION_KEYS, AgreementVersion, SubAgreementVersion
from helhedsplan.organisation.models import Body, Membership
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories

SECTION_SIX_CHANGE = "\n\nDemonstrationsændring: kvartalsvis afrapportering til bestyrelsen."


PARAGRAPH = (
    "Parterne arbejder sammen om at skabe trygge og attraktive boligområder, hvor beboerne "
    "trives, og hvor børn og unge får de samme muligheder som andre. Indsatsen følges "
    "løbende op i bestyrelsen, som prioriterer ressourcerne mellem områderne."
)


def _section_text(title: str) -> str:
    """A section of a few paragraphs, so the agreement fills pages as a real one does."""
    return "\n\n".join([f"Om {title.lower()}.", *[PARAGRAPH] * 4])


def agreement_versions(plan: Plan) -> tuple[AgreementVersion, AgreementVersion]:
    """Version 1 approved by LBF, in force from the plan's start; version 2 made from it with
    section 6 changed, submitted (the shape the demo has, with made-up text)."""
    sections = {key: _section_text(title) for key, title in SECTION_KEYS}
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


def documented_plan(plan: Plan) -> Plan:
    """What the agreement's documents and the LBF package draw on, made up: versions 1 and 2,
    a draft sub-agreement per focus area, a second focus area (5.2) with two activities and
    planned quantities, a criterion, funding, and an organisation of a few bodies and people."""
    nord = plan.areas.get(slug="nord")
    safety = factories.FocusAreaFactory(plan=plan, code="5.2", name="Kriminalitetsforebyggelse")
    for name in ["Tryghedsvandringer", "Fritidsjobindsats"]:
        activity = factories.ActivityFactory(plan=plan, focus_area=safety, name=name)
        factories.PlannedQuantityFactory(activity=activity, area=nord)
    factories.SuccessCriterionFactory(plan=plan, focus_area=safety, code="5.2.1")
    factories.FundingSourceFactory(plan=plan, name="Landsbyggefonden")
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    factories.OrganisationMembershipFactory(body=board, role=Membership.Role.CHAIR)
    for _n in range(3):
        factories.OrganisationMembershipFactory(body=board)
    for kind in [Body.Kind.SECRETARIAT, Body.Kind.COORDINATION_GROUP, Body.Kind.COORDINATORS]:
        body = factories.BodyFactory(plan=plan, kind=kind)
        for _n in range(2):
            factories.OrganisationMembershipFactory(body=body)
    agreement_versions(plan)
    sub_agreement_drafts(plan)
    return plan


@pytest.fixture
def documented(plan: Plan) -> Plan:
    return documented_plan(plan)


def client_as(plan: Plan, username: str, role: str) -> Client:
    """A client logged in as a user of that name holding ``role`` on ``plan`` (for a test
    that names the actor in its assertion, as the demo names its users)."""
    client = Client()
    client.force_login(factories.user_named(plan, username, role))
    return client
