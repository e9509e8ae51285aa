"""The scorecard and the criterion page near the database floor (issue 15): a fixed number of
queries whatever the size of the plan, cached (warm) or not (cold), and a cached fragment that
is never stale: every write that changes what a page shows raises the plan's data version the
fragment is keyed by, and readers whose pages differ never share one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.models import Role
from helhedsplan.criteria import services
from helhedsplan.criteria.models import (
    Measure,
    Observation,
    ReferenceSeries,
    ReferenceValue,
    SeedNote,
    SuccessCriterion,
    Target,
)
from helhedsplan.criteria.views import CRITERION_PERMISSIONS
from helhedsplan.plans.models import Plan
from tests import factories

# Session, user, membership (with the plan and its data version): every plan page's own.
REQUEST = 3
SCORECARD_WARM = REQUEST
# + areas, focus areas, criteria, targets (their areas aggregated), seed notes, observations
# (every state: the years offered), reference values.
SCORECARD_COLD = REQUEST + 7
# The installation's counter (the page shows people's names) comes with the access query.
CRITERION_WARM = REQUEST
# + the plan's data as the scorecard reads it (7), the criterion's observations, its
# background measures and their observations, the status reports and corrections that lock
# figures, the reference series and their values, the audit entries and the names their
# diffs show (``audit.display.prepare``: one query over the trail here).
CRITERION_COLD = CRITERION_WARM + 7 + 9


def _build(plan: Plan, areas: int, criteria: int, years: Iterable[int]) -> SuccessCriterion:
    """``areas`` x ``criteria`` (a rate, a target on every area and the total) x ``years`` of
    approved figures; the first criterion has a seed note, a reference series and a
    background measure, as some of the seed's have."""
    made_areas = [
        factories.HousingAreaFactory(plan=plan, slug=f"omr-{a}", name=f"Område {a}", order=a)
        for a in range(areas)
    ]
    focus = factories.FocusAreaFactory(plan=plan, code="5.1", name="Tryghed", order=1)
    years = list(years)
    first = None
    for c in range(criteria):
        measure = factories.MeasureFactory(
            plan=plan, slug=f"m-{c}", value_kind=Measure.ValueKind.PERCENT, unit="%",
            is_rate=True, first_year=min(years), order=c,
        )  # fmt: skip
        criterion = factories.SuccessCriterionFactory(
            plan=plan, focus_area=focus, measure=measure, code=f"5.1.{c + 1}", order=c
        )
        factories.TargetFactory(criterion=criterion, areas=made_areas)
        Observation.objects.bulk_create(
            Observation(measure=measure, area=a, year=y, value=Decimal(20 + y % 7),
                        numerator=20 + y % 7, denominator=100, state="approved")
            for a in made_areas for y in years
        )  # fmt: skip
        first = first or criterion
    assert first is not None
    SeedNote.objects.create(criterion=first, kind="undated", title="Note", text="Fra aftalen")
    series = ReferenceSeries.objects.create(
        plan=plan, measure=first.measure, slug="land", name="Hele landet"
    )
    ReferenceValue.objects.bulk_create(
        ReferenceValue(series=series, year=y, value=20) for y in years
    )
    background = factories.MeasureFactory(plan=plan, slug="baggrund", name="Baggrundstal")
    first.context_measures.add(background)
    for a in made_areas:
        factories.ObservationFactory(measure=background, area=a, state="approved")
    return first


SIZES = [
    pytest.param(2, 3, range(2019, 2020), id="2 areas x 3 criteria x 1 year"),
    pytest.param(4, 12, range(2015, 2022), id="4 areas x 12 criteria x 7 years"),
]


def _secretariat(plan: Plan) -> Client:
    client = Client()
    client.force_login(factories.persona(plan, "secretariat"))
    return client


@pytest.mark.parametrize(("areas", "criteria", "years"), SIZES)
def test_the_scorecard_costs_the_same_queries_at_any_size(
    db: None, django_assert_num_queries: Any, areas: int, criteria: int, years: range
) -> None:
    plan = factories.PlanFactory()
    _build(plan, areas, criteria, years)
    client = _secretariat(plan)
    url = reverse("criteria:scorecard", kwargs={"slug": plan.slug}) + "?aar=2019"
    with django_assert_num_queries(SCORECARD_COLD):
        cold = client.get(url)
    with django_assert_num_queries(SCORECARD_WARM):
        warm = client.get(url)
    assert cold.status_code == warm.status_code == 200
    assert cold.content.count(b'class="value"') == criteria * (areas + 1)
    assert _main(cold) == _main(warm)


@pytest.mark.parametrize(("areas", "criteria", "years"), SIZES)
def test_the_criterion_page_costs_the_same_queries_at_any_size(
    db: None, django_assert_num_queries: Any, areas: int, criteria: int, years: range
) -> None:
    plan = factories.PlanFactory()
    first = _build(plan, areas, criteria, years)
    client = _secretariat(plan)
    ContentType.objects.get_for_models(SuccessCriterion, Target, Observation)  # cached per process
    with django_assert_num_queries(CRITERION_COLD):
        cold = client.get(first.get_absolute_url())
    with django_assert_num_queries(CRITERION_WARM):
        warm = client.get(first.get_absolute_url())
    assert cold.status_code == warm.status_code == 200
    assert b"Hele landet" in cold.content and b"Baggrundstal" in cold.content
    assert _main(cold) == _main(warm)


def _main(response: Any) -> str:
    text: str = response.content.decode()
    return text[text.index("<main>") : text.index("</main>")]


# --- never stale: every kind of write that changes what the pages show -----------------------


def _cell_text(response: Any, code: str, column: str) -> str:
    """The text of the scorecard's cell (criterion ``code``, column ``column``)."""
    text = response.content.decode()
    row = text[text.index(f'<tr data-code="{code}">') :]
    row = row[: row.index("</tr>")]
    match = re.search(rf'<td class="num" data-col="{column}">(.*?)</td>', row, re.S)
    assert match, row
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _cell(response: Any, code: str, column: str) -> str:
    """The cell's value."""
    return _cell_text(response, code, column).split()[0]


@pytest.fixture
def pages(plan: Plan, criteria: dict[str, SuccessCriterion]) -> Any:
    """The scorecard of the plan's first year and 5.2.3's page, each fetched once (cached)."""
    client = _secretariat(plan)
    year = plan.start_date.year
    scorecard = reverse("criteria:scorecard", kwargs={"slug": plan.slug}) + f"?aar={year}"
    criterion = criteria["5.2.3"]
    services.observation_register(
        measure=criterion.measure, area=None, year=year, value=Decimal(17)
    )
    services.observation_approve(
        observation=Observation.objects.get(measure=criterion.measure, year=year),
        user=factories.persona(plan, "secretariat"),
    )

    class Pages:
        def scorecard_cell(self) -> str:
            return _cell(client.get(scorecard), "5.2.3", "total")

        def scorecard_status(self) -> str:
            return _cell_text(client.get(scorecard), "5.2.3", "total")

        def criterion(self) -> str:
            return client.get(criterion.get_absolute_url()).content.decode()

    got = Pages()
    assert got.scorecard_cell() == "17"
    assert "Værdien skal være under 30 " in got.criterion()
    return got


def _approved(criterion: SuccessCriterion) -> Observation:
    return Observation.objects.get(measure=criterion.measure, area=None, state="approved")


DRAFT = '<span class="badge warn">Kladde</span>'  # a draft in the criterion's observations


def test_an_approval_shows_at_once(pages: Any, plan: Plan, criteria: Any) -> None:
    measure = criteria["5.2.3"].measure
    year = plan.start_date.year + 1
    client = _secretariat(plan)
    url = reverse("criteria:scorecard", kwargs={"slug": plan.slug}) + f"?aar={year}"
    assert _cell(client.get(url), "5.2.3", "total") == "–"  # cached with no figure
    draft = services.observation_register(measure=measure, area=None, year=year, value=Decimal(40))
    assert _cell(client.get(url), "5.2.3", "total") == "–"  # a draft does not count
    assert pages.criterion().count(DRAFT) == 1  # but the criterion page lists it at once
    services.observation_approve(observation=draft, user=factories.persona(plan, "secretariat"))
    assert _cell(client.get(url), "5.2.3", "total") == "40"
    assert DRAFT not in pages.criterion()


def test_a_correction_of_an_approved_figure_shows_at_once(pages: Any, criteria: Any) -> None:
    obs = _approved(criteria["5.2.3"])
    services.observation_register(
        measure=obs.measure, area=None, year=obs.year, value=Decimal(12),
        may_correct_approved=True, reason="Politiets rettede tal",
    )  # fmt: skip
    assert _approved(criteria["5.2.3"]).value == 12  # a correction stays approved
    assert pages.scorecard_cell() == "12"


def test_a_changed_target_shows_at_once(pages: Any, criteria: Any) -> None:
    target = criteria["5.2.3"].targets.get()
    services.target_update(target=target, value=Decimal(10), reason="Skærpet mål")
    assert "Værdien skal være under 10 " in pages.criterion()
    assert "Ikke opfyldt" in pages.scorecard_status()  # 17 is not under 10


def test_an_import_shows_at_once(pages: Any, plan: Plan, criteria: Any) -> None:
    rows = [
        services.ImportRow(2, "5.2.3", "total", plan.start_date.year, Decimal(8), None, None, "")
    ]
    services.observations_import(
        plan=plan, rows=rows, approve=True, may_correct_approved=True, reason="Nye tal"
    )
    assert pages.scorecard_cell() == "8"


def test_an_edited_criterion_shows_at_once(pages: Any, criteria: Any) -> None:
    criterion = criteria["5.2.3"]
    services.success_criterion_update(
        criterion=criterion, title="Færre påsatte brande", text=criterion.text, reason="Klarere"
    )
    assert "Færre påsatte brande" in pages.criterion()


def test_a_new_name_of_who_registered_shows_at_once(pages: Any, plan: Plan, criteria: Any) -> None:
    registrar = factories.persona(plan, "coordinator")
    services.observation_register(
        measure=criteria["5.2.3"].measure, area=plan.areas.order_by("order").first(),
        year=plan.start_date.year, value=Decimal(3), user=registrar,
    )  # fmt: skip
    assert registrar.get_full_name() in pages.criterion()
    registrar.first_name = "Omdøbt"
    registrar.save()
    assert "Omdøbt" in pages.criterion()


def test_a_login_leaves_the_installations_counter_alone(db: None) -> None:
    from helhedsplan.plans import versions

    user = factories.UserFactory()
    before = versions.current_installation()
    client = Client()
    assert client.login(username=user.username, password="x")
    assert versions.current_installation() == before


# --- readers with different access never share a fragment that differs -----------------------


def test_the_secretariat_and_a_coordinator_never_get_each_others_criterion_page(
    plan: Plan, criteria: Any
) -> None:
    url = criteria["5.2.3"].get_absolute_url()
    target = criteria["5.2.3"].targets.get()
    edit = reverse(
        "criteria:target_edit", kwargs={"slug": plan.slug, "code": "5.2.3", "pk": target.pk}
    )
    secretariat, coordinator = Client(), Client()
    secretariat.force_login(factories.persona(plan, Role.SECRETARIAT))
    coordinator.force_login(factories.persona(plan, Role.COORDINATOR))
    for first, second in ((secretariat, coordinator), (coordinator, secretariat)):
        from django.core.cache import cache

        cache.clear()
        first.get(url), second.get(url)  # one fills the cache, then the other reads it
        assert edit in secretariat.get(url).content.decode()
        assert 'data-testid="audit"' in secretariat.get(url).content.decode()
        page = coordinator.get(url).content.decode()
        assert edit not in page and 'data-testid="audit"' not in page


def test_the_fragments_key_holds_every_permission_its_template_asks_about() -> None:
    templates = Path(settings.BASE_DIR) / "helhedsplan" / "templates"
    asked = set()
    for name in ("criteria/_criterion_body.html", "criteria/_observations.html"):
        asked |= set(re.findall(r'can:"([a-z._]+)"', (templates / name).read_text()))
    assert asked == set(CRITERION_PERMISSIONS)
    grid = (templates / "criteria/_scorecard_grid.html").read_text()
    assert "access" not in grid.split("#}", 1)[1] and "request" not in grid


def test_another_day_is_another_key(
    pages: Any, plan: Plan, criteria: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which targets are in force and which years are due depend on today: tomorrow's page
    is rendered anew, not served from today's fragment."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    rendered = []
    original = cache.set

    def recording(key: str, *args: Any, **kwargs: Any) -> None:
        rendered.append(key)
        original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording)
    pages.scorecard_cell()
    assert rendered == []  # today's fragment is cached
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    pages.scorecard_cell()
    assert len(rendered) == 1 and tomorrow.isoformat() in rendered[0]
