"""A page never answers 500 because of a stored value.

Bad values are forced into the database with ``.update()`` (which skips every validation),
as an old import or a hand edit would have left them, and every page that reads them is
requested. On the factory plan, with an area Motalavej (the coordinator's) as in the seed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria import importing, services
from helhedsplan.criteria.models import Measure, Observation
from helhedsplan.lib.concurrency import version_of
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from tests.factories import HousingAreaFactory

Clients = Callable[[str], Client]


@pytest.fixture(autouse=True)
def _motalavej(plan: Plan) -> None:
    HousingAreaFactory(plan=plan, slug="motalavej", name="Motalavej", order=0)


def _pages(plan: Plan, code: str) -> list[str]:
    kw = {"slug": plan.slug}
    return [
        reverse("criteria:criterion", kwargs={**kw, "code": code}),
        reverse("criteria:observation_new", kwargs={**kw, "code": code}),
        reverse("criteria:approvals", kwargs=kw),
        reverse("criteria:scorecard", kwargs=kw) + "?aar=2018",
        export_url(plan, "succeskriterier", "xlsx", aar=2018),
        export_url(plan, "graf", "svg", kriterium=code, kolonne="motalavej"),
        export_url(plan, "graf", "svg", kriterium=code, kolonne="total"),
        reverse("api:scorecard", kwargs=kw) + "?year=2018",
    ]  # fmt: skip


def _draft(plan: Plan, slug: str, area: str | None, **values: object) -> Observation:
    measure = Measure.objects.get(plan=plan, slug=slug)
    obs = Observation.objects.create(
        measure=measure, area=plan.areas.get(slug=area) if area else None, year=2018,
        value=Decimal(3) if measure.value_kind != "rating" else None,
        rating="opfyldt" if measure.value_kind == "rating" else "",
    )  # fmt: skip
    Observation.objects.filter(pk=obs.pk).update(**values)
    return obs


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's numeric(14, 4) refuses 1,2e29 itself"
)
def test_a_value_beyond_the_field_limits_reads_as_missing(plan: Plan, client_for: Clients) -> None:
    """The issue's 1,2e29 for Motalavej: every page stays up, and a later import mends it."""
    obs = _draft(plan, "paasatte-brande", "motalavej", value=Decimal("1.2E+29"))
    Observation.objects.filter(pk=obs.pk).update(state="approved")
    _draft(plan, "paasatte-brande", None, value=Decimal("1.2E+29"))  # a draft, for approvals
    obs.refresh_from_db()
    assert obs.value is None
    for role in ("secretariat", "coordinator", "board"):
        client = client_for(role)
        for url in _pages(plan, "5.2.3"):
            assert client.get(url).status_code in (200, 403), (role, url)
    rows = importing.read_file("ret.csv", b"kriterium;omr\xc3\xa5de;\xc3\xa5r;v\xc3\xa6rdi\n"
                                          b"5.2.3;total;2018;4\n")  # fmt: skip
    assert services.observations_import(plan=plan, rows=rows) == 1
    total = Observation.objects.get(measure__slug="paasatte-brande", area=None, year=2018)
    assert total.value == 4


def test_values_breaking_the_measure_rules_do_not_break_pages(
    plan: Plan, client_for: Clients
) -> None:
    # A rate per 1000 of 5000, a stray rating, a share of 250 %: all within the field limits.
    _draft(plan, "kriminalretlige-afgoerelser", "motalavej", value=Decimal(5000),
           state="approved")  # fmt: skip
    _draft(plan, "udvalgte-familier", None, rating="fremragende", state="approved")
    bad_share = _draft(plan, "fraflytning", "motalavej", value=Decimal(250), numerator=5,
                       denominator=2)  # fmt: skip
    for code in ("5.2.2", "5.4.1", "5.1.2"):
        for url in _pages(plan, code):
            assert client_for("secretariat").get(url).status_code == 200, url
    # Approving the bad draft is refused with the form's message, not a 500.
    approve = reverse("criteria:approve", kwargs={"slug": plan.slug, "pk": bad_share.pk})
    bad_share.refresh_from_db()  # the version as the approval page shows it
    response = client_for("secretariat").post(
        approve, {"version": version_of(bad_share)}, follow=True
    )
    assert response.status_code == 200
    assert "kan ikke være større end nævneren" in response.content.decode()
    bad_share.refresh_from_db()
    assert bad_share.state == Observation.State.DRAFT
