from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.agreements import selectors, services
from helhedsplan.agreements.models import SubAgreementVersion, VersionStatus
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories


def _draft(plan: Plan, code: str = "5.1") -> SubAgreementVersion:
    return SubAgreementVersion.objects.get(focus_area__plan=plan, focus_area__code=code, number=1)


def _approve(plan: Plan, version: SubAgreementVersion, on: date) -> SubAgreementVersion:
    services.sub_agreement_version_update(
        version=version, purpose=version.purpose, responsibilities="Kommunen: ...", partners=""
    )
    services.sub_agreement_version_submit(version=version)
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    return services.sub_agreement_version_decide(
        version=version,
        meeting=factories.MeetingFactory(plan=plan, body=board, date=on),
        approve=True,
        may_decide=True,
    )


@pytest.mark.demo  # about the seed's content: its four placeholder sub-agreements
def test_demo_sub_agreements_are_placeholder_drafts(plan: Plan) -> None:
    drafts = SubAgreementVersion.objects.filter(focus_area__plan=plan)
    assert drafts.count() == 4
    assert all(
        d.status == VersionStatus.DRAFT and "(pladsholder)" in d.responsibilities for d in drafts
    )


@pytest.mark.usefixtures("sub_drafts")
def test_submitting_without_responsibilities_is_refused(plan: Plan) -> None:
    version = _draft(plan)
    services.sub_agreement_version_update(
        version=version, purpose="Formål", responsibilities=" ", partners=""
    )
    with pytest.raises(ValidationError) as exc:
        services.sub_agreement_version_submit(version=version)
    assert exc.value.code == "section_empty"


@pytest.mark.usefixtures("sub_drafts")
def test_review_warning_after_twelve_months(plan: Plan) -> None:
    version = _approve(plan, _draft(plan), date(2019, 1, 1))
    rows = {r.focus_area.code: r for r in selectors.sub_agreement_overview(plan, date(2019, 12, 1))}
    assert rows["5.1"].in_force == version and not rows["5.1"].review_overdue
    rows = {r.focus_area.code: r for r in selectors.sub_agreement_overview(plan, date(2020, 2, 1))}
    assert rows["5.1"].review_overdue
    services.sub_agreement_mark_reviewed(version=version, on=date(2020, 2, 1))
    rows = {r.focus_area.code: r for r in selectors.sub_agreement_overview(plan, date(2020, 3, 1))}
    assert not rows["5.1"].review_overdue


@pytest.mark.usefixtures("sub_drafts")
def test_review_period_is_configurable(plan: Plan) -> None:
    _approve(plan, _draft(plan), date(2019, 1, 1))
    rows = selectors.sub_agreement_overview(plan, date(2019, 8, 1), review_months=6)
    assert next(r for r in rows if r.focus_area.code == "5.1").review_overdue


@pytest.mark.usefixtures("sub_drafts")
def test_a_new_version_after_approval(plan: Plan) -> None:
    _approve(plan, _draft(plan), date(2019, 1, 1))
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    v2 = services.sub_agreement_version_create(
        focus_area=fa, purpose="Nyt", responsibilities="Ny fordeling", partners=""
    )
    assert v2.number == 2 and v2.status == VersionStatus.DRAFT
