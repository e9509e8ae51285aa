"""The audit trail reads after real use, and no stored shape of ``changes`` breaks it.

Business events (an upload, an import, a package download) store plain values, not
``[old, new]`` pairs; the trail answered 500 on them. They read through their own template
(a Danish label, the code, the data as key/value); field diffs through auditlog's display.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from helhedsplan.audit import display
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria import importing, services
from helhedsplan.files.models import StoredFile
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports.exporters import export_url
from tests import factories
from tests.editing import opened_version
from tests.files.samples import pdf_bytes, upload

AUDIT_READERS = ["secretariat", "board", "auditor"]
CSV = "kriterium;område;år;værdi;tæller;nævner;kilde\n5.2.2;motalavej;2018;27,4;;;BL-tabeller\n"


def _object_url(plan: Plan, obj: Any) -> str:
    ct = ContentType.objects.get_for_model(obj)
    return reverse("audit:object", kwargs={"slug": plan.slug, "ct": ct.pk, "pk": str(obj.pk)})


@pytest.fixture
def used_plan(plan: Plan, client_for: Callable[[str], Client]) -> Plan:
    """The plan after one upload, one import, one package download and one field change."""
    factories.HousingAreaFactory(plan=plan, slug="motalavej", name="Motalavej")
    focus_area = factories.FocusAreaFactory(plan=plan, code="5.2", sub_goals="Et delmål")
    factories.SuccessCriterionFactory(
        plan=plan,
        code="5.2.2",
        focus_area=focus_area,
        measure=factories.MeasureFactory(plan=plan, value_kind="percent"),
    )
    secretariat = client_for("secretariat")
    response = secretariat.post(
        reverse("agreements:attachments", kwargs={"slug": plan.slug}),
        {"kind": "org_chart", "file": upload("diagram.pdf", pdf_bytes()), "note": ""},
    )
    assert response.status_code == 302
    services.observations_import(
        plan=plan, rows=importing.read_file("data.csv", CSV.encode()), file_name="data.csv"
    )
    package = secretariat.get(export_url(plan, "lbf-pakke", "zip"))
    assert package.status_code == 200
    fa = FocusArea.objects.get(plan=plan, code="5.2")
    edit = reverse("plans:focus_area_edit", kwargs={"slug": plan.slug, "code": "5.2"})
    response = secretariat.post(
        edit,
        {
            "version": opened_version(secretariat.get(edit)),
            "name": fa.name,
            "purpose": "Formål efter brug",
            "sub_goals": fa.sub_goals,
            "target_groups": fa.target_groups,
        },
    )
    assert response.status_code == 302
    events = set(AuditEntry.objects.filter(plan=plan).values_list("event", flat=True))
    assert {"file.uploaded", "observations.imported", "lbf_package.downloaded"} <= events
    return plan


@pytest.mark.parametrize("role", AUDIT_READERS)
def test_every_page_of_the_trail_reads_after_real_use(
    role: str, used_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for(role)
    url = reverse("audit:plan", kwargs={"slug": used_plan.slug})
    first = client.get(url)
    assert first.status_code == 200
    pages = first.context["page"].paginator.num_pages
    texts = [first.content.decode()]
    for number in range(2, pages + 1):
        response = client.get(url, {"side": number})
        assert response.status_code == 200, number
        texts.append(response.content.decode())
    text = "".join(texts)
    assert "Fil uploadet" in text and "<code>file.uploaded</code>" in text
    assert "LBF-pakke hentet" in text and "Observationer importeret" in text
    assert "Formål efter brug" in text


@pytest.mark.parametrize("role", AUDIT_READERS)
@pytest.mark.slow
def test_every_object_history_reads_after_real_use(
    role: str, used_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for(role)
    stored = StoredFile.objects.filter(plan=used_plan).latest("uploaded_at")
    objects = {(e.content_type_id, e.object_pk) for e in AuditEntry.objects.filter(plan=used_plan)}
    for ct, pk in objects:
        url = reverse("audit:object", kwargs={"slug": used_plan.slug, "ct": ct, "pk": pk})
        assert client.get(url).status_code == 200, url
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200, url
    text = client.get(_object_url(used_plan, stored)).content.decode()
    assert "Fil uploadet" in text and "diagram.pdf" in text and str(stored.size) in text
    assert "størrelse (bytes)" in text
    plan_text = client.get(_object_url(used_plan, used_plan)).content.decode()
    assert "LBF-pakke hentet" in plan_text and "Observationer importeret" in plan_text


# Shapes found in old entries, in hand-written ones and in events of any vintage.
ODD_CHANGES: list[Any] = [
    None,
    {},
    [],
    "",
    "en tekst",
    42,
    [1, 2, 3],
    {"size": 1234},
    {"name": "a.pdf", "size": 12, "kind": "pdf"},
    {"purpose": "ikke et par"},
    {"purpose": ["kun en"]},
    {"purpose": [1, 2, 3]},
    {"purpose": [None, "ny"]},
    {"purpose": ["None", "ny"]},
    {"purpose": [{"a": 1}, [1, 2]]},
    {"name": [1, 2]},
    {"plan": ["999999", "nope"]},
    {"code": [None, None]},
    {"findes_ikke": ["a", "b"]},
    {"areas": {"type": "m2m", "operation": "add", "objects": ["Motalavej"]}},
    {"x": {"nested": {"deeper": [1, {"y": True}]}}},
    {"lang": "x" * 5000},
]


@pytest.mark.parametrize("changes", ODD_CHANGES, ids=lambda c: repr(c)[:40])
@pytest.mark.parametrize("event", ["", "file.uploaded", "noget.ukendt"])
def test_no_stored_shape_breaks_the_display(changes: Any, event: str, plan: Plan) -> None:
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    entry = AuditEntry.objects.create(
        plan=plan,
        content_type=ContentType.objects.get_for_model(FocusArea),
        object_pk=str(fa.pk),
        object_id=fa.pk,
        object_repr=str(fa),
        action=AuditEntry.Action.ACCESS if event else AuditEntry.Action.UPDATE,
        event=event,
        changes=changes,
    )
    rows = entry.event_rows if entry.is_event else entry.field_rows
    assert isinstance(rows, list)
    for row in entry.field_rows:
        assert isinstance(row.field, str) and isinstance(row.new, str)
        assert row.old is None or isinstance(row.old, str)
        assert len(row.new) <= display.MAX_VALUE_LENGTH + 1
    for key, value in entry.event_rows:
        assert isinstance(key, str) and isinstance(value, str)


@pytest.mark.parametrize("changes", ODD_CHANGES, ids=lambda c: repr(c)[:40])
def test_odd_entries_do_not_break_the_pages(
    changes: Any, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    for action in (AuditEntry.Action.UPDATE, AuditEntry.Action.ACCESS):
        AuditEntry.objects.create(
            plan=plan,
            content_type=ContentType.objects.get_for_model(FocusArea),
            object_pk=str(fa.pk),
            object_id=fa.pk,
            object_repr=str(fa),
            action=action,
            changes=changes,
        )
    client = client_for("auditor")
    assert client.get(reverse("audit:plan", kwargs={"slug": plan.slug})).status_code == 200
    assert client.get(_object_url(plan, fa)).status_code == 200


def test_old_text_only_entries_and_vanished_models_still_read(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    gone = ContentType.objects.create(app_label="forsvundet", model="gammelmodel")
    AuditEntry.objects.create(
        plan=plan,
        content_type=gone,
        object_pk="1",
        object_repr="Gammel post",
        action=AuditEntry.Action.UPDATE,
        changes=None,
        changes_text='{"felt": ["gammel", "ny værdi"]}',
    )
    AuditEntry.objects.create(
        plan=plan,
        content_type=gone,
        object_pk="2",
        object_repr="Ulæselig post",
        action=AuditEntry.Action.UPDATE,
        changes=None,
        changes_text="felt: a → b",
    )
    response = client_for("auditor").get(reverse("audit:plan", kwargs={"slug": plan.slug}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "ny værdi" in text and "felt: a → b" in text


def test_field_diffs_still_read_through_auditlog(plan: Plan) -> None:
    """Verbose names and choices from auditlog's display, not the raw field names."""
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    fa.name = "Nyt navn"
    fa.save()
    entry = AuditEntry.objects.filter(object_pk=str(fa.pk), content_type__model="focusarea")
    row = next(r for r in entry.latest("timestamp").field_rows if r.new == "Nyt navn")
    assert row.field == str(FocusArea._meta.get_field("name").verbose_name)


def test_event_labels_fall_back_to_prefix_then_code() -> None:
    assert display.event_label("file.uploaded") == "Fil uploadet"
    assert display.event_label("document.downloaded.pdf") == "Dokument hentet (pdf)"
    assert display.event_label("noget.helt.nyt") == "noget.helt.nyt"


@pytest.mark.parametrize("changes", ODD_CHANGES, ids=lambda c: repr(c)[:40])
def test_the_admin_reads_every_shape_too(changes: Any, plan: Plan) -> None:
    from helhedsplan.accounts.models import User

    staff = User.objects.create_superuser(username="personale", password="x")
    client = Client()
    client.force_login(staff)
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    for action in (AuditEntry.Action.UPDATE, AuditEntry.Action.ACCESS):
        entry = AuditEntry.objects.create(
            plan=plan,
            content_type=ContentType.objects.get_for_model(FocusArea),
            object_pk=str(fa.pk),
            object_id=fa.pk,
            object_repr=str(fa),
            action=action,
            event="file.uploaded" if action == AuditEntry.Action.ACCESS else "",
            changes=changes,
        )
        change = reverse("admin:audit_auditentry_change", args=[entry.pk])
        assert client.get(change).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200


def test_actions_read_in_danish(plan: Plan, client_for: Callable[[str], Client]) -> None:
    fa = FocusArea.objects.create(plan=plan, code="9.8", name="Midlertidig")
    fa.name = "Midlertidig, ændret"
    fa.save()
    text = client_for("auditor").get(_object_url(plan, fa)).content.decode()
    assert "Oprettet" in text and "Ændret" in text
