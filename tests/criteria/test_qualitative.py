"""Focus area 5.4's qualitative criteria (5.4.1, 5.4.2): a rating and a narrative, by form
and by import. On a factory plan whose 5.4.1 and 5.4.2 are rating measures, as the seed's
are (``tests/criteria/conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria import importing, services
from helhedsplan.criteria.models import Observation
from helhedsplan.lib.concurrency import NEW
from helhedsplan.plans.models import Plan

Clients = Callable[[str], Client]


def _entry(plan: Plan, code: str) -> str:
    return reverse("criteria:observation_new", kwargs={"slug": plan.slug, "code": code})


@pytest.mark.parametrize("code", ["5.4.1", "5.4.2"])
@pytest.mark.parametrize("role", ["secretariat", "coordinator", "municipal"])
def test_the_entry_form_of_a_rating_measure_opens_for_every_registering_role(
    plan: Plan, client_for: Clients, code: str, role: str
) -> None:
    response = client_for(role).get(_entry(plan, code))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="rating"' in page and 'name="narrative"' in page
    assert 'name="value"' not in page and 'name="numerator"' not in page
    assert "Delvist opfyldt" in page and "Ikke opfyldt" in page


@pytest.mark.parametrize("role", ["board", "lbf", "auditor"])
def test_readers_may_not_open_it(plan: Plan, client_for: Clients, role: str) -> None:
    assert client_for(role).get(_entry(plan, "5.4.1")).status_code == 403


def test_a_rating_with_its_narrative_is_registered_and_shown(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("municipal")
    response = client.post(_entry(plan, "5.4.2"), {
        "area": "total", "year": "2019", "rating": Observation.Rating.PARTLY, "version": NEW,
        "narrative": "12 af 18 mødre vurderer egne kompetencer højere efter forløbet.",
        "source_note": "Spørgeskema 2019",
    })  # fmt: skip
    assert response.status_code == 302
    obs = Observation.objects.get(measure__plan=plan, measure__slug="moedres-kompetencer",
                                  year=2019)  # fmt: skip
    assert obs.rating == Observation.Rating.PARTLY and obs.value is None
    assert obs.state == Observation.State.DRAFT
    page = client.get(reverse("criteria:criterion", kwargs={"slug": plan.slug, "code": "5.4.2"}))
    assert "12 af 18 mødre" in page.content.decode()
    assert "Delvist opfyldt" in page.content.decode()


def test_a_rating_is_required(plan: Plan, client_for: Clients) -> None:
    response = client_for("municipal").post(_entry(plan, "5.4.1"), {
        "area": "total", "year": "2020", "version": NEW})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["rating"]
    assert not Observation.objects.filter(measure__plan=plan, year=2020, rating__gt="").exists()


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("opfyldt", "opfyldt"), ("OPFYLDT", "opfyldt"), ("Met", "opfyldt"),
        ("delvist", "delvist"), ("Delvist opfyldt", "delvist"), ("partly met", "delvist"),
        ("ikke opfyldt", "ikke_opfyldt"), ("Ikke  Opfyldt", "ikke_opfyldt"),
        ("not met", "ikke_opfyldt"), ("not_met", "ikke_opfyldt"),
    ],
)  # fmt: skip
def test_the_import_reads_ratings_in_danish_and_english(plan: Plan, text: str, stored: str) -> None:
    data = f"criterion;area;year;rating;narrative;source\n5.4.1;total;2020;{text};Status;Novax\n"
    rows = importing.read_file("vurdering.csv", data.encode())
    assert services.observations_import(plan=plan, rows=rows) == 1
    obs = Observation.objects.get(measure__plan=plan, measure__slug="udvalgte-familier", year=2020)
    assert obs.rating == stored and obs.narrative == "Status" and obs.value is None


def test_the_import_reads_the_danish_narrative_column(plan: Plan) -> None:
    data = (
        "kriterium;område;år;vurdering;beskrivelse;kilde\n"
        "5.4.1;total;2020;opfyldt;Alle udvalgte familier er fulgt op;Novax\n"
    )
    rows = importing.read_file("vurdering.csv", data.encode())
    services.observations_import(plan=plan, rows=rows)
    obs = Observation.objects.get(measure__plan=plan, measure__slug="udvalgte-familier", year=2020)
    assert obs.narrative == "Alle udvalgte familier er fulgt op"
