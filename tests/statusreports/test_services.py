"""The status report's services: a period, the narrative, issuing (version, snapshot),
superseding, sending to LBF; an issued report is never edited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.accounts.models import Role
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from helhedsplan.statusreports import services
from helhedsplan.statusreports.models import StatusReport
from tests.meetings.factories import code
from tests.statusreports.builders import H2_2018, report_plan

pytestmark = pytest.mark.django_db


def _draft(plan: Plan, period: tuple[date, date] = H2_2018, **kwargs: Any) -> StatusReport:
    return services.status_report_create(
        plan=plan, period_start=period[0], period_end=period[1], actor=None, **kwargs
    )


def test_half_years_are_the_plans() -> None:
    plan = report_plan()
    halves = services.half_years(plan)
    assert halves[0] == (date(2018, 1, 1), date(2018, 6, 30))
    assert halves[-1] == (date(2021, 7, 1), date(2021, 12, 31))
    assert len(halves) == 8


def test_issue_gives_the_next_version_and_a_snapshot() -> None:
    plan = report_plan()
    first = services.status_report_issue(report=_draft(plan), actor=None)
    assert (first.state, first.version) == (StatusReport.State.ISSUED, 1)
    assert first.snapshot["format"] == 2 and first.issued_at is not None
    second = services.status_report_issue(
        report=_draft(plan, (date(2019, 1, 1), date(2019, 6, 30))), actor=None
    )
    assert second.version == 2
    assert second.snapshot["previous"]["version"] == 1
    assert AuditEntry.objects.filter(event="statusreport.issued").count() == 2


def test_a_period_overlapping_an_issued_report_is_refused_naming_it() -> None:
    plan = report_plan()
    services.status_report_issue(report=_draft(plan), actor=None)
    with pytest.raises(ValidationError) as exc:
        _draft(plan, (date(2018, 10, 1), date(2019, 3, 31)))
    assert code(exc.value) == "period_overlaps"
    assert "2018, 2. halvår" in exc.value.messages[0]
    assert StatusReport.objects.filter(plan=plan).count() == 1


def test_a_draft_overlapping_a_draft_is_allowed_but_only_one_is_issued() -> None:
    plan = report_plan()
    a, b = _draft(plan), _draft(plan)
    services.status_report_issue(report=a, actor=None)
    with pytest.raises(ValidationError) as exc:
        services.status_report_issue(report=b, actor=None)
    assert code(exc.value) == "period_overlaps"


def test_supersede_needs_a_reason_and_is_recorded() -> None:
    plan = report_plan()
    old = services.status_report_issue(report=_draft(plan), actor=None)
    with pytest.raises(ValidationError) as exc:
        _draft(plan, supersedes=old)
    assert code(exc.value) == "supersede_reason_required"
    new = _draft(plan, supersedes=old, supersede_reason="Forkert tal for Nordparken.")
    assert new.supersede_reason == "Forkert tal for Nordparken."
    old.refresh_from_db()
    assert old.state == StatusReport.State.ISSUED  # until the new one is issued
    new = services.status_report_issue(report=new, actor=None)
    old.refresh_from_db()
    assert (old.state, new.version) == (StatusReport.State.SUPERSEDED, 2)
    assert old.superseded_by == new
    entry = AuditEntry.objects.filter(event="statusreport.issued").latest("pk")
    assert entry.reason == "Forkert tal for Nordparken."
    with pytest.raises(ValidationError) as exc:
        _draft(plan, supersedes=old, supersede_reason="Igen")
    assert code(exc.value) == "supersedes_not_issued"


def test_an_issued_report_is_never_edited() -> None:
    plan = report_plan()
    report = services.status_report_issue(report=_draft(plan), actor=None)
    focus_area = plan.focus_areas.first()
    assert focus_area is not None
    for attempt in (
        lambda: services.status_narrative_save(report=report, focus_area=focus_area, text="x"),
        lambda: services.status_report_issue(report=report, actor=None),
        lambda: services.status_report_delete(report=report, actor=None),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert code(exc.value) == "report_issued"
    assert StatusReport.objects.get(pk=report.pk).version == 1


def test_narrative_is_saved_on_a_draft_and_frozen_in_the_snapshot() -> None:
    plan = report_plan()
    report = _draft(plan)
    focus_area = plan.focus_areas.get(code="5.1")
    services.status_narrative_save(report=report, focus_area=focus_area, text="Godt halvår.")
    services.status_narrative_save(report=report, focus_area=focus_area, text="Et godt halvår.")
    assert report.narratives.get().text == "Et godt halvår."
    issued = services.status_report_issue(report=report, actor=None)
    texts = {n["code"]: n["text"] for n in issued.snapshot["narratives"]}
    assert texts == {"5.1": "Et godt halvår.", "5.2": "", "5.4": ""}


def test_a_draft_can_be_deleted() -> None:
    plan = report_plan()
    report = _draft(plan)
    services.status_narrative_save(
        report=report, focus_area=plan.focus_areas.get(code="5.1"), text="Slettes."
    )
    services.status_report_delete(report=report, actor=None)
    assert not StatusReport.objects.filter(plan=plan).exists()


def test_period_outside_the_plan_is_refused() -> None:
    plan = report_plan()
    with pytest.raises(ValidationError) as exc:
        _draft(plan, (date(2017, 7, 1), date(2017, 12, 31)))
    assert code(exc.value) == "period_outside_plan"


def test_share_with_lbf_only_when_issued_once() -> None:
    plan = report_plan()
    draft = _draft(plan)
    with pytest.raises(ValidationError) as exc:
        services.status_report_share_with_lbf(report=draft, actor=None)
    assert code(exc.value) == "report_not_issued"
    issued = services.status_report_issue(report=draft, actor=None)
    shared = services.status_report_share_with_lbf(report=issued, actor=None)
    assert shared.shared_with_lbf_at is not None
    assert AuditEntry.objects.filter(event="statusreport.shared").count() == 1
    with pytest.raises(ValidationError) as exc:
        services.status_report_share_with_lbf(report=shared, actor=None)
    assert code(exc.value) == "already_shared"


def test_sending_a_report_to_lbf_tells_lbfs_users_by_e_mail(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    """Sending the report to Landsbyggefonden e-mails LBF's users of the plan after commit."""
    from tests import factories as f

    report = f.StatusReportFactory()
    lbf = f.user_named(report.plan, "lbf-modtager", Role.LBF)
    lbf.email = "lbf@example.dk"
    lbf.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.status_report_share_with_lbf(report=report, actor=None)
    assert [m.to for m in mailoutbox] == [["lbf@example.dk"]]
