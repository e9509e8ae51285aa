"""Sub-agreements are the board's to keep current (the seed's front part): the board
approves a version as a decision on a board meeting; LBF reads them but does not approve;
the LBF package carries the latest board-approved version of each focus area."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.agreements import services
from helhedsplan.agreements.models import SubAgreementVersion, VersionStatus
from helhedsplan.agreements.package import build_lbf_package
from helhedsplan.meetings.models import Decision, Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories

Clients = Callable[[str], Client]


def _board_meeting(plan: Plan, on: date = date(2019, 3, 1)) -> Meeting:
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    return factories.MeetingFactory(plan=plan, body=board, date=on)  # type: ignore[no-any-return]


def _draft(plan: Plan) -> SubAgreementVersion:
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    return services.sub_agreement_version_create(
        focus_area=fa, purpose="Tryghed.", responsibilities="Sekretariatet.", partners=""
    )


def _decide_url(plan: Plan, number: int) -> str:
    return reverse(
        "agreements:sub_agreement_decide",
        kwargs={"slug": plan.slug, "code": "5.1", "number": number},
    )


def test_board_approval_records_a_board_decision_and_is_in_force_from_the_meeting(
    plan: Plan, persona: Callable[[str], object]
) -> None:
    meeting = _board_meeting(plan)
    version = services.sub_agreement_version_decide(
        version=_draft(plan), meeting=meeting, approve=True, may_decide=True,
        actor=persona("board"),
    )  # fmt: skip
    assert version.status == VersionStatus.APPROVED
    assert version.in_force_from == meeting.date
    decision = Decision.objects.get(meeting=meeting)
    assert version.board_decision == decision
    assert decision.concerns == version
    assert "godkender delaftale 5.1" in decision.text and "version 1" in decision.text
    assert version.get_status_display() == "Godkendt af bestyrelsen"


def test_return_needs_remarks_and_is_a_decision_too(plan: Plan) -> None:
    meeting = _board_meeting(plan)
    draft = _draft(plan)
    with pytest.raises(ValidationError) as exc:
        services.sub_agreement_version_decide(
            version=draft, meeting=meeting, approve=False, may_decide=True
        )
    assert exc.value.error_dict["remarks"][0].code == "remarks_required"
    returned = services.sub_agreement_version_decide(
        version=draft, meeting=meeting, approve=False, may_decide=True, remarks="Mangler politiet."
    )
    assert returned.status == VersionStatus.RETURNED and returned.in_force_from is None
    assert "Mangler politiet." in Decision.objects.get(meeting=meeting).text


def test_the_decision_must_be_on_a_board_meeting_of_the_plan(plan: Plan) -> None:
    other_body = factories.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP)
    group_meeting = factories.MeetingFactory(plan=plan, body=other_body)
    draft = _draft(plan)
    with pytest.raises(ValidationError) as exc:
        services.sub_agreement_version_decide(
            version=draft, meeting=group_meeting, approve=True, may_decide=True
        )
    assert exc.value.error_dict["meeting"][0].code == "meeting_not_board"
    elsewhere = factories.MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.sub_agreement_version_decide(
            version=draft, meeting=elsewhere, approve=True, may_decide=True
        )
    assert exc.value.error_dict["meeting"][0].code == "meeting_other_plan"
    assert not Decision.objects.exists()
    assert SubAgreementVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_lbf_cannot_approve_a_sub_agreement_by_the_service(plan: Plan) -> None:
    draft = services.sub_agreement_version_submit(version=_draft(plan))
    with pytest.raises(ValidationError) as exc:
        services.version_decide(version=draft, may_decide=True, letter_required=False, approve=True)
    assert exc.value.code == "sub_agreement_board_decides"
    with pytest.raises(ValidationError) as exc:
        services.sub_agreement_version_decide(
            version=draft, meeting=_board_meeting(plan), approve=True, may_decide=False
        )
    assert exc.value.code == "not_allowed_to_decide"
    assert SubAgreementVersion.objects.get(pk=draft.pk).status == VersionStatus.SUBMITTED


def test_lbf_cannot_approve_over_http_and_sees_no_form(plan: Plan, client_for: Clients) -> None:
    meeting = _board_meeting(plan)
    draft = services.sub_agreement_version_submit(version=_draft(plan))
    response = client_for("lbf").post(
        _decide_url(plan, draft.number), {"decision": "approve", "meeting": meeting.pk}
    )
    assert response.status_code == 403
    assert SubAgreementVersion.objects.get(pk=draft.pk).status == VersionStatus.SUBMITTED
    page = client_for("lbf").get(
        reverse("agreements:sub_agreement", kwargs={"slug": plan.slug, "code": "5.1"})
    )
    assert page.status_code == 200 and b"board-decide-form" not in page.content


@pytest.mark.parametrize("role", ["board", "secretariat"])
def test_the_board_or_the_secretariat_for_it_approves_over_http(
    role: str, plan: Plan, client_for: Clients
) -> None:
    meeting = _board_meeting(plan, date(2019, 4, 2))
    draft = _draft(plan)  # submitting to the board first is optional
    page_url = reverse("agreements:sub_agreement", kwargs={"slug": plan.slug, "code": "5.1"})
    assert b"board-decide-form" in client_for(role).get(page_url).content
    response = client_for(role).post(
        _decide_url(plan, draft.number),
        {"decision": "approve", "meeting": meeting.pk, "in_force_from": "2019-05-01"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.APPROVED and draft.in_force_from == date(2019, 5, 1)
    page = client_for("lbf").get(page_url).content.decode()
    assert "Godkendt af bestyrelsen den 2. april 2019" in page
    assert "beslutning på mødet" in page


def test_package_carries_the_latest_board_approved_version_not_a_newer_draft(plan: Plan) -> None:
    first = services.sub_agreement_version_decide(
        version=_draft(plan), meeting=_board_meeting(plan, date(2019, 1, 10)),
        approve=True, may_decide=True,
    )  # fmt: skip
    second_draft = services.sub_agreement_version_create(
        focus_area=first.focus_area, purpose="Nyt.", responsibilities="Ny.", partners=""
    )
    second = services.sub_agreement_version_decide(
        version=second_draft, meeting=_board_meeting(plan, date(2019, 6, 10)),
        approve=True, may_decide=True,
    )  # fmt: skip
    services.sub_agreement_version_create(
        focus_area=first.focus_area, purpose="Kladde.", responsibilities="Kladde.", partners=""
    )
    _data, entries = build_lbf_package(plan, date(2019, 7, 1))
    subs = [e for e in entries if e.path.startswith("02-delaftaler/")]
    assert {e.path for e in subs} == {
        f"02-delaftaler/delaftale-5.1-v{second.number}.pdf",
        f"02-delaftaler/delaftale-5.1-v{second.number}.docx",
    }
    # Before the second was in force, the first.
    data, entries = build_lbf_package(plan, date(2019, 3, 1))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert f"02-delaftaler/delaftale-5.1-v{first.number}.pdf" in names


def test_a_draft_alone_is_missing_from_the_package(plan: Plan) -> None:
    _draft(plan)
    data, entries = build_lbf_package(plan, date(2019, 7, 1))
    assert not [e for e in entries if e.path.startswith("02-delaftaler/")]
    manifest = zipfile.ZipFile(io.BytesIO(data)).read("manifest.csv").decode("utf-8-sig")
    assert "Delaftale 5.1" in manifest and "mangler" in manifest
