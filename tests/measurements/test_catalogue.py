"""LBF's indicator catalogue: the staff's page (staff only), adding and editing through the
services, unique codes per framework, and the list criteria's fixed codes. Factory data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.measurements import catalogue, services
from helhedsplan.measurements.models import Indicator
from tests import factories
from tests.forms_in_pages import submit

pytestmark = pytest.mark.django_db

LIST = reverse("measurements_staff:indicators")
CREATE = reverse("measurements_staff:indicator_create")


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(factories.UserFactory(username="admin", is_staff=True))
    return client


def _edit(indicator: Indicator) -> str:
    return reverse("measurements_staff:indicator_edit", kwargs={"pk": indicator.pk})


NEW = {
    "framework": "2019-26",
    "code": "tryghed_pct",
    "name": "Beboere, der føler sig trygge",
    "unit": "pct",
    "is_rate": "on",
    "numerator_label": "Trygge",
    "denominator_label": "Adspurgte",
    "direction": "up",
    "source": catalogue.SOURCE,
    "description": "",
    "order": "10",
}


def test_the_catalogue_lists_every_framework_with_the_list_criteria(staff: Client) -> None:
    page = staff.get(LIST).content.decode()
    for framework in catalogue.FRAMEWORKS:
        section = page[page.index(f'data-testid="catalogue-{framework}"') :]
        section = section[: section.index("</section>")]
        for code in catalogue.LIST_CODES:
            assert f'data-code="{code}"' in section
    assert "Danmarks Statistik via Landsbyggefonden" in page
    assert "Dømte / Beboere på 18 år og derover" in page  # numerator / denominator
    assert "lavere er bedre" in page


def test_the_staff_home_links_the_catalogue(staff: Client) -> None:
    assert LIST in staff.get(reverse("accounts:staff_home")).content.decode()


def test_staff_add_an_indicator(staff: Client) -> None:
    response = staff.post(CREATE, NEW)
    assert response.status_code == 302
    made = Indicator.objects.get(framework="2019-26", code="tryghed_pct")
    assert made.is_rate and made.direction == "up" and not made.list_criterion
    assert 'data-code="tryghed_pct"' in staff.get(LIST).content.decode()


def test_a_code_is_unique_per_framework(staff: Client) -> None:
    page = staff.post(CREATE, {**NEW, "code": "doemte_pct"})
    assert page.status_code == 200
    assert "har allerede en indikator med koden" in page.content.decode()
    # the same code in the other framework is another row
    assert staff.post(CREATE, {**NEW, "code": "tryghed_pct"}).status_code == 302
    assert staff.post(CREATE, {**NEW, "framework": "2015-18"}).status_code == 302
    assert Indicator.objects.filter(code="tryghed_pct").count() == 2


def test_a_rate_needs_its_labels_and_percent(staff: Client) -> None:
    page = staff.post(CREATE, {**NEW, "numerator_label": ""}).content.decode()
    assert "både tæller og nævner" in page
    page = staff.post(CREATE, {**NEW, "unit": "antal"}).content.decode()
    assert "enheden procent" in page
    assert not Indicator.objects.filter(code="tryghed_pct").exists()


def test_staff_edit_an_indicator(staff: Client) -> None:
    indicator = factories.IndicatorFactory(code="gammel", name="Gammelt navn")
    response = submit(staff, _edit(indicator), {**NEW, "framework": "2015-18", "code": "ny"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.code, indicator.name) == ("ny", NEW["name"])


def test_a_list_criterion_keeps_its_code_unit_and_kind(staff: Client) -> None:
    convicted = factories.indicator("doemte_pct")
    response = submit(
        staff, _edit(convicted),
        {**NEW, "framework": "2015-18", "code": "andet", "unit": "antal", "is_rate": "",
         "name": "Dømte (ny tekst)", "numerator_label": "Dømte", "denominator_label": "18+"},
    )  # fmt: skip
    assert response.status_code == 302  # the disabled fields keep their values
    convicted.refresh_from_db()
    assert (convicted.code, convicted.unit, convicted.is_rate) == ("doemte_pct", "pct", True)
    assert convicted.name == "Dømte (ny tekst)"
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=convicted, code="andet")
    assert exc.value.code == "list_code_fixed"
    with pytest.raises(ValidationError):
        services.indicator_update(indicator=convicted, unit="antal")


def test_a_list_criterion_cannot_be_removed_nor_one_with_values(staff: Client) -> None:
    convicted = factories.indicator("doemte_pct")
    delete = reverse("measurements_staff:indicator_delete", kwargs={"pk": convicted.pk})
    staff.post(delete)
    assert Indicator.objects.filter(pk=convicted.pk).exists()
    used = factories.IndicatorFactory(code="brugt")
    factories.CentralMeasurementFactory(indicator=used)
    with pytest.raises(ValidationError) as exc:
        services.indicator_delete(indicator=used)
    assert exc.value.code == "in_use"
    free = factories.IndicatorFactory(code="fri")
    staff.post(reverse("measurements_staff:indicator_delete", kwargs={"pk": free.pk}))
    assert not Indicator.objects.filter(pk=free.pk).exists()
    assert (
        staff.get(reverse("measurements_staff:indicator_delete", kwargs={"pk": 1})).status_code
        == 405
    )


def test_the_catalogue_is_for_staff_only(client_for: object) -> None:
    user = factories.UserFactory(username="ikke-staff")
    client = Client()
    client.force_login(user)
    indicator = factories.indicator("beboere")
    for path in (LIST, CREATE, _edit(indicator)):
        assert client.get(path).status_code == 403
        assert client.post(path, NEW).status_code == 403
    assert not Indicator.objects.filter(code="tryghed_pct").exists()
    response = Client().get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
