"""The activities are the seed's: names, areas, notes and partners as the agreement gives them.

About the seed's content: uses the demo.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.activities.models import Activity, PlannedQuantity, Registration
from helhedsplan.plans.models import Plan

# About the seed's content: uses the demo (tests/conftest.py: demo_plan).
pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _areas(plan: Plan, slug: str) -> list[str]:
    activity = Activity.objects.get(plan=plan, slug=slug)
    return [link.area.slug for link in activity.area_links.order_by("area__order")]


def test_every_activity_the_seed_names(plan: Plan) -> None:
    names = set(Activity.objects.filter(plan=plan).values_list("name", flat=True))
    assert names == {
        "Tryghedsvandringer",
        "Fritidsjobindsats",
        "Idrætspartnerskaber",
        "Værested og klub – med og uden tag",
        "Tværgående brobygningsteam til opsporing og forebyggelse",
        "En opnormering af det lokale virksomhedsnære samarbejde",
        "Ekstra sundhedspleje",
        "Mødregrupper",
        "Uddannelsestilbud i Sydbyen",
        "Opkvalificeringsaktiviteter på Motalavej",
    }


def test_areas_as_the_seed_gives_them(plan: Plan) -> None:
    four = ["motalavej", "ringparken", "sydbyen", "skaelskoer"]
    assert _areas(plan, "tryghedsvandringer") == four
    assert _areas(plan, "fritidsjobindsats") == ["motalavej", "ringparken", "sydbyen"]
    assert _areas(plan, "idraetspartnerskaber") == four
    assert _areas(plan, "ekstra-sundhedspleje") == ["motalavej", "ringparken"]
    assert _areas(plan, "moedregrupper") == ["motalavej", "ringparken"]
    assert _areas(plan, "uddannelsestilbud-sydbyen") == ["sydbyen"]
    assert _areas(plan, "opkvalificering-motalavej") == ["motalavej"]
    # The seed names no areas for these: none are invented.
    assert _areas(plan, "vaerested-og-klub") == []
    assert _areas(plan, "brobygningsteam") == []


def test_skaelskoer_only_supports_ordinary_club_life(plan: Plan) -> None:
    sport = Activity.objects.get(plan=plan, slug="idraetspartnerskaber")
    note = sport.area_links.get(area__slug="skaelskoer").note
    assert "udelukkende arbejdes med at understøtte de unges deltagelse i det ordinære" in note
    assert sorted(p.name for p in sport.partners.all()) == ["DGI/Gerlev", "DIF"]


def test_partner_run_activities(plan: Plan) -> None:
    sydbyen = Activity.objects.get(plan=plan, slug="uddannelsestilbud-sydbyen")
    assert sydbyen.responsible == Activity.Responsible.PARTNER
    assert sydbyen.responsible_display == "Korsør Produktionshøjskole"
    motalavej = Activity.objects.get(plan=plan, slug="opkvalificering-motalavej")
    assert motalavej.responsible_display == "Sumak"


def test_list_page_says_when_the_seed_gives_no_areas(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    text = client_for("auditor").get(reverse("activities:list", args=[plan.slug])).content.decode()
    assert text.count("Områder ikke angivet i aftalen") == 2
    assert "Værested og klub – med og uden tag" in text
    assert "Korsør Produktionshøjskole vedr. uddannelses tilbud i Sydbyen" in text


def test_detail_page_quotes_the_seed(plan: Plan, client_for: Callable[[str], Client]) -> None:
    url = reverse("activities:detail", args=[plan.slug, "idraetspartnerskaber"])
    text = client_for("board").get(url).content.decode()
    assert "ordinære foreningsliv" in text
    assert "DGI/Gerlev" in text
    assert "5.2 Kriminalpræventiv indsats" in text


def test_demo_rows_are_flagged_and_badged(plan: Plan, client_for: Callable[[str], Client]) -> None:
    assert Registration.objects.filter(plan=plan).exists()
    assert not Registration.objects.filter(plan=plan, is_demo_data=False).exists()
    assert not PlannedQuantity.objects.filter(activity__plan=plan, is_demo_data=False).exists()
    client = client_for("board")
    for name in ["activities:delivery", "activities:plan", "activities:registrations"]:
        text = client.get(reverse(name, args=[plan.slug]) + "?aar=2018").content.decode()
        assert "Demonstrationsdata – ikke fra aftalen" in text, name


def test_demo_is_deterministic(plan: Plan) -> None:
    from helhedsplan.demo import activities as demo

    before = list(
        Registration.objects.filter(plan=plan).order_by("pk").values_list("date", "participants")
    )
    Registration.objects.filter(plan=plan).delete()
    demo.load(plan)
    after = list(
        Registration.objects.filter(plan=plan).order_by("pk").values_list("date", "participants")
    )
    assert before == after


def test_criteria_links_follow_the_seed(plan: Plan) -> None:
    def codes(slug: str) -> list[str]:
        activity = Activity.objects.get(plan=plan, slug=slug)
        return sorted(c.code for c in activity.success_criteria.all())

    assert codes("brobygningsteam") == ["5.3.1", "5.3.2", "5.3.3"]
    assert codes("virksomhedsnaert-samarbejde") == ["5.3.4", "5.3.5", "5.3.6"]
    assert codes("ekstra-sundhedspleje") == ["5.4.1"]
    assert codes("moedregrupper") == ["5.4.2"]
    assert codes("uddannelsestilbud-sydbyen") == []


def test_activities_by_criteria_page(plan: Plan, client_for: Callable[[str], Client]) -> None:
    url = reverse("activities:criteria_support", args=[plan.slug]) + "?aar=2018"
    text = client_for("board").get(url).content.decode()
    assert "5.3.4 Færre modtager ydelser" in text
    assert "En opnormering af det lokale virksomhedsnære samarbejde" in text
    assert "Seneste status" in text
    assert "Demonstrationsdata – ikke fra aftalen" in text
