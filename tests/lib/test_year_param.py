"""One name for the year on every page (``?aar=``), read by one helper: a bad year in the
address shows the page's default year, never an error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.lib.numbers import parse_year
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2018", 2018), (" 2019 ", 2019), ("", 2017), (None, 2017), ("x", 2017), ("18", 2017),
     ("2018.5", 2017), ("99999", 2017), ("2030", 2017)],
)  # fmt: skip
def test_parse_year(text: str | None, expected: int) -> None:
    assert parse_year(text, 2017, allowed=list(range(2015, 2022))) == expected


@pytest.mark.parametrize(
    "name",
    ["criteria:scorecard", "export:succeskriterier.xlsx", "activities:delivery",
     "export:leverancemaaling.xlsx", "activities:criteria_support", "meetings:calendar",
     "lists:overview"],
)  # fmt: skip
def test_a_bad_year_shows_the_default(
    plan: Plan, client_for: Callable[[str], Client], name: str
) -> None:
    if name.startswith("export:"):
        identifier, fmt = name.removeprefix("export:").split(".")
        url = export_url(plan, identifier, fmt)
    else:
        url = reverse(name, kwargs={"slug": plan.slug})
    client = client_for("secretariat")
    for query in ("?aar=abc", "?aar=1850", "?aar=20188"):
        assert client.get(url + query).status_code == 200


def test_the_old_scorecard_name_redirects_once(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("criteria:scorecard", kwargs={"slug": plan.slug})
    response = client_for("board").get(url + "?year=2016&focus=5.2")
    assert response.status_code == 301
    assert response["Location"] == f"{url}?focus=5.2&aar=2016"
