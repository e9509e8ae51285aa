"""The organisation chart (bilag 1) is drawn from the memberships and follows their changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.organisation import services
from helhedsplan.organisation.chart import chart_svg
from helhedsplan.organisation.models import Body, Membership
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from tests import factories

ON = date(2019, 1, 1)


@pytest.mark.demo  # not yet on factories: needs the seed's organisation
def test_chart_shows_bodies_chairs_and_roles(plan: Plan) -> None:
    svg = chart_svg(plan, ON)
    assert svg.startswith("<svg")
    for text in [
        "Bestyrelse",
        "Formandskab",
        "Koordinationsgruppe",
        "Kompetencecentret (sekretariat)",
        "Lokal følgegruppe – Ringparken og Schackenborgvænge",
        "Beboerhus – Skælskør",
        "Formand/mødeleder",
        "Indkalder og leder møderne",
        "Stedfortræder for Kompetencechefen",
        "Motalavej\u00a050\u00a0%",
        "Sydbyen\u00a030\u00a0%",
        "tværgående\u00a040\u00a0%",
        "Repræsentant for lokalpolitiet",
    ]:
        assert text in svg, text
    assert svg.index("Skælskør\u00a030") < svg.index("tværgående\u00a040")  # cross-cutting last
    assert svg.count('class="body"') == Body.objects.filter(plan=plan).count()


@pytest.mark.demo  # not yet on factories: needs the seed's organisation
def test_chart_changes_when_a_membership_changes(plan: Plan) -> None:
    before = chart_svg(plan, date(2020, 1, 1))
    seat = Membership.objects.get(
        body__slug="koordinationsgruppe", person__name="Politirepræsentant 2 (pladsholder)"
    )
    services.membership_end(membership=seat, end_date=date(2019, 6, 30))
    after = chart_svg(plan, date(2020, 1, 1))
    assert after != before
    assert "Politirepræsentant 2" in before and "Politirepræsentant 2" not in after
    assert "Politirepræsentant 2" in chart_svg(plan, ON)


@pytest.mark.slow
def test_chart_page_and_downloads(plan: Plan, client_for: Callable[[str], Client]) -> None:
    board = factories.BodyFactory(plan=plan)
    group = factories.BodyFactory(plan=plan, kind="coordination_group")
    factories.OrganisationMembershipFactory(body=board, role="chair")
    factories.OrganisationMembershipFactory(body=group)
    client = client_for("lbf")
    kwargs = {"slug": plan.slug}
    page = client.get(reverse("organisation:chart", kwargs=kwargs) + "?dato=2019-01-01")
    assert "<svg" in page.content.decode()
    assert "Hent PDF" in page.content.decode()
    pdf = client.get(export_url(plan, "organisationsdiagram", "pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf["Content-Disposition"]
    png = client.get(export_url(plan, "organisationsdiagram", "png"))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(export_url(plan, "organisationsdiagram", "svg"))
    assert svg.content.startswith(b"<svg")


def test_lbf_has_the_chart_in_its_menu_but_not_the_organisation_page(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    text = client_for("lbf").get(plan.get_absolute_url()).content.decode()
    assert "Organisationsdiagram" in text
    assert f'href="{reverse("organisation:overview", kwargs={"slug": plan.slug})}"' not in text
