"""The board's two yearly assessments (seed § 6, issue 12 point 4).

The first on the basis of the status report and the groups' evaluation meetings, the second
"understøtter aktiviteterne succeskriterierne?"; at each the board records its assessment per
focus area (a rating and a text) and its decisions. On the factory plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.activities.models import Evaluation
from helhedsplan.audit.models import AuditEntry
from helhedsplan.meetings import services
from helhedsplan.meetings.models import BoardAssessment, Meeting
from helhedsplan.meetings.selectors import board_assessments
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.statusreports.models import StatusReport
from tests import factories
from tests.meetings.factories import board_meeting, code

STATUS = Meeting.Kind.BOARD_STATUS_ASSESSMENT
CRITERIA = Meeting.Kind.BOARD_CRITERIA_ASSESSMENT


def board(plan: Plan) -> Body:
    return Body.objects.get(plan=plan, kind=Body.Kind.BOARD)


def page(meeting: Meeting) -> str:
    return reverse("meetings:assessment", kwargs={"slug": meeting.plan.slug, "pk": meeting.pk})


def _data(
    fa: FocusArea, rating: str = "partly", text: str = "Delvist.", version: str = "new"
) -> dict[str, Any]:
    prefix = f"fa{fa.pk}"
    return {
        "focus_area": fa.pk,
        f"{prefix}-rating": rating,
        f"{prefix}-text": text,
        f"{prefix}-version": version,
    }


# --- the meeting links the issued status report ---------------------------------------------


def test_a_status_assessment_links_an_issued_report_of_the_plan(plan: Plan) -> None:
    report = factories.StatusReportFactory(plan=plan)
    meeting = board_meeting(plan, date(2019, 3, 1), kind=STATUS, status_report=report)
    assert meeting.status_report == report


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("ordinary", "status_report_wrong_kind"),
        ("criteria", "status_report_wrong_kind"),
        ("other_plan", "status_report_other_plan"),
        ("draft", "status_report_not_issued"),
        ("superseded", "status_report_not_issued"),
    ],
)
def test_the_report_is_refused_on_another_kind_plan_or_state(
    case: str, expected: str, plan: Plan, other_plan: Plan
) -> None:
    kind = {"ordinary": Meeting.Kind.ORDINARY, "criteria": CRITERIA}.get(case, STATUS)
    report = factories.StatusReportFactory(
        plan=other_plan if case == "other_plan" else plan,
        state={"draft": "draft", "superseded": "superseded"}.get(case, "issued"),
    )
    with pytest.raises(ValidationError) as exc:
        board_meeting(plan, date(2019, 3, 1), kind=kind, status_report=report)
    assert code(exc.value) == expected
    assert not Meeting.objects.filter(plan=plan).exists()


def test_an_update_is_refused_the_same_way_and_keeps_a_report_since_superseded(
    plan: Plan,
) -> None:
    report = factories.StatusReportFactory(plan=plan)
    meeting = board_meeting(plan, date(2019, 3, 1), kind=STATUS, status_report=report)
    draft = factories.StatusReportFactory(plan=plan, state="draft")
    values: dict[str, Any] = {"meeting": meeting, "body": board(plan), "date": meeting.date}
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(**values, kind=STATUS, status_report=draft)
    assert code(exc.value) == "status_report_not_issued"
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(**values, kind=Meeting.Kind.ORDINARY, status_report=report)
    assert code(exc.value) == "status_report_wrong_kind"
    StatusReport.objects.filter(pk=report.pk).update(state="superseded")
    services.meeting_update(**values, kind=STATUS, title="Ny titel", status_report=report)
    meeting.refresh_from_db()
    assert (meeting.title, meeting.status_report_id) == ("Ny titel", report.pk)


def test_the_form_offers_the_plans_issued_reports_and_the_page_links_the_report(
    plan: Plan, other_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    issued = factories.StatusReportFactory(plan=plan)
    draft = factories.StatusReportFactory(plan=plan, state="draft", period_start=date(2019, 1, 1),
                                          period_end=date(2019, 6, 30))  # fmt: skip
    foreign = factories.StatusReportFactory(plan=other_plan)
    secretariat = client_for("secretariat")
    form = secretariat.get(reverse("meetings:create", kwargs={"slug": plan.slug}))
    html = form.content.decode()
    assert f'<option value="{issued.pk}">' in html
    assert f'<option value="{draft.pk}">' not in html
    assert f'<option value="{foreign.pk}">' not in html
    response = secretariat.post(
        reverse("meetings:create", kwargs={"slug": plan.slug}),
        {"body": board(plan).pk, "kind": STATUS, "date": "2019-03-01",
         "status_report": issued.pk},
    )  # fmt: skip
    meeting = Meeting.objects.get(plan=plan)
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.status_report == issued
    detail = client_for("board").get(meeting.get_absolute_url()).content.decode()
    assert issued.get_absolute_url() in detail and "2018, 2. halvår" in detail
    assert page(meeting) in detail
    # Refused in the form too: a draft is no choice, and nothing is written.
    response = secretariat.post(
        reverse("meetings:create", kwargs={"slug": plan.slug}),
        {"body": board(plan).pk, "kind": STATUS, "date": "2019-04-01", "status_report": draft.pk},
    )
    assert response.status_code == 200 and 'class="error' in response.content.decode()
    assert Meeting.objects.filter(plan=plan).count() == 1


# --- recording the assessment: the service --------------------------------------------------


def test_recording_creates_then_replaces_one_assessment_per_focus_area(plan: Plan) -> None:
    meeting = board_meeting(plan, date(2019, 6, 1), kind=CRITERIA)
    fa = plan.focus_areas.get()
    member = factories.persona(plan, "board")
    first = services.board_assessment_record(
        meeting=meeting, focus_area=fa, rating="partly", text="Delvist.", actor=member
    )
    secretary = factories.persona(plan, "secretariat")
    opened = _token(first)
    second = services.board_assessment_record(
        meeting=meeting, focus_area=fa, rating="on_track", text="Godt.", actor=secretary,
        version=opened,
    )  # fmt: skip
    assert second.pk == first.pk
    row = BoardAssessment.objects.get()
    assert (row.rating, row.text, row.recorded_by) == ("on_track", "Godt.", secretary)
    # Recorded before and since: a form opened from the first version is refused.
    with pytest.raises(ValidationError) as exc:
        services.board_assessment_record(
            meeting=meeting, focus_area=fa, rating="off_track", text="Nej.", actor=member,
            version=opened,
        )  # fmt: skip
    assert code(exc.value) == "stale_edit"
    with pytest.raises(ValidationError) as exc:
        services.board_assessment_record(
            meeting=meeting, focus_area=fa, rating="off_track", text="Nej.", version="new"
        )
    assert code(exc.value) == "stale_edit"
    assert BoardAssessment.objects.get().rating == "on_track"


def _token(assessment: BoardAssessment) -> str:
    from helhedsplan.lib import concurrency

    assessment.refresh_from_db()
    return concurrency.version_of(assessment)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("ordinary", "assessment_wrong_meeting"),
        ("evaluation", "assessment_wrong_meeting"),
        ("future", "assessment_future_meeting"),
        ("other_focus_area", "assessment_focus_area_other_plan"),
        ("no_text", "assessment_text_required"),
    ],
)
def test_recording_is_refused_where_it_does_not_belong(
    case: str, expected: str, plan: Plan, other_plan: Plan
) -> None:
    on = timezone.localdate() + timedelta(days=30) if case == "future" else date(2019, 6, 1)
    if case == "evaluation":
        group = factories.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP)
        meeting = services.meeting_create(plan=plan, body=group, kind="evaluation", date=on)
    else:
        kind = Meeting.Kind.ORDINARY if case == "ordinary" else CRITERIA
        # A future meeting outside the factory plan's years is still a meeting row.
        meeting = factories.MeetingFactory(plan=plan, body=board(plan), kind=kind, date=on)
    fa = (
        factories.FocusAreaFactory(plan=other_plan)
        if case == "other_focus_area"
        else plan.focus_areas.get()
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.board_assessment_record(
            meeting=meeting, focus_area=fa, rating="partly",
            text="  " if case == "no_text" else "Delvist.",
        )  # fmt: skip
    assert code(exc.value) == expected
    assert not BoardAssessment.objects.exists()
    assert AuditEntry.objects.count() == before


def test_an_assessment_reads_in_danish_in_the_audit_trail(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = board_meeting(plan, date(2019, 6, 1), kind=CRITERIA)
    fa = plan.focus_areas.get()
    response = client_for("board").post(page(meeting), _data(fa, "off_track", "Ikke nok."))
    assert response.status_code == 302
    assessment = BoardAssessment.objects.get()
    entries = AuditEntry.objects.filter(
        plan=plan,
        content_type=ContentType.objects.get_for_model(BoardAssessment),
        object_pk=str(assessment.pk),
    )
    assert entries.count() == 1 and entries.get().actor == factories.persona(plan, "board")
    trail = client_for("auditor").get(reverse("audit:plan", kwargs={"slug": plan.slug}))
    html = trail.content.decode()
    assert "bestyrelsens vurdering" in html  # the model's name
    assert "Indsatsen er ikke på rette vej" in html  # the rating's label, not its code
    assert "Vurdering af 5.1 Tryghed og trivsel, Bestyrelse 01.06.2019" in html
    assert "off_track" not in html
    # Changed: old and new side by side.
    version = _token(assessment)
    client_for("secretariat").post(page(meeting), _data(fa, "on_track", "Bedre.", version))
    assert entries.count() == 2
    trail = client_for("auditor").get(reverse("audit:plan", kwargs={"slug": plan.slug}))
    changed = "<del>Indsatsen er ikke på rette vej</del> → Indsatsen er på rette vej"
    assert changed in trail.content.decode()


# --- the page, per kind and role ------------------------------------------------------------


@pytest.mark.parametrize("kind", [STATUS, CRITERIA])
@pytest.mark.parametrize(
    ("role", "get", "records"),
    [
        ("board", 200, True),
        ("secretariat", 200, True),
        ("coordinator", 200, False),
        ("auditor", 200, False),
        ("lbf", 403, False),
        ("outsider", 404, False),
    ],
)
def test_the_page_answers_each_role_as_the_matrix_says(
    kind: str, role: str, get: int, records: bool, plan: Plan,
    client_for: Callable[[str], Client],
) -> None:  # fmt: skip
    meeting = board_meeting(plan, date(2019, 6, 1), kind=kind)
    fa = plan.focus_areas.get()
    client = client_for(role)
    response = client.get(page(meeting))
    assert response.status_code == get
    if get == 200:
        html = response.content.decode()
        assert ('name="focus_area"' in html) is records, role
        assert fa.name in html
    response = client.post(page(meeting), _data(fa))
    assert response.status_code == (302 if records else {200: 403}.get(get, get)), role
    assert BoardAssessment.objects.exists() is records
    if records:
        shown = client.get(page(meeting)).content.decode()
        assert "Delvist på rette vej" in shown and "Registreret af" in shown
        assert factories.persona(plan, role).username in shown


def test_an_ordinary_meeting_has_no_assessment_page(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = board_meeting(plan, date(2019, 6, 1))
    assert client_for("board").get(page(meeting)).status_code == 404
    response = client_for("board").post(page(meeting), _data(plan.focus_areas.get()))
    assert response.status_code == 404
    assert not BoardAssessment.objects.exists()


def test_a_future_meeting_shows_no_form_and_refuses_a_post(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = factories.MeetingFactory(
        plan=plan, body=board(plan), kind=CRITERIA, date=timezone.localdate() + timedelta(days=9)
    )
    client = client_for("board")
    assert 'name="focus_area"' not in client.get(page(meeting)).content.decode()
    response = client.post(page(meeting), _data(plan.focus_areas.get()))
    assert response.status_code == 200
    assert "Bestyrelsens vurdering registreres, når mødet er holdt" in response.content.decode()
    assert not BoardAssessment.objects.exists()


def test_bad_input_names_what_is_missing_and_writes_nothing(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = board_meeting(plan, date(2019, 6, 1), kind=CRITERIA)
    fa = plan.focus_areas.get()
    client = client_for("board")
    response = client.post(page(meeting), _data(fa, rating="", text=""))
    html = response.content.decode()
    assert "Vælg bestyrelsens vurdering. Intet er gemt." in html
    assert "Skriv bestyrelsens begrundelse. Intet er gemt." in html
    response = client.post(page(meeting), {**_data(fa), "focus_area": "999999"})
    assert response.status_code == 400
    assert "Vælg det indsatsområde, vurderingen gælder." in response.content.decode()
    assert not BoardAssessment.objects.exists()


def test_the_decisions_are_on_the_page_with_the_decision_form(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = board_meeting(plan, date(2019, 6, 1), kind=CRITERIA)
    services.decision_create(meeting=meeting, text="Aktiviteten styrkes i 2020.")
    html = client_for("board").get(page(meeting)).content.decode()
    assert "Aktiviteten styrkes i 2020." in html
    decide = reverse("meetings:decision_create", kwargs={"slug": plan.slug, "pk": meeting.pk})
    assert decide in html
    assert decide not in client_for("coordinator").get(page(meeting)).content.decode()


# --- what each assessment shows -------------------------------------------------------------


def test_the_status_assessment_shows_the_report_and_the_groups_evaluations(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    report = factories.StatusReportFactory(plan=plan)  # 2018 H2
    meeting = board_meeting(plan, date(2019, 3, 1), kind=STATUS, status_report=report)
    group = factories.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP, name="KG")
    follow_up = factories.BodyFactory(
        plan=plan, kind=Body.Kind.FOLLOW_UP_GROUP, area=plan.areas.get(slug="nord"),
        name="Følgegruppe Nord",
    )  # fmt: skip
    for body, on, minutes in [
        (group, date(2018, 11, 5), "Koordinationsgruppen: aktiviteterne leverer."),
        (follow_up, date(2018, 9, 10), "Følgegruppen: god effekt i Nord."),
        (group, date(2018, 3, 5), "Uden for perioden."),
    ]:
        services.meeting_create(
            plan=plan, body=body, kind="evaluation", date=on, minutes_text=minutes
        )
    services.meeting_create(
        plan=plan, body=group, kind="ordinary", date=date(2018, 10, 1), minutes_text="Ordinært."
    )
    html = client_for("coordinator").get(page(meeting)).content.decode()
    assert report.get_absolute_url() in html
    assert "Koordinationsgruppen: aktiviteterne leverer." in html
    assert "Følgegruppen: god effekt i Nord." in html
    assert "Uden for perioden." not in html and "Ordinært." not in html


def test_the_criteria_assessment_shows_status_activities_delivery_and_evaluations(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    fa = plan.focus_areas.get()
    criterion = factories.SuccessCriterionFactory(
        plan=plan, focus_area=fa, code="5.1.1", title="Færre påsatte brande"
    )
    factories.TargetFactory(criterion=criterion)
    factories.ObservationFactory(
        measure=criterion.measure, area=None, year=2019, value=Decimal(20), state="approved"
    )
    nord = plan.areas.get(slug="nord")
    activity = factories.ActivityFactory(
        plan=plan, focus_area=fa, name="Natteravne", success_criteria=[criterion], areas=[nord]
    )
    factories.PlannedQuantityFactory(activity=activity, area=nord, year=2019, quarter=1, quantity=4)
    for day in (10, 17, 24):
        factories.RegistrationFactory(activity=activity, area=nord, date=date(2019, 2, day))
    Evaluation.objects.create(
        activity=activity, period_start=date(2019, 1, 1), period_end=date(2019, 6, 30),
        rating="delvist", narrative="Færre brande, men få frivillige.",
        evaluated_on=date(2019, 7, 1),
    )  # fmt: skip
    Evaluation.objects.create(
        activity=activity, period_start=date(2018, 1, 1), period_end=date(2018, 12, 31),
        rating="ja", narrative="Evaluering fra 2018.", evaluated_on=date(2019, 1, 15),
    )  # fmt: skip
    unlinked = factories.SuccessCriterionFactory(plan=plan, focus_area=fa, title="Uden aktivitet")
    meeting = board_meeting(plan, date(2019, 11, 1), kind=CRITERIA)
    html = client_for("board").get(page(meeting)).content.decode()
    assert "5.1.1 Færre påsatte brande" in html
    assert "Opfyldt" in html  # 20 < 30 in 2019
    assert activity.get_absolute_url() in html and "Natteravne" in html
    # Three of four planned events in 2019 (3 is marked: an external copy shows it as <5).
    assert re.search(r"3 <small class=\"badge small-count\"[^>]*>.*?</small> / 4", html)
    assert "Færre brande, men få frivillige." in html
    assert "Evaluering fra 2018." not in html
    assert unlinked.title in html and "Ingen aktivitet er knyttet til kriteriet" in html
    # Another year's delivery on request.
    html = client_for("board").get(page(meeting) + "?aar=2018").content.decode()
    assert "Evaluering fra 2018." in html and "Færre brande, men få frivillige." not in html


# --- the calendar ---------------------------------------------------------------------------


def test_the_calendar_shows_each_years_two_assessments_held_and_assessed(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    status = board_meeting(plan, date(2019, 3, 1), kind=STATUS)
    criteria = board_meeting(plan, date(2019, 9, 1), kind=CRITERIA)
    factories.BoardAssessmentFactory(meeting=criteria, focus_area=plan.focus_areas.get())
    rows = board_assessments(plan, date(2020, 1, 10))
    assert [(r.kind, r.status) for r in rows[2019]] == [(STATUS, "held"), (CRITERIA, "assessed")]
    assert [r.status for r in rows[2018]] == ["overdue", "overdue"]
    assert [r.status for r in rows[2021]] == ["upcoming", "upcoming"]
    html = (
        client_for("auditor")
        .get(reverse("meetings:calendar", kwargs={"slug": plan.slug}) + "?aar=2019")
        .content.decode()
    )
    assert page(status) in html and page(criteria) in html
    assert "Vurderet" in html and "Holdt, ikke vurderet" in html
    assert "1 af 1 indsatsområder vurderet" in html and "0 af 1 indsatsområder vurderet" in html


def test_a_second_focus_area_without_assessment_leaves_the_meeting_unassessed(plan: Plan) -> None:
    meeting = board_meeting(plan, date(2019, 9, 1), kind=CRITERIA)
    factories.BoardAssessmentFactory(meeting=meeting, focus_area=plan.focus_areas.get())
    factories.FocusAreaFactory(plan=plan, code="5.2")
    rows = board_assessments(plan, date(2020, 1, 10))
    assert rows[2019][1].status == "held"
    assert rows[2019][1].meetings[0].assessed == 1


# --- queries do not grow with the plan ------------------------------------------------------


def _grow(plan: Plan, n: int) -> None:
    """n more focus areas, each with a criterion, a linked activity with a registration and
    an evaluation, an assessment at both meetings and an evaluation meeting with minutes."""
    nord = plan.areas.get(slug="nord")
    group = factories.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP)
    status, criteria = (Meeting.objects.get(plan=plan, kind=k) for k in (STATUS, CRITERIA))
    for i in range(n):
        fa = factories.FocusAreaFactory(plan=plan)
        criterion = factories.SuccessCriterionFactory(plan=plan, focus_area=fa)
        factories.TargetFactory(criterion=criterion)
        activity = factories.ActivityFactory(
            plan=plan, focus_area=fa, success_criteria=[criterion], areas=[nord]
        )
        factories.RegistrationFactory(activity=activity, area=nord, date=date(2019, 2, 1 + i))
        Evaluation.objects.create(
            activity=activity, period_start=date(2019, 1, 1), period_end=date(2019, 6, 30),
            rating="ja", narrative="Godt.", evaluated_on=date(2019, 7, 1),
        )  # fmt: skip
        for meeting in (status, criteria):
            factories.BoardAssessmentFactory(meeting=meeting, focus_area=fa)
        services.meeting_create(
            plan=plan, body=group, kind="evaluation", date=date(2018, 8, 1 + i), minutes_text="R"
        )
        services.decision_create(meeting=criteria, text=f"Beslutning {i}")


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_queries_are_constant_at_two_sizes(plan: Plan, client_for: Callable[[str], Client]) -> None:
    report = factories.StatusReportFactory(plan=plan)
    status = board_meeting(plan, date(2019, 3, 1), kind=STATUS, status_report=report)
    criteria = board_meeting(plan, date(2019, 9, 1), kind=CRITERIA)
    calendar = reverse("meetings:calendar", kwargs={"slug": plan.slug}) + "?aar=2019"
    client = client_for("board")
    paths = [page(status), page(criteria), calendar, status.get_absolute_url()]
    _grow(plan, 2)
    small = [_queries(client, p) for p in paths]
    _grow(plan, 6)
    assert [_queries(client, p) for p in paths] == small
