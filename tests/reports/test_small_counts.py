"""Internal pages show the real counts, marked where a copy that leaves would show "<5";
the pages LBF reads show LBF the released value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.test import Client
from django.urls import reverse

from helhedsplan.activities.models import Activity
from helhedsplan.plans.models import Plan
from helhedsplan.reports.templatetags.small_counts import count_for, small_count
from tests import factories

MARK = "vises som &lt;5 uden for sekretariatet"
BADGE = 'class="badge small-count"'
Clients = Callable[[str], Client]


class _Reader:
    def __init__(self, released: bool) -> None:
        self.reads_released_copies = released


def test_a_count_of_three_is_marked_and_seven_is_not() -> None:
    marked = str(small_count(3))
    assert marked.startswith("3 ") and 'class="badge small-count"' in marked
    assert "&lt;5</span>" in marked and '<span class="visually-hidden">' in marked
    assert small_count(7) == "7" and small_count(0) == "0" and small_count(None) == "–"
    assert small_count(5) == "5" and "small-count" in str(small_count(4))


def test_a_reader_of_released_copies_gets_the_released_value() -> None:
    lbf, secretariat = _Reader(True), _Reader(False)
    assert count_for(3, lbf) == "<5"  # type: ignore[arg-type]
    assert count_for(7, lbf) == "7"  # type: ignore[arg-type]
    assert "small-count" in str(count_for(3, secretariat))  # type: ignore[arg-type]


def _registrations(plan: Plan) -> Activity:
    activity = factories.ActivityFactory(
        plan=plan, name="Lektiecafé", unit=Activity.Unit.PARTICIPANTS
    )
    nord, syd = plan.areas.get(slug="nord"), plan.areas.get(slug="syd")
    factories.RegistrationFactory(
        plan=plan, activity=activity, area=nord, date=date(2018, 5, 3), n_25_64_f=2, n_25_64_m=1
    )
    factories.RegistrationFactory(
        plan=plan, activity=activity, area=syd, date=date(2018, 8, 3), n_25_64_f=4, n_25_64_m=3
    )
    return activity


def test_the_delivery_page_marks_a_delivery_of_three(plan: Plan, client_for: Clients) -> None:
    _registrations(plan)
    url = reverse("activities:delivery", args=[plan.slug]) + "?aar=2018"
    html = client_for("secretariat").get(url).content.decode()
    nord = html[html.index("Nordparken") : html.index("Sydparken")]
    assert "3 <small" in nord and MARK in nord
    syd = html[html.index("Sydparken") :]
    assert "7 <small" not in syd


def test_the_registration_list_marks_three_participants(plan: Plan, client_for: Clients) -> None:
    _registrations(plan)
    html = (
        client_for("secretariat")
        .get(reverse("activities:registrations", args=[plan.slug]))
        .content.decode()
    )
    assert html.count(BADGE) == 1
    assert ">3 <small" in html


def test_the_criterion_page_marks_a_count_observation_of_three(
    plan: Plan, client_for: Clients
) -> None:
    criterion = factories.SuccessCriterionFactory(
        plan=plan, focus_area=plan.focus_areas.get(code="5.1")
    )
    factories.ObservationFactory(
        measure=criterion.measure, area=plan.areas.get(slug="nord"), value=3
    )
    factories.ObservationFactory(
        measure=criterion.measure, area=plan.areas.get(slug="syd"), value=7
    )
    url = reverse("criteria:criterion", args=[plan.slug, criterion.code])
    html = client_for("secretariat").get(url).content.decode()
    history = html[html.index('class="observations"') :]
    assert history.count(BADGE) == 1


def test_the_overview_shows_lbf_under_five_residents_as_under_five(
    plan: Plan, client_for: Clients
) -> None:
    factories.AreaPopulationFactory(area=plan.areas.get(slug="nord"), year=2016, residents=3)
    url = reverse("plans:overview", args=[plan.slug])
    lbf = client_for("lbf").get(url).content.decode()
    assert "2016: &lt;5" in lbf and MARK not in lbf
    secretariat = client_for("secretariat").get(url).content.decode()
    assert "2016: 3 <small" in secretariat
