"""Period locking: an issued status report locks its period's approved observations and its
registrations; a later change is a correction with a reason, stored as a PeriodCorrection,
in the audit trail, and marked on the pages. On the factory plan (areas nord and syd), with
the 2018 H2 report issued as version 1 (``StatusReportFactory``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.access import EVERYWHERE
from helhedsplan.accounts.models import User
from helhedsplan.activities import services as activity_services
from helhedsplan.activities.models import Activity, Registration
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria import services
from helhedsplan.criteria.models import Observation, SuccessCriterion
from helhedsplan.plans.models import Plan
from helhedsplan.statusreports import locking
from helhedsplan.statusreports.models import PeriodCorrection, StatusReport
from tests.editing import form_data, opened_version
from tests.factories import (
    ActivityFactory,
    HousingAreaFactory,
    MeasureFactory,
    ObservationFactory,
    RegistrationFactory,
    StatusReportFactory,
    SuccessCriterionFactory,
)

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]
MESSAGE = (
    "Perioden er låst af statusrapporten 2018, 2. halvår (version 1). Angiv en begrundelse "
    "for rettelsen."
)
LOCKED_DAY = date(2018, 10, 12)
OPEN_DAY = date(2019, 3, 4)


@pytest.fixture
def report(plan: Plan) -> StatusReport:
    return StatusReportFactory(plan=plan)  # 2018 H2, issued now, version 1


@pytest.fixture
def criterion(plan: Plan) -> SuccessCriterion:
    measure = MeasureFactory(plan=plan, slug="brande", name="Påsatte brande")
    return SuccessCriterionFactory(
        plan=plan, code="5.1.1", measure=measure, focus_area=plan.focus_areas.get(code="5.1")
    )


def _approved(criterion: SuccessCriterion, year: int = 2018, **kw: Any) -> Observation:
    """An approved figure for Nordparken, approved the day before now (before the report)."""
    values: dict[str, Any] = {
        "measure": criterion.measure,
        "area": criterion.plan.areas.get(slug="nord"),
        "year": year,
        "value": Decimal(25),
        "state": Observation.State.APPROVED,
        "approved_at": timezone.now() - timedelta(days=1),
        **kw,
    }
    return ObservationFactory(**values)


def _correct(obs: Observation, value: str, reason: str = "", user: Any = None) -> Observation:
    return services.observation_register(
        measure=obs.measure, area=obs.area, year=obs.year, value=Decimal(value),
        source_note=obs.source_note, may_correct_approved=True, reason=reason, user=user,
    )  # fmt: skip


def _codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]  # type: ignore[misc]


def _activity(plan: Plan) -> Any:
    found = Activity.objects.filter(plan=plan, name="Lektiecafé").first()
    return found or ActivityFactory(
        plan=plan, areas=[plan.areas.get(slug="nord")], name="Lektiecafé"
    )


def _register(plan: Plan, day: date, reason: str = "", user: Any = None) -> Registration:
    return activity_services.registration_create(
        plan=plan, scope=EVERYWHERE, user=user, activity=_activity(plan),
        area=plan.areas.get(slug="nord"), date=day, counts={"n_13_17_f": 4}, reason=reason,
    )  # fmt: skip


def _update(registration: Registration, reason: str = "", user: Any = None, **kw: Any) -> Any:
    values: dict[str, Any] = {
        "plan": registration.plan, "scope": EVERYWHERE, "registration": registration,
        "activity": registration.activity, "area": registration.area,
        "date": registration.date, "counts": registration.counts(),
        "volunteers": registration.volunteers, "note": registration.note, "reason": reason,
        "user": user, **kw,
    }  # fmt: skip
    return activity_services.registration_update(**values)


# --- the rules -------------------------------------------------------------------------------


def test_a_registration_is_locked_when_an_issued_report_covers_its_date(
    plan: Plan, report: StatusReport
) -> None:
    locks = locking.locked_periods(plan)
    assert locks.registration(LOCKED_DAY) == report
    assert locks.registration(date(2018, 7, 1)) == report
    assert locks.registration(date(2018, 12, 31)) == report
    assert locks.registration(date(2018, 6, 30)) is None
    assert locks.registration(OPEN_DAY) is None


def test_a_draft_report_locks_nothing(plan: Plan, criterion: SuccessCriterion) -> None:
    StatusReportFactory(plan=plan, state=StatusReport.State.DRAFT)
    locks = locking.locked_periods(plan)
    assert locks.registration(LOCKED_DAY) is None
    assert locks.observation(_approved(criterion)) is None


def test_only_approved_figures_of_the_year_approved_before_the_issue_are_locked(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion
) -> None:
    locks = locking.locked_periods(plan)
    assert locks.observation(_approved(criterion)) == report
    # approved without a recorded time: counts as approved before
    assert locks.observation(_approved(criterion, area=None, approved_at=None)) == report
    later = _approved(criterion, area=plan.areas.get(slug="syd"))
    assert report.issued_at is not None
    later.approved_at = report.issued_at + timedelta(minutes=1)
    assert locks.observation(later) is None
    assert locks.observation(_approved(criterion, year=2019)) is None
    draft = ObservationFactory(measure=criterion.measure, area=None, year=2018, variant="b")
    assert locks.observation(draft) is None
    # once corrected under the report, it stays locked by it (the correction re-approves)
    assert locks.observation(later, [report.pk]) == report


def test_a_superseded_reports_lock_passes_to_the_report_superseding_it(
    plan: Plan, criterion: SuccessCriterion
) -> None:
    first = StatusReportFactory(
        plan=plan, state=StatusReport.State.SUPERSEDED,
        issued_at=timezone.now() - timedelta(hours=2),
    )  # fmt: skip
    second = StatusReportFactory(
        plan=plan, version=2, supersedes=first, period_start=date(2018, 7, 1),
        period_end=date(2019, 6, 30), supersede_reason="Forlænget periode",
    )  # fmt: skip
    obs = _approved(criterion, approved_at=timezone.now() - timedelta(hours=3))
    locks = locking.locked_periods(plan)
    assert locks.observation(obs) == second  # the first's year 2018, locked now by the second
    assert locks.registration(LOCKED_DAY) == second
    assert locks.registration(date(2019, 5, 1)) == second
    assert locks.head_of == {first.pk: second, second.pk: second}


def test_a_superseded_report_alone_locks_nothing(plan: Plan, criterion: SuccessCriterion) -> None:
    first = StatusReportFactory(plan=plan, state=StatusReport.State.SUPERSEDED)
    StatusReportFactory(plan=plan, state=StatusReport.State.DRAFT, supersedes=first)
    locks = locking.locked_periods(plan)
    assert not locks
    assert locks.registration(LOCKED_DAY) is None
    assert locks.observation(_approved(criterion)) is None


# --- observations ----------------------------------------------------------------------------


def test_a_locked_observation_is_refused_without_a_reason(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion
) -> None:
    obs = _approved(criterion)
    with pytest.raises(ValidationError) as exc:
        _correct(obs, "27")
    assert _codes(exc.value) == ["period_locked"]
    assert exc.value.error_dict["reason"][0].messages == [MESSAGE]
    obs.refresh_from_db()
    assert obs.value == 25 and not PeriodCorrection.objects.filter(plan=plan).exists()


def test_a_locked_observation_is_corrected_with_a_reason(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion, persona: Callable[[str], User]
) -> None:
    obs = _approved(criterion, source_note="Politiet")
    user = persona("secretariat")
    reason = "Politiet har rettet tallet"
    corrected = _correct(obs, "27", reason, user)
    assert corrected.value == 27 and corrected.is_approved
    [correction] = PeriodCorrection.objects.all()
    assert (correction.report, correction.kind, correction.object_id) == (
        report, "observation", obs.pk,
    )  # fmt: skip
    assert correction.old == {"value": "25"} and correction.new == {"value": "27"}
    assert correction.label == "Påsatte brande: Nordparken 2018"
    assert correction.reason == reason and correction.corrected_by == user
    entry = AuditEntry.objects.get_for_object(obs).latest("pk")
    assert entry.reason == reason and entry.changes["value"] == ["25.0000", "27"]
    # corrected, it stays locked (its approval time is now after the report's issue)
    with pytest.raises(ValidationError) as exc:
        _correct(obs, "28")
    assert _codes(exc.value) == ["period_locked"]


def test_unlocked_years_and_drafts_are_unaffected(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion
) -> None:
    open_year = _approved(criterion, year=2019)
    with pytest.raises(ValidationError) as exc:
        _correct(open_year, "30")
    assert _codes(exc.value) == ["reason_required"]  # the ordinary rule for approved figures
    _correct(open_year, "30", "Tastefejl")
    draft = ObservationFactory(measure=criterion.measure, area=None, year=2018, value=3)
    services.observation_register(
        measure=criterion.measure, area=None, year=2018, value=Decimal(4)
    )  # a draft in the locked year: no reason
    draft.refresh_from_db()
    assert draft.value == 4 and not PeriodCorrection.objects.filter(plan=plan).exists()


def test_the_import_refuses_a_locked_figure_even_with_a_reason(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion
) -> None:
    _approved(criterion, source_note="Politiet")
    rows = [
        services.ImportRow(2, "5.1.1", "syd", 2018, Decimal(9), None, None, "Politiet"),
        services.ImportRow(3, "5.1.1", "nord", 2018, Decimal(26), None, None, "Politiet"),
    ]
    with pytest.raises(services.ImportFailed) as exc:
        services.observations_import(
            plan=plan, rows=rows, may_correct_approved=True, reason="Nye tal fra politiet"
        )
    [error] = exc.value.errors
    assert (error.line, error.column, error.code) == (3, "værdi", "period_locked")
    assert "Række 3, kolonne »værdi«: Tallet for Nordparken 2018 (25) er låst af " in str(error)
    assert "statusrapporten 2018, 2. halvår (version 1)" in str(error)
    assert Observation.objects.filter(measure=criterion.measure).count() == 1  # nothing written
    assert not PeriodCorrection.objects.filter(plan=plan).exists()


def test_the_import_changes_unlocked_figures_as_before(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion
) -> None:
    _approved(criterion, year=2019, source_note="Politiet")
    rows = [services.ImportRow(2, "5.1.1", "nord", 2019, Decimal(26), None, None, "Politiet")]
    written = services.observations_import(
        plan=plan, rows=rows, may_correct_approved=True, reason="Nye tal"
    )
    assert written == 1 and not PeriodCorrection.objects.filter(plan=plan).exists()


# --- registrations ---------------------------------------------------------------------------


def test_a_registration_dated_in_a_locked_period_needs_a_reason(
    plan: Plan, report: StatusReport, persona: Callable[[str], User]
) -> None:
    with pytest.raises(ValidationError) as exc:
        _register(plan, LOCKED_DAY)
    assert _codes(exc.value) == ["period_locked"]
    assert exc.value.error_dict["reason"][0].messages == [MESSAGE]
    assert not Registration.objects.filter(plan=plan).exists()
    user = persona("secretariat")
    registration = _register(plan, LOCKED_DAY, "Glemt i oktober", user)
    [correction] = PeriodCorrection.objects.all()
    assert correction.kind == "registration" and correction.object_id == registration.pk
    assert correction.old == {}
    assert correction.new["n_13_17_f"] == 4 and correction.new["date"] == "2018-10-12"
    assert correction.corrected_by == user and correction.reason == "Glemt i oktober"
    entry = AuditEntry.objects.get_for_object(registration).latest("pk")
    assert entry.reason == "Glemt i oktober"


def test_a_registration_outside_locked_periods_needs_none(plan: Plan, report: StatusReport) -> None:
    registration = _register(plan, OPEN_DAY)
    _update(registration, counts={"n_13_17_f": 5})
    assert not PeriodCorrection.objects.filter(plan=plan).exists()


def test_a_locked_registration_is_changed_only_with_a_reason(
    plan: Plan, report: StatusReport, persona: Callable[[str], User]
) -> None:
    nord = plan.areas.get(slug="nord")
    registration = RegistrationFactory(
        plan=plan, activity=_activity(plan), area=nord, date=LOCKED_DAY
    )
    _update(registration)  # nothing changes: no reason needed, nothing corrected
    with pytest.raises(ValidationError) as exc:
        _update(registration, counts={"n_25_64_f": 3, "n_25_64_m": 4})
    assert _codes(exc.value) == ["period_locked"]
    registration.refresh_from_db()
    assert registration.participants == 5
    user = persona("secretariat")
    _update(registration, "Tastefejl", user, counts={"n_25_64_f": 3, "n_25_64_m": 4})
    [correction] = PeriodCorrection.objects.all()
    assert correction.old == {"n_25_64_m": 2} and correction.new == {"n_25_64_m": 4}
    entry = AuditEntry.objects.get_for_object(registration).latest("pk")
    assert entry.reason == "Tastefejl"


def test_moving_a_registration_into_a_locked_period_needs_a_reason(
    plan: Plan, report: StatusReport
) -> None:
    registration = _register(plan, OPEN_DAY)
    with pytest.raises(ValidationError) as exc:
        _update(registration, date=LOCKED_DAY)
    assert _codes(exc.value) == ["period_locked"]
    _update(registration, "Forkert dato", date=LOCKED_DAY)
    [correction] = PeriodCorrection.objects.all()
    assert correction.old == {"date": "2019-03-04"} and correction.new == {"date": "2018-10-12"}


def test_many_registrations_at_once_refuse_a_locked_period(
    plan: Plan, report: StatusReport
) -> None:
    activity = _activity(plan)
    rows = [
        activity_services.RegistrationRow(activity, plan.areas.get(slug="nord"), day, {"n_65_f": 1})
        for day in (OPEN_DAY, LOCKED_DAY)
    ]
    with pytest.raises(ValidationError) as exc:
        activity_services.registrations_create(
            plan=plan, scope=EVERYWHERE, user=None, rows=rows, reason="Samlet indlæsning"
        )
    assert _codes(exc.value) == ["period_locked"]
    assert not Registration.objects.filter(plan=plan).exists()


def test_corrections_since_lists_the_corrections_after_a_moment(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion
) -> None:
    first = _register(plan, LOCKED_DAY, "Glemt")
    moment = timezone.now()
    _correct(_approved(criterion), "27", "Rettet af politiet")
    assert [c.kind for c in locking.corrections_since(plan, None)] == [
        "registration", "observation",
    ]  # fmt: skip
    assert locking.corrections_since(plan, None)[0].object_id == first.pk
    [later] = locking.corrections_since(plan, moment)
    assert later.kind == "observation" and later.report == report
    assert locking.corrections_since(plan.pk, timezone.now()) == []


# --- forms and pages -------------------------------------------------------------------------


def _criterion_url(plan: Plan, name: str = "criteria:criterion") -> str:
    return reverse(name, kwargs={"slug": plan.slug, "code": "5.1.1"})


def test_the_observation_form_requires_a_reason_only_when_the_figure_is_locked(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion, client_for: Clients
) -> None:
    obs = _approved(criterion)
    _approved(criterion, year=2019)
    client = client_for("secretariat")
    url = _criterion_url(plan, "criteria:observation_new")
    unlocked = client.get(url + "?omraade=nord&aar=2019")
    assert 'data-testid="locked-note"' not in unlocked.content.decode()
    assert unlocked.context["form"].fields["reason"].required is False
    page = client.get(url + "?omraade=nord&aar=2018")
    html = page.content.decode()
    assert 'data-testid="locked-note"' in html
    assert "statusrapporten 2018, 2. halvår (version 1)" in html
    assert page.context["form"].fields["reason"].required is True
    data = {**form_data(page), "value": "27", "version": opened_version(page)}
    refused = client.post(url + "?omraade=nord&aar=2018", {**data, "reason": ""})
    assert refused.status_code == 200 and MESSAGE in refused.content.decode()
    done = client.post(url + "?omraade=nord&aar=2018", {**data, "reason": "Politiets rettelse"})
    assert done.status_code == 302
    obs.refresh_from_db()
    assert obs.value == 27 and PeriodCorrection.objects.get().reason == "Politiets rettelse"


def test_the_criterion_page_marks_corrected_and_locked_figures(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion, client_for: Clients
) -> None:
    _correct(_approved(criterion), "27", "Politiets rettelse")
    _approved(criterion, area=plan.areas.get(slug="syd"))
    html = client_for("board").get(_criterion_url(plan)).content.decode()
    assert html.count('data-testid="corrected"') == 1
    assert "Rettet efter statusrapport 2018, 2. halvår (version 1)" in html
    assert "»Politiets rettelse«" in html
    assert html.count('data-testid="locked"') == 1  # Sydparken: locked, not corrected
    assert "Låst af statusrapport 2018, 2. halvår (version 1)" in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_markings_cost_the_same_queries_for_one_or_many(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion, client_for: Clients
) -> None:
    client = client_for("secretariat")
    areas = [HousingAreaFactory(plan=plan, slug=f"ekstra-{n}") for n in range(4)]
    figures = [_approved(criterion, area=area) for area in areas]
    _register(plan, LOCKED_DAY, "Glemt")
    page, registrations = (
        _criterion_url(plan),
        reverse("activities:registrations", args=[plan.slug]),
    )
    _correction(report, figures[0])
    small = (_queries(client, page), _queries(client, registrations))
    for figure in figures[1:]:
        _correction(report, figure)  # more corrected figures (no audit entries: the page's
        # audit section grows with those on its own)
    for day in (date(2018, 7, 2), date(2018, 8, 3), date(2018, 9, 4)):
        _register(plan, day, "Glemt")
    assert PeriodCorrection.objects.count() == 8
    assert (_queries(client, page), _queries(client, registrations)) == small
    html = client.get(page).content.decode()
    assert html.count('data-testid="corrected"') == 4
    with CaptureQueriesContext(connection) as ctx:
        locking.mark_observations(plan, figures)
    assert len(ctx.captured_queries) == 2


def _correction(report: StatusReport, obs: Observation) -> PeriodCorrection:
    return PeriodCorrection.objects.create(
        plan=report.plan, report=report, kind="observation", observation=obs,
        label=str(obs), old={"value": "24"}, new={"value": "25"}, reason="Rettet",
    )  # fmt: skip


def test_the_registration_list_marks_corrected_registrations(
    plan: Plan, report: StatusReport, client_for: Clients
) -> None:
    _register(plan, LOCKED_DAY, "Glemt i oktober")
    _register(plan, OPEN_DAY)
    html = client_for("board").get(reverse("activities:registrations", args=[plan.slug]))
    text = html.content.decode()
    assert text.count('data-testid="corrected"') == 1
    assert "Rettet efter statusrapport 2018, 2. halvår (version 1)" in text
    assert "»Glemt i oktober«" in text


def test_the_registration_form_requires_a_reason_only_when_locked(
    plan: Plan, report: StatusReport, client_for: Clients
) -> None:
    locked = RegistrationFactory(plan=plan, activity=_activity(plan),
                                 area=plan.areas.get(slug="nord"), date=LOCKED_DAY)  # fmt: skip
    unlocked = _register(plan, OPEN_DAY)
    client = client_for("secretariat")
    open_page = client.get(reverse("activities:registration_edit", args=[plan.slug, unlocked.pk]))
    assert open_page.context["form"].fields["reason"].required is False
    assert 'data-testid="locked-note"' not in open_page.content.decode()
    url = reverse("activities:registration_edit", args=[plan.slug, locked.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'data-testid="locked-note"' in html and "Begrundelse for rettelsen" in html
    assert "statusrapporten 2018, 2. halvår (version 1)" in html
    data = {**form_data(page), "n_25_64_m": "4"}
    refused = client.post(url, {**data, "reason": ""})
    assert refused.status_code == 200 and MESSAGE in refused.content.decode()
    assert client.post(url, {**data, "reason": "Tastefejl"}).status_code == 302
    locked.refresh_from_db()
    assert locked.participants == 7
    assert PeriodCorrection.objects.get().new == {"n_25_64_m": 4}


def test_the_web_import_says_which_row_is_locked_and_writes_nothing(
    plan: Plan, report: StatusReport, criterion: SuccessCriterion, client_for: Clients
) -> None:
    _approved(criterion, source_note="Politiet")
    data = "kriterium;område;år;værdi;tæller;nævner;kilde\n5.1.1;nord;2018;26;;;Politiet\n"
    upload = SimpleUploadedFile("data.csv", data.encode())
    url = reverse("criteria:import", kwargs={"slug": plan.slug})
    response = client_for("secretariat").post(url, {"file": upload, "reason": "Nye tal"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Række 2" in html and "er låst af statusrapporten 2018, 2. halvår (version 1)" in html
    assert Observation.objects.get(measure=criterion.measure).value == 25
