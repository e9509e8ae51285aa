"""The scorecard, the criterion page, charts, entry, approval, targets, export and the API.

On the factory plan with one criterion per kind of figure (tests/criteria/conftest.py); the
tests marked ``demo`` are about the seed's content (its areas, figures and users)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.audit.models import AuditEntry
from helhedsplan.charts import ChartSpec, Series, line_chart, svg_to_png
from helhedsplan.criteria import services
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
from helhedsplan.lib.concurrency import NEW
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.reports.exporters import export_url
from tests.editing import opened_version
from tests.factories import (
    HousingAreaFactory,
    MeasureFactory,
    ObservationFactory,
    SuccessCriterionFactory,
    TargetFactory,
)

Clients = Callable[[str], Client]


def _url(name: str, plan: Plan, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


@pytest.mark.demo  # about the seed's content: its areas, figures and contradictions
def test_scorecard_shows_values_statuses_and_contradictions(
    plan: Plan, client_for: Clients
) -> None:
    text = client_for("board").get(_url("criteria:scorecard", plan) + "?aar=2016").content
    page = text.decode()
    assert "5.1.1 Generel tryghed" in page and "5.4.2" in page
    assert "58,3" in page and "30,65" in page
    assert "modstrid i aftalen" in page
    assert "Ikke opfyldt" in page  # arson 28 in 2016 against 15 in 2015
    assert "kan ikke udledes" in page  # the police index has only area rates


@pytest.mark.demo  # about the seed's content: its areas, figures and contradictions
def test_scorecard_filters(plan: Plan, client_for: Clients) -> None:
    client = client_for("auditor")
    page = client.get(_url("criteria:scorecard", plan) + "?aar=2015&focus=5.2&area=motalavej")
    text = page.content.decode()
    assert "5.2.2" in text and "5.1.1 Generel" not in text
    assert "34,2" in text and "31,4" not in text  # Motalavej only, not Ringparken


@pytest.mark.demo  # about the seed's content: its areas, figures and contradictions
def test_criterion_page(plan: Plan, client_for: Clients) -> None:
    text = client_for("auditor").get(_url("criteria:criterion", plan, code="5.2.2")).content
    page = text.decode()
    assert "Værdien skal falde fra 30,65 pr. 1000 beboere i 2016 til højst 20" in page
    assert "Under 28 eller under 30" in page  # the contradiction, visible
    assert "<svg" in page and "5.2.2 Motalavej" in page
    assert "Slagelse Kommune" in page and "11,4" in page
    assert "Revisionsspor for kriteriet" in page


@pytest.mark.demo  # about the seed's content: its areas, figures and contradictions
def test_511_page_names_the_shared_measure(plan: Plan, client_for: Clients) -> None:
    page = client_for("board").get(_url("criteria:criterion", plan, code="5.1.1")).content
    text = page.decode()
    assert "5.2.1" in text
    assert "Gennemsnit for særligt udsatte boligområder (SUB)" in text
    assert "Afventer nulpunkt" in text or "fastlægges på baggrund af nulpunktet for 2017" in text


def test_chart_as_svg_and_png(plan: Plan, client_for: Clients) -> None:
    motalavej = HousingAreaFactory(plan=plan, slug="motalavej", name="Motalavej")
    ObservationFactory(
        measure=Measure.objects.get(plan=plan, slug="kriminalretlige-afgoerelser"),
        area=motalavej, year=2016, value=Decimal("55.1"), state=Observation.State.APPROVED,
    )  # fmt: skip
    client = client_for("board")
    svg = client.get(export_url(plan, "graf", "svg", kriterium="5.2.2", kolonne="motalavej"))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"55,1" in svg.content
    png = client.get(export_url(plan, "graf", "png", kriterium="5.2.2", kolonne="total"))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    bad = client.get(export_url(plan, "graf", "gif", kriterium="5.2.2", kolonne="total"))
    assert bad.status_code == 404


def test_line_chart_escapes_and_skips_gaps() -> None:
    spec = ChartSpec(
        "A <b>", [2018, 2019, 2020], [Series("x", {2018: Decimal(1), 2020: Decimal(3)})]
    )
    svg = line_chart(spec)
    assert "A &lt;b&gt;" in svg and "<polyline" not in svg  # a gap splits the line
    assert svg_to_png(svg).startswith(b"\x89PNG")


@pytest.mark.demo  # about the seed's content: its 2016 figure 55,1 and its user "kommune"
def test_observation_form_shows_previous_values_and_registers_a_draft(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("municipal")
    url = _url("criteria:observation_new", plan, code="5.2.2")
    page = client.get(url)
    assert "Tidligere værdier" in page.content.decode() and "55,1" in page.content.decode()
    data = {"area": "total", "year": "2018", "value": "27,5", "version": opened_version(page)}
    response = client.post(url, data)
    assert response.status_code == 302
    obs = Observation.objects.get(measure__slug="kriminalretlige-afgoerelser", year=2018)
    assert obs.value == Decimal("27.5") and obs.state == Observation.State.DRAFT
    assert obs.registered_by is not None and obs.registered_by.username == "kommune"


def test_coordinator_registers_only_for_own_areas(plan: Plan, client_for: Clients) -> None:
    # Two areas named as the seed's, the coordinator's first (the persona registers for it).
    HousingAreaFactory(plan=plan, slug="motalavej", name="Motalavej", order=0)
    HousingAreaFactory(plan=plan, slug="ringparken", name="Ringparken", order=1)
    client = client_for("coordinator")
    url = _url("criteria:observation_new", plan, code="5.2.2")
    page = client.get(url).content.decode()
    assert 'value="motalavej"' in page and 'value="ringparken"' not in page
    response = client.post(
        url, {"area": "ringparken", "year": "2018", "value": "20", "version": NEW}
    )
    assert response.status_code == 200
    assert not Observation.objects.filter(year=2018).exists()
    measure = Measure.objects.get(plan=plan, slug="kriminalretlige-afgoerelser")
    with pytest.raises(ValidationError) as exc:
        services.observation_register(
            measure=measure, area=plan.areas.get(slug="ringparken"), year=2018,
            value=Decimal(20), allowed_area_ids={plan.areas.get(slug="motalavej").pk},
        )  # fmt: skip
    assert exc.value.error_dict["area"][0].code == "area_not_allowed"


@pytest.mark.parametrize(
    ("measure", "kwargs", "field", "code"),
    [
        ("paasatte-brande", {"value": Decimal(-1)}, "value", "negative"),
        ("fraflytning", {"value": Decimal(101)}, "value", "share_over_100"),
        ("fraflytning", {"numerator": Decimal(120), "denominator": Decimal(100)}, "numerator",
         "numerator_over_denominator"),
        ("paasatte-brande", {"value": Decimal(3), "year": 2030}, "year", "year_outside_measure"),
        ("paasatte-brande", {}, "value", "value_required"),
    ],
)  # fmt: skip
def test_register_refuses_bad_values(
    plan: Plan, measure: str, kwargs: dict[str, object], field: str, code: str
) -> None:
    m = Measure.objects.get(plan=plan, slug=measure)
    args: dict[str, object] = {"year": 2018, **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.observation_register(measure=m, area=None, **args)  # type: ignore[arg-type]
    assert exc.value.error_dict[field][0].code == code
    assert not Observation.objects.filter(measure=m, year=int(str(args["year"]))).exists()


def test_rate_value_is_computed_from_numerator_and_denominator(plan: Plan) -> None:
    m = Measure.objects.get(plan=plan, slug="fraflytning")
    obs = services.observation_register(
        measure=m, area=None, year=2018, numerator=Decimal(21), denominator=Decimal(100)
    )
    assert obs.value == Decimal("21.00")


def test_approval_makes_a_draft_count(plan: Plan, client_for: Clients) -> None:
    m = Measure.objects.get(plan=plan, slug="paasatte-brande")
    m.name = "Påsatte brande"
    m.save()
    # As the seed's: 10 % fewer each year from 15 in 2015, so 2017 is due (and lacks data).
    Target.objects.filter(criterion__measure=m).update(
        kind="year_over_year", first_year=2016, op="", value=None, percent=Decimal(10),
        baseline_year=2015, baseline_value=Decimal(15),
    )  # fmt: skip
    obs = services.observation_register(measure=m, area=None, year=2017, value=Decimal(25))
    client = client_for("secretariat")
    card = client.get(_url("criteria:scorecard", plan) + "?aar=2017").content.decode()
    assert "25</span>" not in card
    assert "Mangler data" in card
    approvals = client.get(_url("criteria:approvals", plan))
    assert "Påsatte brande" in approvals.content.decode()
    version = opened_version(approvals)
    assert (
        client.post(_url("criteria:approve", plan, pk=obs.pk), {"version": version}).status_code
        == 302
    )
    obs.refresh_from_db()
    assert obs.state == Observation.State.APPROVED and obs.approved_by is not None
    card = client.get(_url("criteria:scorecard", plan) + "?aar=2017").content.decode()
    assert "25</span>" in card
    assert (
        client_for("coordinator").post(_url("criteria:approve", plan, pk=obs.pk)).status_code == 403
    )


def test_changing_a_target_with_observations_needs_a_reason(
    plan: Plan, client_for: Clients
) -> None:
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    TargetFactory(criterion=criterion, order=3, value=Decimal(19))
    ObservationFactory(measure=criterion.measure, area=None, year=2016, value=Decimal(30))
    target = Target.objects.get(criterion__plan=plan, criterion__code="5.2.2", order=3)
    client = client_for("secretariat")
    url = _url("criteria:target_edit", plan, code="5.2.2", pk=target.pk)
    data = {"kind": "threshold", "first_year": "2018", "last_year": "2021", "op": "lt",
            "value": "22", "version": opened_version(client.get(url))}  # fmt: skip
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Skriv en begrundelse" in page.content.decode()
    target.refresh_from_db()
    assert target.value == Decimal(19)
    data["reason"] = "Bestyrelsen besluttede 22 på mødet 1. marts 2019"
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal(22)
    entry = AuditEntry.objects.filter(object_pk=str(target.pk), reason__contains="22 på").get()
    assert entry.plan_id == plan.pk
    criterion_page = client_for("auditor").get(_url("criteria:criterion", plan, code="5.2.2"))
    assert "Bestyrelsen besluttede 22" in criterion_page.content.decode()


def test_target_update_without_observations_needs_no_reason(plan: Plan) -> None:
    TargetFactory(
        criterion=SuccessCriterionFactory(plan=plan, code="5.3.1"), kind="direction",
        op="", value=None, baseline_year=2017,
    )  # fmt: skip
    target = Target.objects.get(criterion__plan=plan, criterion__code="5.3.1")
    services.target_update(target=target, baseline_year=2017, first_year=2019)
    target.refresh_from_db()
    assert target.first_year == 2019


@pytest.mark.demo  # about the seed's content: its areas, figures and contradictions
def test_scorecard_export_xlsx(plan: Plan, client_for: Clients) -> None:
    from openpyxl import load_workbook

    response = client_for("board").get(export_url(plan, "succeskriterier", "xlsx", aar=2015))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    crim = next(r for r in rows if r[1] == "5.2.2")
    assert crim[3] == pytest.approx(34.2)
    assert "kan ikke udledes" in crim


@pytest.mark.demo  # about the seed's content: its areas, figures and contradictions
def test_api_scorecard(plan: Plan, client_for: Clients) -> None:
    response = client_for("auditor").get(
        reverse("api:scorecard", kwargs={"slug": plan.slug}) + "?year=2016"
    )
    body = json.loads(response.content)
    assert body["year"] == 2016
    assert body["columns"] == ["motalavej", "ringparken", "sydbyen", "skaelskoer", "total"]
    arson = body["criteria"]["5.2.3"]["columns"]["total"]
    assert arson["value"] == "28" and arson["status"] == "not_met"
    assert arson["targets"][0]["target_value"] == "13.5"
    assert body["criteria"]["5.2.3"]["contradiction_in_agreement"] is True
    crim = body["criteria"]["5.2.2"]["columns"]["total"]
    assert crim["value"] == "30.65"
    bad = client_for("board").get(reverse("api:scorecard", kwargs={"slug": plan.slug}) + "?year=x")
    assert bad.status_code == 400


def test_api_for_other_plans_and_anonymous(
    plan: Plan, other_plan: Plan, client_for: Clients
) -> None:
    url = reverse("api:scorecard", kwargs={"slug": plan.slug})
    outsider = Client()
    outsider.force_login(other_plan.memberships.get().user)
    assert outsider.get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 401  # the API: 401, not the login


def _grow(plan: Plan, n: int) -> None:
    """n more areas, focus areas, criteria with targets, and approved observations."""
    for i in range(n):
        area = HousingArea.objects.create(plan=plan, slug=f"ekstra-{i}", name=f"Ekstra {i}")
        fa = FocusArea.objects.create(plan=plan, code=f"9.{i}", name=f"Ekstra {i}")
        m = Measure.objects.create(
            plan=plan, slug=f"ekstra-{i}", name=f"Ekstra {i}", value_kind="percent",
            direction="lower_is_better", is_rate=True, first_year=2015, last_year=2021,
        )  # fmt: skip
        c = SuccessCriterion.objects.create(
            plan=plan, focus_area=fa, code=f"9.{i}.1", title="x", text="x", measure=m
        )
        t = Target.objects.create(
            criterion=c, kind="threshold", op="lt", value=10, first_year=2018, last_year=2021,
            applies_to_total=True,
        )  # fmt: skip
        t.areas.add(area)
        for year in range(2015, 2022):
            Observation.objects.create(
                measure=m, area=area, year=year, value=5, numerator=5, denominator=100,
                state="approved",
            )  # fmt: skip


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_scorecard_and_api_queries_do_not_grow(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    page = _url("criteria:scorecard", plan) + "?aar=2019"
    api = reverse("api:scorecard", kwargs={"slug": plan.slug}) + "?year=2019"
    small = (_count(client, page), _count(client, api))
    _grow(plan, 6)
    assert (_count(client, page), _count(client, api)) == small


def test_secretariat_sets_a_pending_target_from_the_2017_baseline(plan: Plan) -> None:
    # A share measured from 2015, its target pending the 2017 baseline, a 2016 figure stored.
    measure = MeasureFactory(
        plan=plan, value_kind=Measure.ValueKind.PERCENT, unit="%", first_year=2015,
        direction="higher_is_better",
    )  # fmt: skip
    criterion = SuccessCriterionFactory(plan=plan, code="5.1.1", measure=measure)
    TargetFactory(criterion=criterion, kind="pending_baseline", op="", value=None,
                  baseline_year=2017)  # fmt: skip
    ObservationFactory(measure=measure, area=None, year=2016, value=Decimal(58))
    target = Target.objects.get(
        criterion__plan=plan, criterion__code="5.1.1", kind="pending_baseline"
    )
    with pytest.raises(ValidationError) as exc:
        services.target_update(target=target, kind="threshold", op="gt", value=Decimal(70))
    assert exc.value.error_dict["reason"][0].code == "reason_required"  # 2016 figures exist
    with pytest.raises(ValidationError) as exc:
        services.target_update(
            target=target, kind="threshold", op="gt", value=Decimal(70), reason="Nulpunkt 2017"
        )
    assert exc.value.code == "invalid_target"  # a threshold has no baseline year
    services.target_update(
        target=target, kind="threshold", op="gt", value=Decimal(70), baseline_year=None,
        reason="Fastlagt ud fra nulpunktet 2017 (bestyrelsesmøde)",
    )  # fmt: skip
    target.refresh_from_db()
    assert target.describe() == "Værdien skal være over 70 % hvert år i 2018-2021"
