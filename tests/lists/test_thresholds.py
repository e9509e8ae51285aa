"""The national figures: the service, the import (file, CLI) and the staff page."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from helhedsplan.audit.models import AuditEntry
from helhedsplan.lists import services
from helhedsplan.lists.models import ListThreshold
from tests import factories as f

pytestmark = pytest.mark.django_db
KEY = "doemte_landsgennemsnit_pct"


def _set(**kw: Any) -> ListThreshold:
    args: dict[str, Any] = dict(
        list_year=2019, key=KEY, value=Decimal("0.66"), source="Ministeriet 2019"
    )
    args.update(kw)
    return services.list_threshold_set(**args)


def test_set_and_change():
    user = f.UserFactory()
    t = _set(user=user)
    assert (t.value, t.source, t.entered_by) == (Decimal("0.66"), "Ministeriet 2019", user)
    _set(value=Decimal("0.68"))
    assert ListThreshold.objects.get().value == Decimal("0.68")


@pytest.mark.parametrize(
    ("kw", "field", "text"),
    [
        (dict(list_year=2009), "list_year", "intet regelsæt for listeåret 2009"),
        (dict(list_year=2015), "key", "bruger ikke nøgletallet"),
        (dict(key="ledighed_pct"), "key", "bruger ikke nøgletallet"),
        (dict(value=Decimal("-0.1")), "value", "negativ"),
        (dict(value=Decimal("100.01")), "value", "over 100 %"),
        (dict(source="  "), "source", "kilden"),
    ],
)
def test_set_refuses(kw, field, text):
    with pytest.raises(ValidationError) as info:
        _set(**kw)
    assert text in " ".join(info.value.message_dict[field])
    assert not ListThreshold.objects.exists()


def test_import_csv_with_danish_decimals_writes_one_audit_event():
    data = (
        "listeår;nøgletal;værdi;kilde\n"
        f"2019;{KEY};0,66;Ministeriet 2019\n"
        f"2022;{KEY};0,725;Ministeriet 2022\n"
    ).encode()
    assert services.list_thresholds_import(file=data, name="landstal.csv") == 2
    assert ListThreshold.objects.get(list_year=2022).value == Decimal("0.725")
    event = AuditEntry.objects.get(event="list_thresholds.imported")
    assert event.changes["count"] == 2 and event.changes["file"] == "landstal.csv"


def test_import_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["listeår", "nøgletal", "værdi", "kilde"])
    ws.append([2020, KEY, 0.7, "Kilde"])
    buf = io.BytesIO()
    wb.save(buf)
    assert services.list_thresholds_import(file=buf.getvalue(), name="x.xlsx") == 1
    assert ListThreshold.objects.get().value == Decimal("0.7")


def test_import_is_all_or_nothing_with_row_and_column():
    data = (
        "listeår;nøgletal;værdi;kilde\n"
        f"2019;{KEY};0,66;Kilde\n"
        f"2015;{KEY};0,66;Kilde\n"
        f"2020;{KEY};abc;Kilde\n"
        f"2019;{KEY};0,67;Kilde\n"
    ).encode()
    with pytest.raises(ValidationError) as info:
        services.list_thresholds_import(file=data, name="x.csv")
    text = "\n".join(info.value.messages)
    assert "Række 3, kolonne 'nøgletal'" in text
    assert "Række 4, kolonne 'værdi'" in text
    assert "Række 5" in text and "række 2" in text  # the duplicate
    assert not ListThreshold.objects.exists()


def test_import_missing_column():
    with pytest.raises(ValidationError) as info:
        services.list_thresholds_import(file=b"listeaar;vaerdi\n2019;1\n", name="x.csv")
    assert "mangler" in " ".join(info.value.messages)


def test_import_rows():
    n = services.list_thresholds_import(
        rows=[{"listeår": 2021, "nøgletal": KEY, "værdi": "0,7", "kilde": "K"}]
    )
    assert n == 1


def test_command(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(f"listeår;nøgletal;værdi;kilde\n2019;{KEY};0,66;K\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_list_thresholds", str(path), stdout=out)
    assert "1 landstal" in out.getvalue()
    path.write_text(f"listeår;nøgletal;værdi;kilde\n2009;{KEY};0,66;K\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Intet er indlæst"):
        call_command("import_list_thresholds", str(path))
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_list_thresholds", str(tmp_path / "nope.csv"))


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(f.UserFactory(username="admin", is_staff=True))
    return client


def test_page_shows_needed_missing_and_entered(staff, django_assert_max_num_queries):
    f.ListThresholdFactory(list_year=2019, value=Decimal("0.66"), source="Ministeriet 2019")
    url = reverse("lists_staff:thresholds")
    with django_assert_max_num_queries(12):
        response = staff.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ministeriet 2019" in html and "<td>0,66</td>" in html
    assert 'data-testid="missing-2020-doemte_landsgennemsnit_pct"' in html
    assert 'data-testid="missing-2019-' not in html
    assert "Regelsættet bruger ingen landstal." in html  # 2010-2017
    assert (
        reverse("lists_staff:thresholds")
        in staff.get(reverse("accounts:staff_home")).content.decode()
    )


def test_page_form_and_upload(staff):
    url = reverse("lists_staff:thresholds")
    response = staff.post(
        url,
        {"action": "set", "set-list_year": "2021", "set-key": KEY, "set-value": "0,7",
         "set-source": "Ministeriet"},
    )  # fmt: skip
    assert response.status_code == 302
    assert ListThreshold.objects.get(list_year=2021).value == Decimal("0.7")
    response = staff.post(
        url,
        {"action": "set", "set-list_year": "2021", "set-key": KEY, "set-value": "101",
         "set-source": "Ministeriet"},
    )  # fmt: skip
    assert response.status_code == 200 and "over 100 %" in response.content.decode()
    upload = io.BytesIO(f"listeår;nøgletal;værdi;kilde\n2022;{KEY};abc;K\n".encode())
    upload.name = "l.csv"
    response = staff.post(url, {"action": "import", "import-file": upload})
    assert (
        response.status_code == 200
        and "Række 2, kolonne &#x27;værdi&#x27;" in response.content.decode()
    )
    upload = io.BytesIO(f"listeår;nøgletal;værdi;kilde\n2022;{KEY};0,72;K\n".encode())
    upload.name = "l.csv"
    assert staff.post(url, {"action": "import", "import-file": upload}).status_code == 302
    assert ListThreshold.objects.filter(list_year=2022).exists()


def test_page_refuses_others():
    client = Client()
    client.force_login(f.UserFactory(username="u"))
    assert client.get(reverse("lists_staff:thresholds")).status_code == 403


def test_rule_sets_page(staff):
    html = staff.get(reverse("lists_staff:rule_sets")).content.decode()
    assert 'data-testid="rule-set-2021-"' in html
    assert "Forebyggelsesområde" in html and "mindst 3 × Landsgennemsnittet" in html
    assert "overstiger 40 %" in html and "under 55 %" in html
    assert "2.70" not in html and "2,7 %" in html
