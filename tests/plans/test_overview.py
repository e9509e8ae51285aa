from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.plans.models import FocusArea, HousingArea, Plan, SubArea
from tests.editing import opened_version


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_overview_shows_the_plan_as_the_seed_has_it(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    response = client_for("board").get(plan.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    for expected in [
        "Slagelse Kommune",
        "1. januar 2018",
        "31. december 2021",
        "Motalavej",
        "Ringparken og Schackenborgvænge",
        "Schackenborgvænge",
        "Sydbyen",
        "Skælskør",
        "Parkvej, Præstevænget",
        "5.1 Tryghed og trivsel",
        "5.4 Forebyggelse og forældreansvar",
        "Øget lokalt engagement",
        "Landsbyggefonden",
        "25.000",
        "Lokal medfinansiering",
        "19.450",
        "44.450",
        "43,8\u00a0%",
        "pladsholder",
    ]:
        assert expected in text, expected


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_overview_in_english(plan: Plan, client_for: Callable[[str], Client]) -> None:
    client = client_for("board")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(plan.get_absolute_url()).content.decode()
    assert "Housing areas" in text
    assert "44,450" in text
    assert "Jan. 1, 2018" in text


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def more_of_everything(plan: Plan) -> None:
    """Ten more areas (with sub-areas and residents) and focus areas."""
    for n in range(10):
        area = HousingArea.objects.create(plan=plan, slug=f"extra{n}", name=f"Ekstra {n}")
        SubArea.objects.create(area=area, name="Del A")
        SubArea.objects.create(area=area, name="Del B")
        area.populations.create(year=2018, residents=1000 + n)
        FocusArea.objects.create(plan=plan, code=f"9.{n}", name=f"Ekstra {n}")


def test_overview_query_count_does_not_grow_with_the_plan(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    small = _count_queries(client, plan.get_absolute_url())
    more_of_everything(plan)
    assert _count_queries(client, plan.get_absolute_url()) == small


def test_plan_period_must_run_forwards(plan: Plan) -> None:
    plan.end_date = date(2017, 1, 1)
    with pytest.raises(ValidationError):
        plan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(end_date=date(2017, 1, 1))


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_area_slug_is_unique_within_a_plan(plan: Plan) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        HousingArea.objects.create(plan=plan, slug="motalavej", name="Dublet")


def test_focus_area_edit_refuses_a_cpr_number(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("plans:focus_area_edit", kwargs={"slug": plan.slug, "code": "5.1"})
    client = client_for("secretariat")
    response = client.post(
        url,
        {
            "version": opened_version(client.get(url)),
            "name": "Tryghed og trivsel",
            "purpose": "Kontakt 010203-1234",
            "sub_goals": "",
            "target_groups": "",
        },
    )
    assert response.status_code == 200
    assert "CPR-nummer" in response.content.decode()
    assert "010203" not in FocusArea.objects.get(plan=plan, code="5.1").purpose


def test_plan_edit_refuses_end_before_start(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    url = reverse("plans:edit", kwargs={"slug": plan.slug})
    response = client.post(
        url,
        {
            "version": opened_version(client.get(url)),
            "name": plan.name,
            "status": "active",
            "start_date": "2021-01-01",
            "end_date": "2020-01-01",
            "period_note": "",
        },
    )
    assert "Slutdatoen skal ligge efter startdatoen." in response.content.decode()
    plan.refresh_from_db()
    assert plan.start_date == date(2018, 1, 1)


def test_home_redirects_to_the_only_plan(plan: Plan, client_for: Callable[[str], Client]) -> None:
    response = client_for("lbf").get(reverse("home"))
    assert response["Location"] == plan.get_absolute_url()


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_home_lists_only_the_users_plans(
    plan: Plan, other_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    from helhedsplan.accounts.models import Membership, Role, User

    Membership.objects.create(user=User.objects.get(username="lbf"), plan=other_plan, role=Role.LBF)
    text = client_for("lbf").get(reverse("home")).content.decode()
    assert "Anden plan" in text and plan.name in text
    assert (
        "Anden plan" not in client_for("board").get(reverse("home"), follow=True).content.decode()
    )


def test_danish_by_default_even_for_an_english_browser(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    text = (
        client_for("board")
        .get(plan.get_absolute_url(), headers={"accept-language": "en-US,en;q=0.9"})
        .content.decode()
    )
    assert "Boligområder" in text and "1. januar 2018" in text


@pytest.mark.demo  # about the seed's figures (areas, residents, the budget)
def test_lbf_overview_links_only_to_pages_lbf_may_open(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """LBF reads the overview (parties, areas, focus areas, money) but not the area pages."""
    import re

    client = client_for("lbf")
    response = client.get(plan.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200 and "Motalavej" in text and "44.450" in text
    area_url = reverse("plans:area", kwargs={"slug": plan.slug, "area": "motalavej"})
    assert f'href="{area_url}"' not in text
    assert client.get(area_url).status_code == 403
    links = set(re.findall(rf'href="({plan.get_absolute_url()}[^"?#]*)', text))
    assert reverse("agreements:overview", kwargs={"slug": plan.slug}) in links
    for link in links:
        assert client.get(link).status_code == 200, link
