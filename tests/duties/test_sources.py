"""The sources of "Det skal gøres": each duty lands on the list of whoever must do it, and
on no one else's (a coordinator's areas, the municipality's measures and activities, what
waits for LBF), with a link to where it is done, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helhedsplan.accounts.access import PlanAccess, get_plan_access
from helhedsplan.activities.models import Activity, QuarterClosure
from helhedsplan.agreements.models import VersionStatus
from helhedsplan.criteria.models import Measure, Observation
from helhedsplan.duties.items import DueItem, Urgency
from helhedsplan.duties.lists import all_items, due_items
from helhedsplan.meetings.models import Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from tests import factories as f

pytestmark = pytest.mark.django_db

MAY_2019 = date(2019, 5, 14)


def access(plan: Plan, role: str) -> PlanAccess:
    return get_plan_access(f.persona(plan, role), plan.slug)


def items(plan: Plan, role: str, today: date = MAY_2019, kind: str = "") -> list[DueItem]:
    found = due_items(access(plan, role), today)
    return [i for i in found if not kind or i.kind == kind]


def keys(plan: Plan, role: str, today: date = MAY_2019, kind: str = "") -> set[str]:
    return {i.key for i in items(plan, role, today, kind)}


def _areas(plan: Plan) -> tuple[HousingArea, HousingArea]:
    north, south = plan.areas.filter(slug__in=["nord", "syd"]).order_by("order")
    return north, south


def _criterion(plan: Plan, **measure: object) -> tuple[Measure, list[HousingArea]]:
    """A criterion with a target on the total and on Nordparken, 2018-2021."""
    north, _south = _areas(plan)
    criterion = f.SuccessCriterionFactory(
        plan=plan,
        focus_area=plan.focus_areas.first(),
        measure=f.MeasureFactory(plan=plan, **measure),
    )
    f.TargetFactory(criterion=criterion, applies_to_total=True, areas=[north])
    return criterion.measure, [north]


# --- observations due ---------------------------------------------------------------------


def test_a_yearly_figure_is_due_from_new_year_and_overdue_after_the_default_deadline() -> None:
    plan = f.small_plan()
    measure, (north,) = _criterion(plan)
    found = {i.key: i for i in items(plan, "secretariat", kind="observation")}
    assert set(found) == {
        f"observation:{measure.pk}:{north.pk}:2018",
        f"observation:{measure.pk}:total:2018",
    }  # 2019's figure is not due before 1 January 2020
    item = found[f"observation:{measure.pk}:{north.pk}:2018"]
    assert item.due_from == date(2019, 1, 1)
    assert item.deadline == date(2019, 4, 1)  # OBSERVATION_DEADLINE_DAYS
    assert item.urgency(MAY_2019) is Urgency.OVERDUE
    assert item.urgency(date(2019, 2, 1)) is Urgency.DUE
    assert item.url.endswith("/registrer/?omraade=nord&aar=2018")


def test_a_registered_figure_in_any_state_is_no_longer_due() -> None:
    plan = f.small_plan()
    measure, (north,) = _criterion(plan)
    f.ObservationFactory(measure=measure, area=north, year=2018, state=Observation.State.DRAFT)
    f.ObservationFactory(measure=measure, area=None, year=2018, state=Observation.State.RETURNED)
    assert keys(plan, "secretariat", kind="observation") == set()


def test_only_areas_with_a_target_in_that_year_and_years_of_the_measure() -> None:
    plan = f.small_plan()
    _criterion(plan, first_year=2019)
    today = date(2021, 3, 1)
    due = keys(plan, "secretariat", today, kind="observation")
    years = {key.rsplit(":", 1)[1] for key in due}
    assert years == {"2019", "2020"}  # not 2018 (before the measure), not 2021 (not ended)
    south = plan.areas.get(slug="syd")
    assert not any(f":{south.pk}:" in key for key in due)  # no target for Sydparken


def test_only_the_years_a_target_is_set_for() -> None:
    plan = f.small_plan()
    criterion = f.SuccessCriterionFactory(plan=plan, focus_area=plan.focus_areas.first())
    f.TargetFactory(criterion=criterion, applies_to_total=True, first_year=2020)
    due = keys(plan, "secretariat", date(2021, 6, 1), kind="observation")
    assert due == {f"observation:{criterion.measure_id}:total:2020"}


def test_half_yearly_and_quarterly_are_due_after_their_first_period_per_forloeb_never() -> None:
    plan = f.small_plan()
    half, _ = _criterion(plan, frequency=Measure.Frequency.HALF_YEARLY)
    quarterly, _ = _criterion(plan, frequency=Measure.Frequency.QUARTERLY)
    period, _ = _criterion(plan, frequency=Measure.Frequency.PERIOD)
    found = items(plan, "secretariat", MAY_2019, kind="observation")
    by_measure = {(i.key.split(":")[1], i.key.split(":")[3]): i for i in found}
    assert by_measure[(str(half.pk), "2018")].due_from == date(2018, 7, 1)
    assert (str(half.pk), "2019") not in by_measure  # 2019 H1 ends 30 June
    assert by_measure[(str(quarterly.pk), "2019")].due_from == date(2019, 4, 1)
    assert not any(key == str(period.pk) for key, _year in by_measure)


def test_data_owner_decides_whose_list_the_figure_is_on() -> None:
    plan = f.small_plan()
    secretariat, _ = _criterion(plan)
    municipal, _ = _criterion(plan, data_owner=Measure.DataOwner.MUNICIPALITY)
    coordinators, (north,) = _criterion(plan, data_owner=Measure.DataOwner.COORDINATORS)

    def measures(role: str) -> set[str]:
        return {key.split(":")[1] for key in keys(plan, role, kind="observation")}

    # The secretariat sees all; the municipal registrar the municipality's measures (every
    # area and the total); the coordinator the coordinators' measures in their own area.
    assert measures("secretariat") == {str(m.pk) for m in (secretariat, municipal, coordinators)}
    assert measures("municipal") == {str(municipal.pk)}
    assert keys(plan, "coordinator", kind="observation") == {
        f"observation:{coordinators.pk}:{north.pk}:2018"
    }
    for role in ("board", "lbf", "auditor"):
        assert keys(plan, role, kind="observation") == set()


def test_a_coordinator_never_sees_another_areas_figure() -> None:
    plan = f.small_plan()
    _north, south = _areas(plan)
    criterion = f.SuccessCriterionFactory(
        plan=plan,
        focus_area=plan.focus_areas.first(),
        measure=f.MeasureFactory(plan=plan, data_owner=Measure.DataOwner.COORDINATORS),
    )
    f.TargetFactory(criterion=criterion, applies_to_total=False, areas=[south])
    assert keys(plan, "coordinator", kind="observation") == set()  # persona: Nordparken


# --- approvals and figures sent back ------------------------------------------------------


def test_drafts_wait_for_the_secretariats_approval() -> None:
    plan = f.small_plan()
    measure, (north,) = _criterion(plan)
    obs = f.ObservationFactory(measure=measure, area=north, year=2018)
    Observation.objects.filter(pk=obs.pk).update(registered_at=datetime(2019, 5, 1, tzinfo=UTC))
    (item,) = items(plan, "secretariat", kind="approval")
    assert item.key == f"approval:{obs.pk}"
    assert item.url.endswith("/succeskriterier/godkendelser/")
    assert item.deadline == date(2019, 5, 15)
    for role in ("coordinator", "municipal", "board", "lbf", "auditor"):
        assert items(plan, role, kind="approval") == []


def test_a_returned_figure_goes_back_to_whoever_registers_it() -> None:
    plan = f.small_plan()
    north, south = _areas(plan)
    measure, _ = _criterion(plan, data_owner=Measure.DataOwner.COORDINATORS)
    own = f.ObservationFactory(
        measure=measure, area=north, year=2018, state=Observation.State.RETURNED,
        returned_at=timezone.now(), return_comment="Tjek nævneren.",
    )  # fmt: skip
    f.ObservationFactory(
        measure=measure, area=south, year=2018, state=Observation.State.RETURNED,
        returned_at=timezone.now(),
    )  # fmt: skip
    today = timezone.localdate()
    (item,) = items(plan, "coordinator", today, kind="returned")
    assert item.key == f"returned:{own.pk}"
    assert item.detail == "Tjek nævneren."
    assert "omraade=nord&aar=2018" in item.url
    assert len(items(plan, "secretariat", today, kind="returned")) == 2
    assert items(plan, "municipal", today, kind="returned") == []


# --- quarters and registrations -----------------------------------------------------------


def test_ended_quarters_not_closed_are_the_secretariats() -> None:
    plan = f.small_plan()
    QuarterClosure.objects.create(plan=plan, year=2018, quarter=1)
    assert keys(plan, "secretariat", date(2018, 10, 2), kind="quarter") == {
        "quarter:2018:2",
        "quarter:2018:3",
    }
    assert keys(plan, "board", date(2018, 10, 2), kind="quarter") == set()


def test_activities_without_registrations_this_quarter_per_registration_scope() -> None:
    plan = f.small_plan()
    north, south = _areas(plan)
    fa = plan.focus_areas.first()
    own = f.ActivityFactory(plan=plan, focus_area=fa, areas=[north, south], name="Lektiecafé")
    municipal = f.ActivityFactory(
        plan=plan, focus_area=fa, areas=[south], responsible=Activity.Responsible.MUNICIPALITY
    )
    f.ActivityFactory(plan=plan, focus_area=fa, areas=[north], end_date=date(2019, 1, 31))
    f.RegistrationFactory(activity=own, area=south, date=date(2019, 4, 20))

    secretariat = {i.key: i for i in items(plan, "secretariat", kind="registration")}
    assert set(secretariat) == {
        f"registration:{own.pk}:2019:2",
        f"registration:{municipal.pk}:2019:2",
    }
    lektie = secretariat[f"registration:{own.pk}:2019:2"]
    assert "Nordparken" in lektie.detail and "Sydparken" not in lektie.detail
    assert lektie.url.endswith(f"?aktivitet={own.slug}")
    assert (lektie.due_from, lektie.deadline) == (date(2019, 4, 1), date(2019, 6, 30))
    # The coordinator (Nordparken): any activity there; the municipality: its own anywhere.
    assert keys(plan, "coordinator", kind="registration") == {f"registration:{own.pk}:2019:2"}
    assert keys(plan, "municipal", kind="registration") == {f"registration:{municipal.pk}:2019:2"}
    assert keys(plan, "board", kind="registration") == set()
    # Outside the plan's period there is no quarter to register for.
    assert keys(plan, "secretariat", date(2022, 2, 1), kind="registration") == set()


# --- meetings -----------------------------------------------------------------------------


def test_a_held_meeting_without_minutes_is_due_for_the_secretariat() -> None:
    plan = f.small_plan()
    missing = f.MeetingFactory(plan=plan, date=date(2019, 5, 1))
    f.MeetingFactory(plan=plan, date=date(2019, 5, 2), minutes_text="Referat.")
    f.MeetingFactory(plan=plan, date=date(2019, 6, 1))  # not held yet
    (item,) = items(plan, "secretariat", kind="minutes")
    assert item.key == f"minutes:{missing.pk}"
    assert item.url == missing.get_absolute_url()
    assert item.deadline == date(2019, 5, 15)
    assert items(plan, "board", kind="minutes") == []


def test_required_meetings_link_to_the_form_with_their_type() -> None:
    plan = f.small_plan()
    found = {i.key: i for i in items(plan, "secretariat", kind="meeting")}
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    key = f"meeting:{board.pk}:{Meeting.Kind.BOARD_STATUS_ASSESSMENT}:2018"
    assert found[key].url.endswith(
        f"/moeder/nyt/?organ={board.slug}&kind={Meeting.Kind.BOARD_STATUS_ASSESSMENT}"
    )
    assert found[key].urgency(MAY_2019) is Urgency.OVERDUE


def test_the_boards_assessments() -> None:
    plan = f.small_plan()
    second = FocusArea.objects.create(plan=plan, code="5.2", name="Uddannelse", order=2)
    held = f.MeetingFactory(
        plan=plan, kind=Meeting.Kind.BOARD_CRITERIA_ASSESSMENT, date=date(2019, 5, 1)
    )
    f.BoardAssessmentFactory(meeting=held, focus_area=plan.focus_areas.get(code="5.1"))
    # Held with 5.2 not assessed: the board member and the secretariat, to the meeting.
    for role in ("board", "secretariat"):
        (item,) = (
            items(plan, role, kind="assessment")
            if role == "secretariat"
            else [
                i for i in items(plan, role, kind="assessment") if i.key.startswith("assessment:")
            ]
        )
        assert item.key == f"assessment:{held.pk}"
        assert item.url == held.get_absolute_url()
        assert "5.2 Uddannelse" in item.detail and "5.1" not in item.detail
    f.BoardAssessmentFactory(meeting=held, focus_area=second)
    assert not any(k.startswith("assessment:") for k in keys(plan, "board"))
    # The status assessment of 2019 is not held: board members see it (to the calendar);
    # the secretariat has it among the required meetings, with the link that creates it.
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    key = f"meeting:{board.pk}:{Meeting.Kind.BOARD_STATUS_ASSESSMENT}:2019"
    board_items = {i.key: i for i in items(plan, "board", kind="assessment")}
    assert board_items[key].url.endswith("/moeder/kalender/?aar=2019")
    assert f"meeting:{board.pk}:{Meeting.Kind.BOARD_CRITERIA_ASSESSMENT}:2019" not in board_items
    assert "/moeder/nyt/" in {i.key: i for i in items(plan, "secretariat")}[key].url
    for role in ("coordinator", "municipal", "lbf", "auditor"):
        assert items(plan, role, kind="assessment") == []


# --- status reports -----------------------------------------------------------------------


def test_each_ended_half_year_without_an_issued_report_is_due() -> None:
    plan = f.small_plan()
    today = date(2019, 2, 1)
    assert keys(plan, "secretariat", today, kind="statusreport") == {
        "statusreport:2018:H1",
        "statusreport:2018:H2",
    }
    f.StatusReportFactory(plan=plan)  # issued, 2018 H2
    f.StatusReportFactory(
        plan=plan, period_start=date(2018, 1, 1), period_end=date(2018, 6, 30), state="draft"
    )
    (item,) = items(plan, "secretariat", today, kind="statusreport")
    assert item.key == "statusreport:2018:H1"  # a draft does not cover it
    assert item.url.endswith("/statusrapporter/")
    assert item.deadline == date(2018, 8, 29)  # 60 days after 30 June
    assert items(plan, "board", today, kind="statusreport") == []


# --- the agreement ------------------------------------------------------------------------


def test_a_sub_agreement_past_review_is_the_boards_and_the_secretariats() -> None:
    plan = f.small_plan()
    fa = plan.focus_areas.get()
    f.SubAgreementVersionFactory(
        focus_area=fa, status=VersionStatus.APPROVED, in_force_from=date(2018, 1, 1)
    )
    for role in ("board", "secretariat"):
        (item,) = items(plan, role, date(2019, 2, 1), kind="review")
        assert item.urgency(date(2019, 2, 1)) is Urgency.OVERDUE
        assert item.url.endswith(f"/delaftaler/{fa.code}/")
    assert items(plan, "board", date(2018, 6, 1), kind="review") == []  # not yet due
    assert items(plan, "coordinator", date(2019, 2, 1), kind="review") == []


def test_lbf_sees_what_waits_for_lbf_and_nothing_else() -> None:
    plan = f.small_plan()
    f.agreement_version(plan, status=VersionStatus.APPROVED, in_force_from=date(2018, 1, 1))
    submitted = f.agreement_version(plan, status=VersionStatus.SUBMITTED)
    submitted.submitted_at = datetime(2019, 5, 1, tzinfo=UTC)
    submitted.save()
    _criterion(plan)
    f.MeetingFactory(plan=plan, date=date(2019, 5, 1))
    lbf = items(plan, "lbf")
    assert [i.key for i in lbf] == [f"lbf:{submitted.pk}"]
    assert lbf[0].url.endswith("/aftale/version/2/")
    assert items(plan, "secretariat", kind="lbf") == []


def test_a_version_lbf_returned_is_the_secretariats() -> None:
    plan = f.small_plan()
    returned = f.agreement_version(plan, status=VersionStatus.RETURNED)
    returned.lbf_remarks = "Uddyb afsnit 5."
    returned.save()
    (item,) = items(plan, "secretariat", timezone.localdate(), kind="version_returned")
    assert item.detail == "Uddyb afsnit 5."
    assert items(plan, "lbf", timezone.localdate()) == []


def test_missing_attachments_are_the_secretariats() -> None:
    plan = f.small_plan()
    found = items(plan, "secretariat", kind="attachment")
    assert found and all(i.url.endswith("/bilag/") for i in found)
    assert all(i.key.startswith("attachment:") for i in found)
    assert items(plan, "board", kind="attachment") == []


# --- programme evaluations ----------------------------------------------------------------


def test_a_plan_without_evaluations_is_told_to_create_those_the_framework_dates() -> None:
    """No ProgrammeEvaluation rows yet: the framework's dates (2019-01, 2021-12) ask the
    secretariat to create them, linking to the evaluations' list."""
    plan = f.small_plan()
    (item,) = items(plan, "secretariat", date(2019, 1, 10), kind="programme_evaluation")
    assert item.key == "programme_evaluation:2019-01"
    assert item.title.startswith("Opret helhedsevaluering 1")
    assert item.url.endswith("/helhedsevaluering/")
    assert (item.due_from, item.deadline) == (date(2018, 12, 1), date(2019, 1, 31))
    assert items(plan, "secretariat", date(2018, 11, 1), kind="programme_evaluation") == []
    assert items(plan, "board", date(2019, 1, 10), kind="programme_evaluation") == []


def test_a_created_evaluation_replaces_the_frameworks_item_by_its_number() -> None:
    plan = f.small_plan()
    evaluation = f.ProgrammeEvaluationFactory(
        plan=plan, number=1, due_from=date(2018, 10, 1), due_by=date(2019, 3, 31)
    )
    found = items(plan, "secretariat", date(2022, 1, 1), kind="programme_evaluation")
    assert {i.key for i in found} == {
        f"programme_evaluation:{evaluation.pk}:report",
        "programme_evaluation:2021-12",  # number 2 is not created yet
    }


def test_a_marked_done_duty_of_old_no_longer_hides_the_evaluation() -> None:
    """``DutyDone`` rows are history: the evaluation's own rows decide now."""
    plan = f.small_plan()
    f.DutyDoneFactory(plan=plan)
    assert keys(plan, "secretariat", date(2019, 1, 10), kind="programme_evaluation") == {
        "programme_evaluation:2019-01"
    }


# --- the list as a whole ------------------------------------------------------------------


def test_newest_deadline_first() -> None:
    plan = f.small_plan()
    _criterion(plan)
    found = items(plan, "secretariat", date(2020, 2, 1))
    deadlines = [i.deadline for i in found]
    assert len(found) > 5
    assert deadlines == sorted(deadlines, reverse=True)


def test_the_auditor_has_nothing_to_do() -> None:
    plan = f.small_plan()
    _criterion(plan)
    f.MeetingFactory(plan=plan, date=date(2019, 5, 1))
    assert items(plan, "auditor") == []


def test_a_closed_plan_has_an_empty_list() -> None:
    plan = f.small_plan()
    _criterion(plan)
    assert items(plan, "secretariat")
    plan.closed_at = timezone.now()
    plan.save()
    for role in f.ROLES:
        assert items(plan, role) == []


def _grow(plan: Plan, n: int) -> None:
    """``n`` more of everything the sources read."""
    fa = plan.focus_areas.first()
    for i in range(n):
        area = f.HousingAreaFactory(plan=plan, order=10 + i)
        measure, _ = _criterion(plan, data_owner=Measure.DataOwner.COORDINATORS)
        criterion = measure.criteria.get()
        criterion.targets.get().areas.add(area)
        f.ObservationFactory(measure=measure, area=area, year=2018)
        f.ObservationFactory(
            measure=measure, area=None, year=2019, state=Observation.State.RETURNED
        )
        activity = f.ActivityFactory(plan=plan, focus_area=fa, areas=[area, *_areas(plan)])
        f.RegistrationFactory(activity=activity, area=area, date=date(2019, 4, 2))
        f.MeetingFactory(plan=plan, date=date(2019, 1, 1 + i))
        f.MeetingFactory(
            plan=plan, kind=Meeting.Kind.BOARD_STATUS_ASSESSMENT, date=date(2019, 2, 1 + i)
        )
        number = FocusArea.objects.filter(plan=plan).count()
        other = FocusArea.objects.create(plan=plan, code=f"6.{number}", name=f"FA {number}")
        f.SubAgreementVersionFactory(
            focus_area=other, status=VersionStatus.APPROVED, in_force_from=date(2018, 1, 1)
        )
        f.agreement_version(plan, status=VersionStatus.RETURNED)
        f.StatusReportFactory(
            plan=plan, period_start=date(2018, 1, 1), period_end=date(2018, 6, 30), state="draft"
        )
        evaluation = f.ProgrammeEvaluationFactory(plan=plan, due_by=date(2019, 6, 1))
        reported = f.ProgrammeEvaluationFactory(plan=plan, due_by=date(2019, 3, 1), reported=True)
        f.EvaluationQuestionFactory(evaluation=evaluation)
        f.EvaluationFindingFactory(evaluation=reported)
        f.FindingFollowUpFactory(finding=f.EvaluationFindingFactory(evaluation=reported))


@pytest.mark.parametrize("role", ["secretariat", "coordinator", "municipal", "board", "lbf"])
def test_the_whole_list_runs_a_fixed_number_of_queries(role: str) -> None:
    plan = f.small_plan()
    f.persona(plan, role)
    _grow(plan, 1)

    def count() -> int:
        user_access = access(plan, role)
        with CaptureQueriesContext(connection) as ctx:
            all_items(user_access, MAY_2019)
        return len(ctx.captured_queries)

    small = count()
    _grow(plan, 4)
    assert count() == small
