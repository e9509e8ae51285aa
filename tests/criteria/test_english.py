"""The English UI words the engine's results and the charts in English (issue 10): the same
codes and numbers as the Danish pages, worded through gettext and ``lib.numbers``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria.engine import Op, Target, TargetError, TargetKind
from helhedsplan.criteria.wording import target_error_text
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url

# About the seed's criterion 5.2.2 (30,65 in 2016) worded in English: uses the demo.
pytestmark = pytest.mark.demo

Clients = Callable[[str], Client]


def _english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _url(name: str, plan: Plan, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


def test_english_criterion_page_states_the_target_in_english(
    plan: Plan, client_for: Clients
) -> None:
    text = _english(client_for("board")).get(_url("criteria:criterion", plan, code="5.2.2"))
    page = text.content.decode()
    assert (
        "The value must fall from 30.65 pr. 1000 beboere in 2016 to at most 20 pr. 1000 "
        "beboere in 2021"
    ) in page
    assert "Værdien skal" not in page


def test_english_scorecard_explains_statuses_in_english(plan: Plan, client_for: Clients) -> None:
    page = _english(client_for("board")).get(_url("criteria:scorecard", plan) + "?aar=2016")
    text = page.content.decode()
    assert 'title="28 is not at most 13.5 (10 % below 15 in 2015)">Not met<' in text
    assert "2016 is the target&#x27;s baseline year; the target is assessed from 2017" in text
    for danish in ("er ikke", "basisår", "Ikke opfyldt", "Ikke aktuel"):
        assert danish not in text


def test_english_chart_has_english_labels_and_numbers(plan: Plan, client_for: Clients) -> None:
    client = _english(client_for("board"))
    svg = client.get(
        export_url(plan, "graf", "svg", kriterium="5.2.2", kolonne="total")
    ).content.decode()
    assert "Observed 2016: 30.65" in svg and ">30.65</text>" in svg and "Target 1" in svg
    assert "30,65" not in svg and "Observeret" not in svg


def test_danish_chart_keeps_danish_numbers(plan: Plan, client_for: Clients) -> None:
    svg = (
        client_for("board")
        .get(export_url(plan, "graf", "svg", kriterium="5.2.2", kolonne="total"))
        .content.decode()
    )
    assert "Observeret 2016: 30,65" in svg and "Mål 1" in svg


def test_an_inconsistent_target_is_explained_in_the_active_language() -> None:
    target = Target(
        kind=TargetKind.THRESHOLD, first_year=2018, last_year=2021, op=Op.GT,
        value=Decimal(70), baseline_year=2017,
    )  # fmt: skip
    with pytest.raises(TargetError) as exc:
        target.validate()
    assert exc.value.code == "unused"
    assert target_error_text(exc.value, "da") == (
        "Et mål af typen »Tærskel« bruger ikke »Nulpunktsår«; lad feltet stå tomt."
    )
    assert target_error_text(exc.value, "en") == (
        "A target of the type “Threshold” does not use “Baseline year”; leave the field empty."
    )
