"""The list page's rendering from hand-built engine results (the selectors patched): what
each role reads, the year selector, the words and symbols, and the staff's link."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.lists import selectors
from helhedsplan.lists import views as list_views
from helhedsplan.plans.models import Plan
from tests.lists.results import off_list_2019, on_list_2019


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch, plan: Plan) -> None:
    nord = plan.areas.get(slug="nord").pk
    syd = plan.areas.get(slug="syd").pk
    on, off = on_list_2019(), off_list_2019()

    def list_years(plan: Plan) -> list[int]:
        return [2019]

    def area_results(plan: Plan, years: list[int] | None = None) -> dict:  # type: ignore[type-arg]
        return {nord: {2019: on}, syd: {2019: off}}

    monkeypatch.setattr(selectors, "list_years", list_years, raising=False)
    monkeypatch.setattr(selectors, "area_results", area_results, raising=False)
    monkeypatch.setattr(list_views, "THRESHOLDS_URL_NAMES", ("home",))


def _url(plan: Plan) -> str:
    return reverse("lists:overview", kwargs={"slug": plan.slug})


@pytest.mark.parametrize("role", ["secretariat", "board", "lbf", "auditor", "municipal"])
def test_every_role_reads_the_page(
    patched: None, plan: Plan, client_for: Callable[[str], Client], role: str
) -> None:
    response = client_for(role).get(_url(plan))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Udsat boligområde og ghettoområde; ukendt: hårdt ghettoområde" in text
    assert "På ingen liste" in text
    assert "landsgennemsnittet for dømte mangler for listeåret 2019" in text
    assert "12 beboere færre uden for arbejde eller uddannelse" in text  # not suppressed
    assert "Området forlader listen, hvis alle disse ændres" in text
    assert "overstiger 40" in text and "mindst –" in text
    # Met / not met told by word and symbol, not colour alone.
    assert "✓</span> opfyldt" in text and "?</span> kan ikke afgøres" in text
    assert 'data-testid="history-nord"' in text


def test_the_staff_gets_the_link_to_the_national_figures(
    patched: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    assert "Indtast landstallene" not in client.get(_url(plan)).content.decode()
    user = plan.memberships.get(role="secretariat").user
    user.is_staff = True
    user.save()
    assert "Indtast landstallene" in client.get(_url(plan)).content.decode()


def test_a_bad_year_shows_the_default(
    patched: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    for query in ("?aar=abc", "?aar=1850", "?aar=20188", "?aar=2019"):
        response = client_for("board").get(_url(plan) + query)
        assert response.status_code == 200
        assert response.context["year"] == 2019


def test_no_data_says_so(
    plan: Plan, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "list_years", lambda plan: [], raising=False)
    text = client_for("board").get(_url(plan)).content.decode()
    assert 'data-testid="no-lists"' in text


def test_the_menu_has_the_page(
    patched: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    text = client_for("lbf").get(reverse("plans:overview", kwargs={"slug": plan.slug})).content
    assert _url(plan).encode() in text
