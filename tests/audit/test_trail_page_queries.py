"""The trail page costs the same few queries whatever its entries hold (issue 15): a page
of plain creations and a page of every kind of content (foreign keys to many models, m2m
changes, business events, deleted objects) ask the database equally often, and a write
shows at once (the choices and the count are cached under the plan's data version)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.context import set_actor
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.accounts.models import Role, User
from helhedsplan.audit.services import audit_event
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db
LIMIT = 10


def _queries(client: Client, plan: Plan) -> tuple[int, str]:
    url = reverse("audit:plan", kwargs={"slug": plan.slug})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _plain(plan: Plan, user: User, n: int, prefix: str = "Partner") -> None:
    with set_actor(user):
        for i in range(n):
            factories.PartnerFactory(plan=plan, name=f"{prefix} {i}")


def _every_kind(plan: Plan, user: User) -> None:
    """Diffs with foreign keys to many models, m2m changes, events, a deleted object."""
    with set_actor(user):
        focus_area = factories.FocusAreaFactory(plan=plan, code="7.9", name="Nyt område")
        measure = factories.MeasureFactory(plan=plan)
        criterion = factories.SuccessCriterionFactory(
            plan=plan, focus_area=focus_area, measure=measure, code="7.9.1"
        )
        target = factories.TargetFactory(criterion=criterion)
        target.areas.add(*plan.areas.all())  # an m2m change
        activity = factories.ActivityFactory(plan=plan, focus_area=focus_area)
        partner = factories.PartnerFactory(plan=plan, name="Bortgået partner")
        activity.partners.add(partner)
        area = plan.areas.order_by("order").first()
        factories.RegistrationFactory(plan=plan, activity=activity, area=area, registered_by=user)
        factories.ObservationFactory(plan=plan, measure=measure, area=area)
        line = factories.BudgetLineFactory(plan=plan, focus_area=focus_area)
        factories.BudgetAmountFactory(line=line)
        meeting = factories.MeetingFactory(plan=plan)
        factories.BoardAssessmentFactory(meeting=meeting, focus_area=focus_area)
        factories.SubAgreementVersionFactory(focus_area=focus_area)
        activity.partners.remove(partner)
        partner.delete()  # a deleted object, named from the trail
        audit_event(instance=plan, event="file.downloaded", actor=user, changes={"file": "x"})
        audit_event(instance=plan, event="observations.imported", actor=user, changes={"n": 1})


def _read(client: Client, plan: Plan, page: int) -> tuple[int, str]:
    """The queries of a page read a second time (the filter's choices and the count come
    from the cache then), and its text."""
    url = reverse("audit:plan", kwargs={"slug": plan.slug}) + f"?side={page}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_page_costs_the_same_queries_whatever_its_entries_hold(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """A page of partners created (and the plan's own setup) against a page of every kind.

    Names of objects in the trail cost one query for the page whatever their models; an
    object outside the trail (a user who never acted, the municipality) one per model:
    both pages hold those, so they cost the same."""
    user = factories.user_named(plan, "sekretaer", Role.SECRETARIAT)
    client = client_for("auditor")
    _plain(plan, user, 3)
    small, _text = _read(client, plan, 1)
    _every_kind(plan, user)
    large, text = _read(client, plan, 1)  # every kind, and the setup, on one page
    _plain(plan, user, 100, "Mere")  # and three times the entries: that page is now the last
    larger, _text = _read(client, plan, 3)
    assert "Bortgået partner" in text and "Fil hentet" in text and "Tilføjet" in text
    assert small == large == larger <= LIMIT, (small, large, larger)


def test_a_read_page_costs_fewer_queries_and_a_write_shows_at_once(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    user = factories.user_named(plan, "sekretaer", Role.SECRETARIAT)
    client = client_for("auditor")
    _plain(plan, user, 3)
    first, _ = _queries(client, plan)
    again, before = _queries(client, plan)  # the choices and the count from the cache
    assert again < first
    with set_actor(user):
        factories.PartnerFactory(plan=plan, name="Helt ny partner")
    audit_event(instance=plan, event="statusreport.shared", actor=user)
    _count, after = _queries(client, plan)
    assert "Helt ny partner" in after and "Helt ny partner" not in before
    assert "Statusrapport sendt til Landsbyggefonden" in after  # the new event is a choice


def test_a_download_shows_on_the_trail_and_among_its_choices_at_once(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """A download raises the plan's trail alone (not its data version): the trail, its
    filter's kinds of event and its count are keyed by the trail as well."""
    user = factories.user_named(plan, "sekretaer", Role.SECRETARIAT)
    client = client_for("auditor")
    _plain(plan, user, 3)
    _queries(client, plan)
    _count, before = _queries(client, plan)
    audit_event(instance=plan, event="lbf_package.downloaded", actor=user, data_changed=False)
    _count, after = _queries(client, plan)
    option = 'value="lbf_package.downloaded"'
    assert option in after and option not in before
    assert after.count("LBF-pakke hentet") > before.count("LBF-pakke hentet")


def test_the_filter_names_a_renamed_person_at_once(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """The filter's choices list the people who wrote in the trail: cached, but under the
    installation's counter too, which a new name raises."""
    user = factories.user_named(plan, "sekretaer", Role.SECRETARIAT)
    _plain(plan, user, 1)
    client = client_for("auditor")
    _queries(client, plan)
    user.first_name, user.last_name = "Helt", "Nyt Navn"
    user.save()
    _count, after = _queries(client, plan)
    select = after[after.index('name="bruger"') :]
    assert "Helt Nyt Navn" in select[: select.index("</select>")]
