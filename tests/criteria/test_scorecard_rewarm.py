"""Once per write, not per read (issue 15): a write to a plan renders the scorecard views read
lately again when it commits (``plans.fragments.rewarm``), so the first reader after it gets
the new figures from the cache; views nobody read are left alone, and a failure to render
never undoes the write."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria import pages, services
from helhedsplan.criteria.models import Target
from helhedsplan.plans import fragments, versions
from helhedsplan.plans.models import Plan
from tests import factories
from tests.criteria.test_page_cache import SCORECARD_COLD, SCORECARD_WARM, _build


@pytest.fixture
def grid_plan(db: None) -> Plan:
    plan = factories.PlanFactory()
    _build(plan, 2, 3, range(2019, 2021))
    return plan


@pytest.fixture
def client(grid_plan: Plan) -> Client:
    client = Client()
    client.force_login(factories.persona(grid_plan, "secretariat"))
    return client


def _cell(response: Any, code: str = "5.1.1", column: str = "total") -> str:
    """The HTML of one cell (its badge's title holds the target's sentence)."""
    text = response.content.decode()
    row = text[text.index(f'<tr data-code="{code}">') :]
    row = row[: row.index("</tr>")]
    found = re.search(rf'<td class="num" data-col="{column}">(.*?)</td>', row, re.S)
    assert found, row
    return found.group(1)


def _url(plan: Plan, query: str = "?aar=2019") -> str:
    return reverse("criteria:scorecard", kwargs={"slug": plan.slug}) + query


def _change_target(plan: Plan, value: int, capture: Any) -> None:
    """A target changed through its service, in a transaction that commits (its on-commit
    callbacks run)."""
    target = Target.objects.filter(criterion__plan=plan).order_by("pk").first()
    assert target is not None
    user = factories.persona(plan, "secretariat")
    with capture(execute=True):
        services.target_update(target=target, user=user, reason="Ny aftale", value=Decimal(value))


def test_the_first_read_after_a_write_is_warm_and_new(
    grid_plan: Plan, client: Client, django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    plan = grid_plan
    url = _url(plan)
    before = _cell(client.get(url))
    assert "under 30" in before and before == _cell(client.get(url))
    _change_target(plan, 15, django_capture_on_commit_callbacks)
    with django_assert_num_queries(SCORECARD_WARM):
        after = _cell(client.get(url))
    assert "under 15" in after and "under 30" not in after


def test_every_view_read_lately_is_rendered_again_and_no_other(
    grid_plan: Plan, client: Client, django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any, settings: Any,
) -> None:  # fmt: skip
    plan = grid_plan
    settings.FRAGMENT_REWARM = 2
    older, newer = _url(plan, "?aar=2019"), _url(plan, "?aar=2020")
    unread = _url(plan, "?area=total")
    for url in (older, newer):
        client.get(url)
    _change_target(plan, 15, django_capture_on_commit_callbacks)
    for url in (older, newer):
        with django_assert_num_queries(SCORECARD_WARM):
            assert "under 15" in _cell(client.get(url))
    with django_assert_num_queries(SCORECARD_COLD):
        client.get(unread)
    # Three views read now, two kept: the newest two (the unread one just read, and 2020).
    _change_target(plan, 16, django_capture_on_commit_callbacks)
    with django_assert_num_queries(SCORECARD_WARM):
        client.get(unread)
    with django_assert_num_queries(SCORECARD_WARM):
        client.get(newer)
    with django_assert_num_queries(SCORECARD_COLD):
        client.get(older)


def test_a_view_read_in_english_is_rendered_again_in_english(
    grid_plan: Plan, client: Client, django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    plan = grid_plan
    url = _url(plan)
    client.cookies["django_language"] = "en"
    first = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Only approved observations count" in first
    _change_target(plan, 15, django_capture_on_commit_callbacks)
    with django_assert_num_queries(SCORECARD_WARM):
        response = client.get(url, headers={"accept-language": "en"})
    again = response.content.decode()
    assert "Only approved observations count" in again and "below 15" in _cell(response)


def test_a_rolled_back_write_renders_nothing(
    grid_plan: Plan, client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    plan = grid_plan
    client.get(_url(plan))
    calls: list[Any] = []
    monkeypatch.setattr(fragments, "rewarm", lambda ids: calls.append(ids))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _change_target_in_place(plan)
    assert len(callbacks) == 1  # one callback for the transaction, however many entries
    assert not calls  # discarded with the transaction


def _change_target_in_place(plan: Plan) -> None:
    target = Target.objects.filter(criterion__plan=plan).order_by("pk").first()
    assert target is not None
    services.target_update(
        target=target, user=factories.persona(plan, "secretariat"), reason="Ny", value=Decimal(9)
    )


def test_one_callback_per_transaction_whatever_it_writes(
    grid_plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    plan = grid_plan
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        versions.bump([plan.pk])
        versions.bump([plan.pk])
        versions.bump([None])
    assert len(callbacks) == 1
    assert callbacks[0].plans == {plan.pk}


def test_a_failing_rendering_is_logged_and_the_write_stands(
    grid_plan: Plan, client: Client, django_capture_on_commit_callbacks: Any,
    monkeypatch: Any, caplog: Any,
) -> None:  # fmt: skip
    plan = grid_plan
    client.get(_url(plan))

    def broken(*args: Any) -> Any:
        raise RuntimeError("brudt")

    monkeypatch.setitem(
        fragments._RENDERERS, "scorecard", fragments._Registered(broken, installation=False)
    )
    with caplog.at_level(logging.ERROR, logger="helhedsplan.plans.fragments"):
        _change_target(plan, 15, django_capture_on_commit_callbacks)
    assert "Kunne ikke gentegne scorecard" in caplog.text
    assert Target.objects.filter(criterion__plan=plan, value=15).exists()
    monkeypatch.setitem(
        fragments._RENDERERS, "scorecard", fragments._Registered(pages.scorecard_grid, False)
    )
    assert "under 15" in _cell(client.get(_url(plan)))


def test_nothing_is_rendered_when_switched_off(
    grid_plan: Plan, client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    plan = grid_plan
    settings.FRAGMENT_REWARM = 0
    client.get(_url(plan))
    assert fragments.rewarm([plan.pk]) == 0


def test_views_read_long_ago_are_not_rendered(
    grid_plan: Plan, client: Client, monkeypatch: Any
) -> None:
    plan = grid_plan
    client.get(_url(plan))
    versions.bump([plan.pk])
    assert fragments.rewarm([plan.pk]) == 1
    versions.bump([plan.pk])
    later = time.time() + fragments.WINDOW + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert fragments.rewarm([plan.pk]) == 0


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
