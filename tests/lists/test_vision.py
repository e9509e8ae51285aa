"""The list vision: its service, its settings page and the vision panel (per area the list
history as a timeline, the status now, and what the vision needs)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.lists import selectors, vision
from helhedsplan.lists.engine import types as t
from helhedsplan.lists.models import ListVision
from helhedsplan.plans.models import Plan
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- hand-built engine results (the engine's contract, lists.engine.types) --------------------


def result(
    year: int,
    *,
    on: tuple[str, ...] = (),
    off: tuple[str, ...] = (t.UDSAT,),
    unknown: tuple[str, ...] = (),
    missing: tuple[str, ...] = (),
    keeps: tuple[str, ...] | None = None,
    distances: dict[str, list[t.Distance]] | None = None,
) -> t.AreaYearResult:
    categories = {c: t.CategoryResult(code=c, member=True) for c in on}
    categories.update({c: t.CategoryResult(code=c, member=False) for c in off if c not in on})
    categories.update({c: t.CategoryResult(code=c, member=None, missing=missing) for c in unknown})
    value = t.Condition(
        code="doemte_pct", operator=t.Operator.GE, threshold=Decimal("2"), value=Decimal("2.5"),
        met=True,
    )  # fmt: skip
    return t.AreaYearResult(
        year=year,
        rule_set="2018-2020",
        residents_ok=True,
        categories=categories,
        criteria={"doemte_pct": value},
        keeps_on_list=keeps,
        distances=distances or {},
        missing=missing,
    )


def fake_lists(
    monkeypatch: pytest.MonkeyPatch, by_slug: dict[str, dict[int, t.AreaYearResult]]
) -> None:
    def list_years(plan: Plan) -> list[int]:
        return sorted({y for years in by_slug.values() for y in years})

    def area_results(
        plan: Plan, years: list[int] | None = None
    ) -> dict[int, dict[int, t.AreaYearResult]]:
        ids = dict(plan.areas.values_list("slug", "pk"))
        return {
            ids[slug]: {y: r for y, r in years_.items() if years is None or y in years}
            for slug, years_ in by_slug.items()
        }

    monkeypatch.setattr(selectors, "list_years", list_years)
    monkeypatch.setattr(selectors, "area_results", area_results)


@pytest.fixture(autouse=True)
def _no_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """This module's lists are hand-built (the engine's own tests are the engine's)."""
    fake_lists(monkeypatch, {})


DISTANCE = t.Distance(
    code="doemte_pct", category=t.UDSAT, operator=t.Operator.GE, threshold=Decimal("2"),
    value=Decimal("2.5"), met=True, points=Decimal("-0.5"), people=4,
)  # fmt: skip


# --- the service ------------------------------------------------------------------------------


def test_the_vision_is_set_changed_and_cleared(plan: Plan) -> None:
    made = vision.list_vision_set(plan=plan, after_year=2025, text="Ingen efter 2025", source="§ 1")
    assert (made.after_year, made.text, made.source) == (2025, "Ingen efter 2025", "§ 1")
    changed = vision.list_vision_set(plan=plan, after_year=2026, text="", source="")
    assert changed.pk == made.pk and ListVision.objects.get(plan=plan).after_year == 2026
    vision.list_vision_clear(plan=plan)
    assert not ListVision.objects.filter(plan=plan).exists()
    vision.list_vision_clear(plan=plan)  # nothing to clear: no error


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (None, "after_year_required"),
        (2009, "after_year_before_lists"),
        (2101, "after_year_too_late"),
    ],
)
def test_a_vision_year_outside_the_lists_is_refused(plan: Plan, year: Any, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        vision.list_vision_set(plan=plan, after_year=year)
    assert exc.value.error_dict["after_year"][0].code == code
    assert not ListVision.objects.filter(plan=plan).exists()


def test_a_cpr_number_in_the_vision_is_refused(plan: Plan) -> None:
    with pytest.raises(ValidationError):
        vision.list_vision_set(plan=plan, after_year=2025, text="Kontakt 010203-1234")
    assert not ListVision.objects.filter(plan=plan).exists()


def test_setting_the_same_vision_again_writes_nothing(plan: Plan) -> None:
    from helhedsplan.audit.models import AuditEntry as LogEntry

    vision.list_vision_set(plan=plan, after_year=2025, text="x", source="y")
    before = LogEntry.objects.count()
    vision.list_vision_set(plan=plan, after_year=2025, text="x", source="y")
    assert LogEntry.objects.count() == before


# --- the page ---------------------------------------------------------------------------------


def test_the_secretariat_states_the_vision_on_its_page(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("lists:vision", kwargs={"slug": plan.slug})
    client = client_for("secretariat")
    response = client.post(
        url, {"after_year": "2025", "text": "Ingen områder på listen.", "source": "§ 1"}
    )
    assert response.status_code == 302
    assert ListVision.objects.get(plan=plan).after_year == 2025
    text = client.get(url).content.decode()
    assert "Visionen: ingen boligområder på listen efter 2025" in text
    assert "politiets liste" in text  # the SUB note
    response = client.post(url, {"action": "clear"})
    assert response.status_code == 302 and not ListVision.objects.filter(plan=plan).exists()


def test_a_bad_year_says_where_and_what(plan: Plan, client_for: Callable[[str], Client]) -> None:
    url = reverse("lists:vision", kwargs={"slug": plan.slug})
    response = client_for("secretariat").post(url, {"after_year": "1999", "text": "", "source": ""})
    assert response.status_code == 400
    assert "ligger før den første liste" in response.content.decode()
    assert not ListVision.objects.filter(plan=plan).exists()


def test_the_board_reads_the_vision_but_has_no_form(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    f.ListVisionFactory(plan=plan)
    url = reverse("lists:vision", kwargs={"slug": plan.slug})
    client = client_for("board")
    text = client.get(url).content.decode()
    assert "efter 2025" in text and 'name="after_year"' not in text
    assert client.post(url, {"after_year": "2030"}).status_code == 403


# --- the panel --------------------------------------------------------------------------------


def test_without_list_data_the_panel_says_so(
    plan: Plan, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_lists(monkeypatch, {})
    f.ListVisionFactory(plan=plan)
    text = client_for("board").get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="vision-panel"' in text
    assert "Der er endnu ikke indlæst listedata" in text


def test_the_panel_shows_each_areas_history_status_and_what_keeps_it_on(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    f.ListVisionFactory(plan=plan, after_year=2025)
    fake_lists(
        monkeypatch,
        {
            "nord": {
                2018: result(2018, on=(t.UDSAT, t.GHETTO), off=()),
                2019: result(
                    2019, on=(t.UDSAT,), keeps=("doemte_pct",), distances={"doemte_pct": [DISTANCE]}
                ),
            },
            "syd": {
                2018: result(
                    2018,
                    unknown=(t.UDSAT,),
                    off=(),
                    missing=("threshold:doemte_landsgennemsnit_pct",),
                ),
                2019: result(2019),
            },
        },
    )
    panel = vision.vision_panel(plan)
    assert panel.years == (2018, 2019) and panel.latest == 2019
    assert panel.vision_year == 2026 and panel.lists_left == 7
    nord, syd = panel.areas
    assert [s.state for s in nord.timeline] == [vision.ON, vision.ON]
    assert nord.timeline[0].category_labels == ["Udsat boligområde", "Ghettoområde"]
    assert nord.on_track is False
    assert nord.keeps == ("dømte (0,5 procentpoint lavere)",)
    assert [s.state for s in syd.timeline] == [vision.UNKNOWN, vision.OFF]
    assert syd.timeline[0].why == ("landstallet doemte_landsgennemsnit_pct for 2018 mangler",)
    assert syd.on_track is True and syd.keeps == ()
    assert panel.on_track_count == 1


def test_the_timeline_starts_at_the_areas_first_year_with_data(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = t.AreaYearResult(year=2018, rule_set="2018-2020", residents_ok=None)
    fake_lists(monkeypatch, {"nord": {2018: result(2018), 2019: result(2019)},
                             "syd": {2018: empty, 2019: result(2019)}})  # fmt: skip
    panel = vision.vision_panel(plan)
    assert [s.year for s in panel.areas[0].timeline] == [2018, 2019]
    assert [s.year for s in panel.areas[1].timeline] == [2019]


def test_a_status_report_reads_only_the_lists_published_by_its_end(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    fake_lists(monkeypatch, {"nord": {2018: result(2018), 2019: result(2019)}})
    assert vision.vision_panel(plan, until=date(2019, 6, 30)).years == (2018,)
    assert vision.vision_panel(plan, until=date(2019, 12, 31)).years == (2018, 2019)


def test_the_overview_shows_the_panel_to_every_role(
    plan: Plan, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    f.ListVisionFactory(plan=plan)
    fake_lists(
        monkeypatch, {"nord": {2019: result(2019, on=(t.UDSAT,))}, "syd": {2019: result(2019)}}
    )
    for role in ("secretariat", "coordinator", "municipal", "board", "lbf", "auditor"):
        text = client_for(role).get(plan.get_absolute_url()).content.decode()
        assert 'data-testid="vision-timeline"' in text, role
        assert "På listen" in text and "Ikke på listen" in text, role


@pytest.mark.demo  # the seed's vision (§ 1) and its lack of central measurements
def test_the_demo_has_the_seeds_vision_and_no_list_data(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    found = ListVision.objects.get(plan=plan)
    assert found.after_year == 2025 and found.source == "Strategisk samarbejdsaftale § 1"
    assert found.text.endswith("figurerer på regeringens SUB-liste efter 2025.")
    text = client_for("secretariat").get(plan.get_absolute_url()).content.decode()
    assert "Visionen: ingen boligområder på listen efter 2025" in text
    assert "Der er endnu ikke indlæst listedata" in text
