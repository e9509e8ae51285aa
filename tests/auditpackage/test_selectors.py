"""The audit package's data: what a year holds, who did it, and a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helhedsplan.accounts.models import User
from helhedsplan.auditpackage.selectors import audit_package, package_years
from helhedsplan.plans.models import Plan
from tests.auditpackage.builders import year_of_everything

pytestmark = pytest.mark.django_db


def test_an_approved_observation_of_2018_is_in_the_2018_package_with_who_approved_it(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    year_of_everything(factory_plan, persona)
    package = audit_package(factory_plan, 2018)
    approved = package.approved_observations
    assert len(approved) == 1
    focus_area, criterion, obs = approved[0]
    assert (focus_area, criterion.code, obs.area, obs.figure) == (
        "5.1 Tryghed og trivsel", "5.1.1", "Nordparken", "21",
    )  # fmt: skip
    assert obs.approved_by == "Test secretariat"
    assert obs.registered_by == "Test coordinator"
    assert obs.approved_at is not None
    # The draft of 2018 is in it too, as a draft, with no approver.
    drafts = [o for _fa, _c, o in package.observations if not o.is_approved]
    assert [(o.area, o.state_label, o.approved_by) for o in drafts] == [("Sydparken", "Kladde", "")]


def test_an_observation_of_2019_is_not_in_the_2018_package(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    year_of_everything(factory_plan, persona)
    assert {o.area for _fa, _c, o in audit_package(factory_plan, 2018).observations} == {
        "Nordparken", "Sydparken",
    }  # fmt: skip
    in_2019 = audit_package(factory_plan, 2019)
    assert [(o.area, o.figure) for _fa, _c, o in in_2019.observations] == [("Nordparken", "21")]


def test_a_target_change_appears_with_old_and_new_value_and_its_reason(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    year_of_everything(factory_plan, persona)  # the target changed in March 2018
    trail = audit_package(factory_plan, 2018).trail
    changes = {t.field: t for t in trail if t.reason == "Politiets nye opgørelse 0"}
    assert changes["målværdi"].old == "20" and changes["målværdi"].new == "18"
    assert changes["nulpunkt"].old == "30,65" and changes["nulpunkt"].new == "31"
    assert changes["målværdi"].criterion == "5.1.1"
    assert changes["målværdi"].actor == "Test secretariat"
    assert changes["målværdi"].action == "Ændret"
    # Another year's package holds none of them.
    assert audit_package(factory_plan, 2019).trail == ()


def test_the_board_activities_and_money_of_the_year(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    year_of_everything(factory_plan, persona)
    package = audit_package(factory_plan, 2018)
    assert [m.date for m in package.meetings] == [date(2018, 6, 1)]
    assert [(a.focus_area, a.recorded_by) for a in package.assessments] == [
        ("5.1 Tryghed og trivsel", "Test secretariat")
    ]
    assert [d.text for d in package.decisions] == ["Bestyrelsen følger op 0."]
    assert [(r.version, r.issued_by) for r in package.status_reports] == [(1, "Test secretariat")]
    assert [(r.quarter, r.held, r.participants, r.volunteers) for r in package.registrations] == [
        (1, 1, 3, 0), (2, 1, 12, 7),
    ]  # fmt: skip
    assert [e.rating for e in package.evaluations] == ["Ja"]
    (row,) = package.budget.rows
    assert (row.budget, row.registered, row.corrections) == (
        Decimal("100000.00"), Decimal("90000.00"), Decimal("-1250.50"),
    )  # fmt: skip
    assert row.variance == Decimal("-11250.50")
    assert row.variance_percent == Decimal("-11.2505")
    assert package.budget.closing is not None
    assert package.budget.closing.approved_by == "Test secretariat"
    assert package.budget.corrections[0].reason == "Fejlkonteret udgift flyttet."
    # 2019: nothing of it.
    later = audit_package(factory_plan, 2019)
    assert (later.meetings, later.registrations, later.budget.closing) == ((), (), None)


def _queries(plan: Plan, year: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        audit_package(plan, year)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_what_the_year_holds(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    year_of_everything(factory_plan, persona, n=1)
    audit_package(factory_plan, 2018)  # caches (content types) out of the count
    small = _queries(factory_plan, 2018)
    year_of_everything(factory_plan, persona, n=4, start=1)
    package = audit_package(factory_plan, 2018)
    assert (len(package.approved_observations), len(package.decisions)) == (5, 5)
    assert _queries(factory_plan, 2018) == small


def test_the_years_offered_are_the_plan_years_up_to_this_year(factory_plan: Plan) -> None:
    offered = package_years(factory_plan, date(2019, 5, 1))
    assert (offered.years, offered.default) == ([2018, 2019], 2018)
    assert package_years(factory_plan, date(2030, 1, 1)).years == [2018, 2019, 2020, 2021]
    assert package_years(factory_plan, date(2030, 1, 1)).default == 2021
    assert package_years(factory_plan, date(2018, 3, 1)).default == 2018


def test_a_background_figure_no_criterion_measures_is_in_the_package_too(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    from helhedsplan.criteria.models import Observation
    from tests import factories as f

    measure = f.MeasureFactory(plan=factory_plan, name="Hærværk, udbedringer")
    f.ObservationFactory(
        measure=measure, area=None, year=2018, value=Decimal(123),
        state=Observation.State.APPROVED, approved_by=persona("secretariat"),
    )  # fmt: skip
    (group,) = audit_package(factory_plan, 2018).focus_areas
    assert group.label == "Baggrundstal (målinger uden eget succeskriterium)"
    (section,) = group.criteria
    assert (section.title, section.observations[0].area) == ("Hærværk, udbedringer", "Samlet")
    assert section.observations[0].approved_by == "Test secretariat"


def test_a_target_set_from_its_baseline_reads_in_danish(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    from django.utils import timezone

    from helhedsplan.audit.models import AuditEntry
    from helhedsplan.audit.services import audit_event
    from tests import factories as f

    target = f.TargetFactory(criterion=f.SuccessCriterionFactory(plan=factory_plan, code="5.1.1"))
    entry = audit_event(
        instance=target, event="target.set_from_baseline", actor=persona("secretariat"),
        changes={"area": "Sydparken", "baseline": "64", "target": "Mindst 64 % i 2021"},
        reason="Nulpunktet for 2017 er registreret.",
    )  # fmt: skip
    AuditEntry.objects.filter(pk=entry.pk).update(
        timestamp=timezone.make_aware(datetime(2018, 4, 1))
    )
    rows = [t for t in audit_package(factory_plan, 2018).trail if t.action != "Oprettet"]
    assert [(t.action, t.field, t.new) for t in rows] == [
        ("Mål fastlagt ud fra nulpunktet", "boligområde", "Sydparken"),
        ("Mål fastlagt ud fra nulpunktet", "nulpunkt", "64"),
        ("Mål fastlagt ud fra nulpunktet", "mål", "Mindst 64 % i 2021"),
    ]
    assert {(t.criterion, t.reason, t.actor) for t in rows} == {
        ("5.1.1", "Nulpunktet for 2017 er registreret.", "Test secretariat")
    }
