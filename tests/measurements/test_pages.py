"""The plan's pages of central measurements: the values with their trend charts (Danish
numbers, "diskretioneret" shown as such, small numbers suppressed for LBF, a constant number
of queries), the import with its preview, and the column headers. Factory plans."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.measurements.models import CentralMeasurement
from helhedsplan.plans.models import Plan
from tests import factories
from tests.forms_in_pages import submit

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]
HEAD = "område;år;indikator;værdi;tæller;nævner;kilde"


def _url(plan: Plan, name: str = "values") -> str:
    return reverse(f"measurements:{name}", kwargs={"slug": plan.slug})


def _values(plan: Plan) -> None:
    nord, syd = plan.areas.get(slug="nord"), plan.areas.get(slug="syd")
    convicted = factories.indicator("doemte_pct")
    for year, value, num in ((2017, "2.5", 20), (2018, "3.25", 26)):
        factories.CentralMeasurementFactory(
            area=nord, indicator=convicted, year=year, value=Decimal(value), numerator=num,
            denominator=800,
        )  # fmt: skip
    factories.CentralMeasurementFactory(
        area=syd, indicator=convicted, year=2017, value=None, suppressed=True
    )
    factories.CentralMeasurementFactory(
        area=syd, indicator=convicted, year=2018, value=Decimal("0.25"), numerator=3,
        denominator=1200,
    )  # fmt: skip
    factories.CentralMeasurementFactory(
        area=nord, indicator=factories.indicator("beboere"), year=2018, value=812
    )


def test_the_values_page_shows_each_indicator_per_area_and_year(
    factory_plan: Plan, client_for: Clients
) -> None:
    _values(factory_plan)
    page = client_for("secretariat").get(_url(factory_plan)).content.decode()
    table = page[page.index('data-testid="values-doemte_pct"') :]
    table = table[: table.index("</table>")]
    assert "2,5\u00a0%" in table and "3,25\u00a0%" in table and "20 / 800" in table
    assert 'data-mark="suppressed">diskretioneret' in table
    assert "3 / 1.200" in table  # the secretariat reads the small numerator
    assert ">2017<" in table and ">2018<" in table
    assert "812" in page
    # a trend chart per indicator and area with values, named for screen readers
    chart = re.search(r'data-testid="trend-doemte_pct-nord">(.*?)</figure>', page, re.S)
    assert chart is not None
    svg = chart.group(1)
    assert "<title" in svg and "<desc" in svg and "aria-labelledby" in svg
    assert "lavere er bedre" in svg and "↓" in svg
    assert 'data-testid="trend-doemte_pct-syd"' in page
    assert "diskretioneret" in page[page.index('data-testid="trend-doemte_pct-syd"') :]
    # the source and the indicator's words
    assert "Danmarks Statistik via Landsbyggefonden" in page
    assert "Ingen værdier indlæst" in page  # an indicator without values


def test_lbf_reads_the_values_with_small_numbers_suppressed(
    factory_plan: Plan, client_for: Clients
) -> None:
    _values(factory_plan)
    page = client_for("lbf").get(_url(factory_plan)).content.decode()
    table = page[page.index('data-testid="values-doemte_pct"') :]
    table = table[: table.index("</table>")]
    assert "&lt;5 / 1.200" in table and "0,25" not in table
    assert "20 / 800" in table  # not small: shown
    assert 'data-testid="released-note"' in page
    syd = page[page.index('data-testid="trend-doemte_pct-syd"') :]
    syd = syd[: syd.index("</figure>")]
    assert "2018: 0,25" not in syd and "<circle" not in syd  # no point for a hidden share


def test_a_page_without_values_says_so_and_links_the_import(
    factory_plan: Plan, client_for: Clients
) -> None:
    page = client_for("secretariat").get(_url(factory_plan)).content.decode()
    assert 'data-testid="no-measurements"' in page and _url(factory_plan, "import") in page
    board = client_for("board").get(_url(factory_plan)).content.decode()
    assert _url(factory_plan, "import") not in board


def test_the_menu_has_the_page_for_every_role(factory_plan: Plan, client_for: Clients) -> None:
    for role in ("secretariat", "coordinator", "board", "lbf", "auditor"):
        page = client_for(role).get(reverse("plans:overview", kwargs={"slug": factory_plan.slug}))
        assert _url(factory_plan) in page.content.decode(), role


def test_the_values_page_takes_a_constant_number_of_queries(
    factory_plan: Plan, client_for: Clients
) -> None:
    client = client_for("lbf")
    client.get(_url(factory_plan))
    counts = []
    for years in (range(2015, 2017), range(2010, 2020)):
        CentralMeasurement.objects.all().delete()
        for area in factory_plan.areas.all():
            for code in ("doemte_pct", "beboere", "ikke_vestlige_pct"):
                for year in years:
                    factories.CentralMeasurementFactory(
                        area=area, indicator=factories.indicator(code), year=year,
                        value=Decimal(10), numerator=80, denominator=800,
                    ) if code != "beboere" else factories.CentralMeasurementFactory(
                        area=area, indicator=factories.indicator(code), year=year, value=800
                    )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(factory_plan)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _file(text: str, name: str = "lbf.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_import_page_previews_then_saves(factory_plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    factories.CentralMeasurementFactory(
        area=factory_plan.areas.get(slug="nord"), indicator=factories.indicator("doemte_pct"),
        year=2018, value=Decimal("2.5"), numerator=20, denominator=800,
    )  # fmt: skip
    data = f"{HEAD}\nnord;2018;doemte_pct;3;24;800;\nsyd;2018;beboere;1200;;;\n"
    page = client.post(_url(factory_plan, "import"), {"file": _file(data), "action": "preview"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="import-preview"' in html
    assert "1 nye værdier, 1 ændrede og 0 uændrede" in html
    assert "2,5" in html and CentralMeasurement.objects.count() == 1  # nothing saved yet
    carried = re.search(r'name="content" value="([^"]+)"', html)
    assert carried is not None
    response = client.post(
        _url(factory_plan, "import"),
        {"content": carried.group(1), "file_name": "lbf.csv", "action": "save"},
    )
    assert response.status_code == 302 and response["Location"] == _url(factory_plan)
    assert CentralMeasurement.objects.count() == 2
    assert CentralMeasurement.objects.get(area__slug="nord").value == 3
    assert "lbf.csv er indlæst" in client.get(_url(factory_plan)).content.decode()


def test_a_bad_file_on_the_page_shows_every_error_and_saves_nothing(
    factory_plan: Plan, client_for: Clients
) -> None:
    data = f"{HEAD}\nvest;2018;doemte_pct;3;;;\nnord;2018;doemte_pct;140;;;\n"
    for action in ("save", "preview"):
        page = client_for("secretariat").post(
            _url(factory_plan, "import"), {"file": _file(data), "action": action}
        )
        html = page.content.decode()
        assert 'data-testid="import-errors"' in html
        assert "Række 2, kolonne &#x27;område&#x27;" in html
        assert "Række 3, kolonne &#x27;værdi&#x27;" in html
    assert not CentralMeasurement.objects.exists()


def test_only_the_secretariat_imports(factory_plan: Plan, client_for: Clients) -> None:
    data = f"{HEAD}\nnord;2018;doemte_pct;3;;;\n"
    for role in ("board", "lbf", "coordinator"):
        client = client_for(role)
        assert client.get(_url(factory_plan, "import")).status_code == 200
        response = client.post(_url(factory_plan, "import"), {"file": _file(data)})
        assert response.status_code == 403, role
    assert not CentralMeasurement.objects.exists()


def test_custom_headers_set_on_the_page_are_used_by_the_import(
    factory_plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    headers = {"col_area": "Afdeling", "col_year": "Aar", "col_indicator": "Kode",
               "col_value": "Vaerdi", "col_numerator": "Antal", "col_denominator": "Ialt",
               "col_source": "Kilde"}  # fmt: skip
    response = submit(client, _url(factory_plan, "settings"), headers)
    assert response.status_code == 302
    page = client.get(_url(factory_plan, "import")).content.decode()
    assert "<strong>Afdeling</strong>" in page
    data = "Afdeling;Aar;Kode;Vaerdi;Antal;Ialt;Kilde\nnord;2018;doemte_pct;2,5;20;800;\n"
    response = client.post(_url(factory_plan, "import"), {"file": _file(data), "action": "save"})
    assert response.status_code == 302
    assert CentralMeasurement.objects.get().numerator == 20
    # two columns with one header are refused
    twice = {**headers, "col_source": "Afdeling"}
    page = submit(client, _url(factory_plan, "settings"), twice)
    assert page.status_code == 200 and "samme overskrift" in page.content.decode()


@pytest.mark.django_db
def test_a_share_keeps_one_decimal_and_a_count_none() -> None:
    """40,0 % beside 43,1 % (not "40 %"); 1.450 residents; 30,65 keeps its two decimals."""
    from decimal import Decimal

    from helhedsplan.measurements.selectors import _number_text

    share = factories.indicator("uden_arbejde_uddannelse_pct")
    residents = factories.indicator("beboere")
    assert _number_text(Decimal("40.0000"), share) == "40,0\u00a0%"
    assert _number_text(Decimal("30.6500"), share) == "30,65\u00a0%"
    assert _number_text(Decimal("1450.0000"), residents) == "1.450"
