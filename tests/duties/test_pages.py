"""The due list on the pages: the panel on the plan's start page for every role, the full
page grouped by urgency, "Markér som udført", the count per plan on the home page, and the
links that open their form at the duty (a meeting's type, a figure's area and year, an
activity)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.accounts.models import Role
from helhedsplan.criteria.models import Measure
from helhedsplan.plans.models import Plan
from tests import factories as f

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def _url(plan: Plan, name: str = "duties:list", **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


def _criterion(plan: Plan, **measure: object) -> Measure:
    criterion = f.SuccessCriterionFactory(
        plan=plan,
        focus_area=plan.focus_areas.first(),
        measure=f.MeasureFactory(plan=plan, **measure),
    )
    f.TargetFactory(criterion=criterion, applies_to_total=True, areas=[plan.areas.get(slug="nord")])
    measure_made: Measure = criterion.measure
    return measure_made


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_has_the_panel_on_the_start_page(
    plan: Plan, client_for: Clients, role: str
) -> None:
    _criterion(plan, data_owner=Measure.DataOwner.COORDINATORS)
    _criterion(plan, data_owner=Measure.DataOwner.MUNICIPALITY)
    f.agreement_version(plan, status="submitted")  # waits for LBF
    response = client_for(role).get(plan.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="duties-panel"' in text
    if role == Role.AUDITOR:
        assert "Intet venter på dig lige nu." in text
    else:
        assert 'data-testid="due-item"' in text


def test_the_panel_marks_overdue_items_in_text_and_shows_at_most_ten(
    plan: Plan, client_for: Clients
) -> None:
    _criterion(plan)  # today is after the plan: everything of 2018-2021 is overdue
    text = client_for("secretariat").get(plan.get_absolute_url()).content.decode()
    panel = text.split('data-testid="duties-panel"')[1].split("</section>")[0]
    assert panel.count('data-testid="due-item"') == 10
    assert '<span class="badge bad">Forsinket</span>' in panel
    assert "Se alle (" in panel and _url(plan) in panel


def test_the_full_page_groups_by_urgency_newest_deadline_first(
    plan: Plan, client_for: Clients
) -> None:
    _criterion(plan)
    response = client_for("secretariat").get(_url(plan))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="overdue"' in text
    deadlines = [part.split('"')[0] for part in text.split('<time datetime="')[1:]]
    assert len(deadlines) > 10 and deadlines == sorted(deadlines, reverse=True)


def test_an_empty_list_says_so(plan: Plan, client_for: Clients) -> None:
    text = client_for("auditor").get(_url(plan)).content.decode()
    assert "Intet venter på dig lige nu." in text


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_pages_run_a_fixed_number_of_queries(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    _criterion(plan)
    small = (_page_queries(client, _url(plan)), _page_queries(client, plan.get_absolute_url()))
    for n in range(4):
        _criterion(plan)
        f.MeetingFactory(plan=plan, date=date(2019, 3, 1 + n))
        f.ActivityFactory(
            plan=plan, focus_area=plan.focus_areas.first(), areas=list(plan.areas.all())
        )
    large = (_page_queries(client, _url(plan)), _page_queries(client, plan.get_absolute_url()))
    assert large == small


def test_a_programme_evaluation_links_to_its_page_and_has_no_mark_done_form(
    plan: Plan, client_for: Clients
) -> None:
    """The evaluation's own rows drive the duty (the report uploaded on its page ends it):
    no "Markér som udført" any more."""
    evaluation = f.ProgrammeEvaluationFactory(plan=plan, number=1, due_by=date(2019, 3, 31))
    page = client_for("secretariat").get(_url(plan)).content.decode()
    item = f'id="programme_evaluation-{evaluation.pk}-report"'
    assert item in page and evaluation.get_absolute_url() in page
    assert "Markér som udført" not in page and "duties:mark_done" not in page
    assert "/det-skal-goeres/udfoert/" not in page


def test_duties_marked_done_by_hand_before_are_still_shown(plan: Plan, client_for: Clients) -> None:
    done = f.DutyDoneFactory(plan=plan, note="Rapporten ligger i bilag 9.")
    page = client_for("secretariat").get(_url(plan)).content.decode()
    assert 'data-testid="duty-done"' in page and done.note in page
    assert "Helhedsevaluering af den boligsociale indsats (2019-01): " in page
    assert client_for("lbf").get(_url(plan)).content.decode().count(done.note) == 0
