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
from helhedsplan.duties.models import DutyDone
from helhedsplan.meetings.models import Meeting
from helhedsplan.plans.models import Plan
from tests import factories as f
from tests.editing import opened_version

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


def test_the_secretariat_marks_a_programme_evaluation_done_with_a_note(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    key = "programme_evaluation:2019-01"
    page = client.get(_url(plan)).content.decode()
    assert 'id="programme_evaluation-2019-01"' in page and "Markér som udført" in page
    assert '<label for="id_programme-evaluation-2019-01_note">' in page
    refused = client.post(_url(plan, "duties:mark_done"), {"key": key, "done_on": "2019-01-20"})
    assert refused.status_code == 400
    assert "Skriv, hvad der er gjort" in refused.content.decode()
    assert not DutyDone.objects.filter(plan=plan).exists()
    done = client.post(
        _url(plan, "duties:mark_done"),
        {"key": key, "done_on": "2019-01-20", "note": "Rapporten ligger i bilag 9."},
    )
    assert done.status_code == 302
    row = DutyDone.objects.get(plan=plan, key=key)
    assert row.note == "Rapporten ligger i bilag 9." and row.marked_by is not None
    after = client.get(_url(plan)).content.decode()
    assert 'id="programme_evaluation-2019-01"' not in after
    assert "Helhedsevaluering af den boligsociale indsats (2019-01): 20. januar 2019" in after


def test_only_the_frameworks_duties_can_be_marked_done(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(
        _url(plan, "duties:mark_done"),
        {"key": "quarter:2018:1", "done_on": "2019-01-20", "note": "Lukket."},
    )
    assert response.status_code == 400
    assert not DutyDone.objects.filter(plan=plan).exists()


def test_the_home_page_counts_each_plans_duties(plan: Plan, other_plan: Plan) -> None:
    user = f.persona(plan, "secretariat")
    f.PlanMembershipFactory(user=user, plan=other_plan, role=Role.AUDITOR)
    _criterion(plan)
    client = Client()
    client.force_login(user)
    text = client.get(reverse("home")).content.decode()
    mine = text.split(f'data-plan="{plan.slug}"')[1].split("</li>")[0]
    other = text.split(f'data-plan="{other_plan.slug}"')[1].split("</li>")[0]
    assert "Det skal gøres:" in mine and "forsinkede" in mine
    assert "Intet venter på dig lige nu." in other


def test_the_required_meetings_link_opens_the_form_at_the_meeting_type(
    plan: Plan, client_for: Clients
) -> None:
    kind = Meeting.Kind.BOARD_CRITERIA_ASSESSMENT
    url = f"{_url(plan, 'meetings:create')}?organ=bestyrelse&kind={kind}"
    form = client_for("secretariat").get(url).context["form"]
    assert form.initial["kind"] == kind
    assert form.initial["body"].slug == "bestyrelse"
    unknown = client_for("secretariat").get(f"{_url(plan, 'meetings:create')}?kind=x")
    assert "kind" not in unknown.context["form"].initial


def test_a_figures_link_opens_the_form_at_its_area_and_year(
    plan: Plan, client_for: Clients
) -> None:
    measure = _criterion(plan)
    code = measure.criteria.get().code
    url = f"{_url(plan, 'criteria:observation_new', code=code)}?omraade=nord&aar=2019"
    form = client_for("secretariat").get(url).context["form"]
    assert (form.initial["area"], form.initial["year"]) == ("nord", 2019)


def test_an_activitys_link_opens_the_registration_form_at_the_activity(
    plan: Plan, client_for: Clients
) -> None:
    activity = f.ActivityFactory(
        plan=plan, focus_area=plan.focus_areas.first(), areas=[plan.areas.get(slug="nord")]
    )
    url = f"{_url(plan, 'activities:registration_create')}?aktivitet={activity.slug}"
    form = client_for("coordinator").get(url).context["form"]
    assert form.initial["activity"] == activity.pk


def test_the_measure_form_edits_who_registers_the_figure(plan: Plan, client_for: Clients) -> None:
    measure = _criterion(plan)
    data = {
        "name": measure.name, "value_kind": "count", "unit": "", "data_source": "",
        "delivered_by": "Slagelse Kommune", "data_owner": "municipality", "frequency": "yearly",
        "direction": "lower_is_better", "first_year": str(measure.first_year),
        "last_year": str(measure.last_year),
    }  # fmt: skip
    url = _url(plan, "criteria:measure_edit", measure=measure.slug)
    page = client_for("secretariat").get(url)
    assert 'name="data_owner"' in page.content.decode()
    response = client_for("secretariat").post(url, {**data, "version": opened_version(page)})
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.data_owner == Measure.DataOwner.MUNICIPALITY
    # Not sent: unchanged.
    del data["data_owner"]
    data["name"] = "Nyt navn"
    again = client_for("secretariat").get(url)
    second = client_for("secretariat").post(url, {**data, "version": opened_version(again)})
    assert second.status_code == 302, second.context["form"].errors
    measure.refresh_from_db()
    assert measure.data_owner == Measure.DataOwner.MUNICIPALITY


def test_the_list_in_english(plan: Plan, client_for: Clients) -> None:
    _criterion(plan)
    secretariat, auditor = client_for("secretariat"), client_for("auditor")
    for client in (secretariat, auditor):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = secretariat.get(_url(plan)).content.decode()
    assert "Register Testmåling" in text and "Deadline" in text and ">Overdue<" in text
    assert "Nothing is waiting for you right now." in auditor.get(_url(plan)).content.decode()
