"""What an import writes: approved figures are protected, identical rows change nothing,
every observation created or changed has its own audit entry, and the web import writes
only what its preview showed, once confirmed. On the factory plan with areas and the
approved 2016 baseline of 5.1.1 for Motalavej (58,3) built as the seed's (``_as_the_seed``);
one test reads the seed's user name and stays on the demo."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.accounts.models import User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria import importing, services
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion
from helhedsplan.plans.models import Plan
from tests.editing import opened_version
from tests.factories import (
    HousingAreaFactory,
    MeasureFactory,
    ObservationFactory,
    SuccessCriterionFactory,
)

Clients = Callable[[str], Client]
HEADER = "kriterium;område;år;værdi;tæller;nævner;kilde\n"
BASELINE = HEADER + "5.1.1;motalavej;2016;1;;;Politiets tryghedsmåling 2016\n"
NEW_ROWS = HEADER + (
    "5.2.2;motalavej;2018;27,4;;;BL-tabeller 2019\n"
    "5.2.2;total;2018;25,5;;;BL-tabeller 2019\n"
    "5.1.2;ringparken;2018;;42;200;Administrationen\n"
    "5.2.3;total;2018;24;;;Brand og Redning\n"
)


@pytest.fixture(autouse=True)
def _as_the_seed(request: pytest.FixtureRequest, plan: Plan) -> None:
    """Motalavej (the coordinator's area), Ringparken, Sydbyen, Skælskør, and 5.1.1 (a share
    from the police's survey) with Motalavej's approved 2016 baseline of 58,3."""
    if request.node.get_closest_marker("demo"):
        return
    motalavej = HousingAreaFactory(plan=plan, slug="motalavej", name="Motalavej", order=0)
    for order, (slug, name) in enumerate(
        [("ringparken", "Ringparken"), ("sydbyen", "Sydbyen"), ("skaelskoer", "Skælskør")], 1
    ):
        HousingAreaFactory(plan=plan, slug=slug, name=name, order=order)
    measure = MeasureFactory(
        plan=plan, slug="tryghed-politi", name="Tryghed (politiets måling)", first_year=2015,
        value_kind=Measure.ValueKind.PERCENT, unit="%", direction="higher_is_better",
    )  # fmt: skip
    SuccessCriterionFactory(
        plan=plan, code="5.1.1", measure=measure, focus_area=plan.focus_areas.get(code="5.1")
    )
    ObservationFactory(
        measure=measure, area=motalavej, year=2016, value=Decimal("58.3"),
        state=Observation.State.APPROVED, source_note="Politiets tryghedsmåling 2016",
    )  # fmt: skip


def _url(plan: Plan) -> str:
    return reverse("criteria:import", kwargs={"slug": plan.slug})


def _upload(data: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode())


def _baseline(plan: Plan) -> Observation:
    return Observation.objects.get(
        measure__plan=plan, measure__slug="tryghed-politi", area__slug="motalavej", year=2016
    )


def _obs_entries(plan: Plan) -> list[AuditEntry]:
    ct = ContentType.objects.get_for_model(Observation)
    return list(AuditEntry.objects.filter(plan=plan, content_type=ct).order_by("pk"))


def _rows(data: str) -> list[services.ImportRow]:
    return importing.read_file("data.csv", data.encode())


def test_a_coordinator_cannot_overwrite_the_approved_baseline(
    plan: Plan, client_for: Clients
) -> None:
    """The issue's file: 1 for the approved 58,3 of 5.1.1 Motalavej 2016."""
    response = client_for("coordinator").post(_url(plan), {"file": _upload(BASELINE)})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Række 2, kolonne »værdi«: Tallet for Motalavej 2016 er godkendt (58,3) og ville blive "
        "ændret til 1. Kun sekretariatet kan rette et godkendt tal, og kun med en begrundelse."
    ) in page
    baseline = _baseline(plan)
    assert baseline.value == Decimal("58.3") and baseline.is_approved


def test_a_new_source_text_on_an_approved_figure_is_a_change_too(plan: Plan) -> None:
    data = HEADER + "5.1.1;motalavej;2016;58,3;;;Egen optælling\n"
    motalavej = {plan.areas.get(slug="motalavej").pk}
    with pytest.raises(services.ImportFailed) as exc:
        services.observations_import(plan=plan, rows=_rows(data), allowed_area_ids=motalavej)
    [error] = exc.value.errors
    assert error.code == "approved_locked" and error.column == "kilde"
    assert "Observationen for Motalavej 2016 er godkendt (58,3), og kilden (»" in str(error)
    assert "« → »Egen optælling«) ville blive ændret" in str(error)


@pytest.mark.demo  # about the seed's content: the correction's actor is its user sekretariat
def test_the_secretariat_corrects_it_only_with_a_reason(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    refused = client.post(_url(plan), {"file": _upload(BASELINE)})
    assert refused.status_code == 400
    assert "Rettelsen til 1 kræver en begrundelse" in refused.content.decode()
    reason = "Politiet har rettet tallet, brev af 3. maj 2017"
    preview = client.post(_url(plan), {"file": _upload(BASELINE), "reason": reason})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "58,3" in page and "rettelse" in page and reason in page
    assert _baseline(plan).value == Decimal("58.3")  # the preview wrote nothing
    assert client.post(_url(plan), {"token": preview.context["token"]}).status_code == 302
    baseline = _baseline(plan)
    assert baseline.value == 1 and baseline.is_approved  # a correction stays approved
    entry = _obs_entries(plan)[-1]
    assert entry.object_pk == str(baseline.pk) and entry.reason == reason
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["value"] == ["58.3000", "1"]
    assert entry.actor is not None and entry.actor.username == "sekretariat"
    event = AuditEntry.objects.filter(plan=plan, event="observations.imported").latest("pk")
    assert event.changes["corrected"] == 1 and event.reason == reason


def test_every_row_gets_its_own_audit_entry_and_the_import_one_event(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    user = persona("municipal")
    before = len(_obs_entries(plan))
    assert services.observations_import(plan=plan, rows=_rows(NEW_ROWS), user=user,
                                        file_name="data.csv") == 4  # fmt: skip
    entries = _obs_entries(plan)[before:]
    assert len(entries) == 4
    assert {e.action for e in entries} == {AuditEntry.Action.CREATE}
    assert all(e.actor == user and e.plan_id == plan.pk for e in entries)
    rate = Observation.objects.get(area__slug="ringparken", year=2018)
    rate_entry = next(e for e in entries if e.object_pk == str(rate.pk))
    assert rate_entry.changes["numerator"] == ["None", "42"]
    event = AuditEntry.objects.filter(plan=plan, event="observations.imported").latest("pk")
    assert event.changes == {"file": "data.csv", "created": 4, "updated": 0, "corrected": 0,
                             "unchanged": 0, "state": "draft"}  # fmt: skip
    # A changed draft: old and new value on its entry.
    changed = NEW_ROWS.replace("27,4", "28,1")
    assert services.observations_import(plan=plan, rows=_rows(changed), user=user) == 1
    last = _obs_entries(plan)[-1]
    assert last.action == AuditEntry.Action.UPDATE and last.changes["value"] == ["27.4000", "28.1"]


def test_identical_rows_change_nothing(plan: Plan) -> None:
    services.observations_import(plan=plan, rows=_rows(NEW_ROWS))
    entries = len(_obs_entries(plan))
    preview = services.observations_import_preview(plan=plan, rows=_rows(NEW_ROWS))
    assert (len(preview.created), len(preview.changed), len(preview.unchanged)) == (0, 0, 4)
    assert services.observations_import(plan=plan, rows=_rows(NEW_ROWS)) == 0
    assert len(_obs_entries(plan)) == entries
    # Re-importing the seed's own approved figure is no change either, for anyone.
    same = HEADER + "5.1.1;motalavej;2016;58,3;;;" + _baseline(plan).source_note + "\n"
    motalavej = {plan.areas.get(slug="motalavej").pk}
    assert services.observations_import(plan=plan, rows=_rows(same),
                                        allowed_area_ids=motalavej) == 0  # fmt: skip
    assert _baseline(plan).is_approved


def test_approving_an_identical_draft_is_a_change_of_state(plan: Plan) -> None:
    services.observations_import(plan=plan, rows=_rows(NEW_ROWS))
    preview = services.observations_import_preview(plan=plan, rows=_rows(NEW_ROWS), approve=True)
    assert len(preview.changed) == 4
    assert services.observations_import(plan=plan, rows=_rows(NEW_ROWS), approve=True) == 4
    assert Observation.objects.filter(year=2018, state="approved").count() == 4


def test_the_preview_shows_old_and_new_and_writes_on_confirmation(
    plan: Plan, client_for: Clients
) -> None:
    services.observations_import(plan=plan, rows=_rows(NEW_ROWS))
    client = client_for("municipal")
    data = NEW_ROWS.replace("27,4", "28,1") + "5.2.3;total;2019;21;;;Brand og Redning\n"
    preview = client.post(_url(plan), {"file": _upload(data)})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "1 nye, 1 ændrede og 3 uændrede rækker" in page
    changed = preview.context["preview"].changed[0]
    assert (changed.where, changed.old_display, changed.new_display) == (
        "Motalavej 2018", "27,4", "28,1")  # fmt: skip
    assert not Observation.objects.filter(year=2019, measure__plan=plan).exists()
    confirmed = client.post(_url(plan), {"token": preview.context["token"]}, follow=True)
    assert "2 observationer er importeret" in confirmed.content.decode()
    assert Observation.objects.get(area__slug="motalavej", year=2018).value == Decimal("28.1")
    # The token is used up: confirming again writes nothing more.
    again = client.post(_url(plan), {"token": preview.context["token"]}, follow=True)
    assert "Forhåndsvisningen findes ikke længere" in again.content.decode()


def test_a_change_between_preview_and_confirmation_is_refused(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("municipal")
    preview = client.post(_url(plan), {"file": _upload(NEW_ROWS)})
    token = preview.context["token"]
    # Someone registers one of the file's rows in between.
    measure = Measure.objects.get(plan=plan, slug="paasatte-brande")
    services.observation_register(measure=measure, area=None, year=2018, value=Decimal(30))
    refused = client.post(_url(plan), {"token": token})
    assert refused.status_code == 409
    assert "Data er ændret, siden forhåndsvisningen blev vist" in refused.content.decode()
    assert not Observation.objects.filter(area__slug="motalavej", year=2018).exists()
    fresh = refused.context["preview"]
    assert [(r.old_display, r.new_display) for r in fresh.changed] == [("30", "24")]
    assert client.post(_url(plan), {"token": refused.context["token"]}).status_code == 302
    assert Observation.objects.get(measure=measure, area=None, year=2018).value == 24


def _import_queries(plan: Plan, data: str) -> int:
    rows = _rows(data)
    with CaptureQueriesContext(connection) as ctx:
        services.observations_import(plan=plan, rows=rows)
    return len(ctx.captured_queries)


def test_the_import_queries_do_not_grow_with_the_rows(plan: Plan) -> None:
    few = _import_queries(plan, HEADER + "5.2.3;total;2021;9;;;x\n5.2.3;motalavej;2021;9;;;x\n")
    areas = ["motalavej", "ringparken", "sydbyen", "skaelskoer", "total"]
    many = HEADER + "".join(f"5.2.3;{a};{y};9;;;x\n" for a in areas for y in (2018, 2019, 2020))
    assert _import_queries(plan, many) == few


def test_the_import_queries_do_not_grow_with_the_measures(plan: Plan) -> None:
    """The entries' focus areas (each measure's first criterion's) are read in one query,
    not one per measure."""
    one = _import_queries(plan, HEADER + "5.2.3;total;2021;9;;;x\n")
    assert _import_queries(plan, NEW_ROWS) == one


def test_each_entry_is_filed_under_its_measures_first_criterions_focus_area(plan: Plan) -> None:
    """As a single save files it (``audit_focus_area_id``): a measure serving two criteria
    in two focus areas is filed under the first criterion's."""
    first = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    SuccessCriterionFactory(plan=plan, code="5.1.9", measure=first.measure,
                            focus_area=plan.focus_areas.get(code="5.1"))  # fmt: skip
    assert first.focus_area.code != "5.1"
    services.observations_import(plan=plan, rows=_rows(NEW_ROWS))
    entries = _obs_entries(plan)[-4:]
    observations = Observation.objects.in_bulk([e.object_id for e in entries])
    assert {e.focus_area_id for e in entries} >= {first.focus_area_id}
    for entry in entries:
        assert entry.focus_area_id == observations[entry.object_id].audit_focus_area_id
        assert entry.focus_area_id is not None


def test_the_command_prints_the_preview_and_has_a_dry_run(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(BASELINE, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Intet er gemt"):
        call_command(
            "import_observations", str(path), "--plan", plan.slug, stdout=io.StringIO(), stderr=err
        )
    assert "kræver en begrundelse" in err.getvalue()
    out = io.StringIO()
    correction = ("--plan", plan.slug, "--reason", "Politiets rettelse")
    call_command("import_observations", str(path), *correction, "--dry-run", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    text = out.getvalue()
    assert "Motalavej 2016: 58,3 (Godkendt) -> 1 (Godkendt) (rettelse af godkendt tal)" in text
    assert "intet er gemt" in text and _baseline(plan).value == Decimal("58.3")
    call_command("import_observations", str(path), *correction, stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    assert _baseline(plan).value == 1


# --- the entry form follows the same rule ---------------------------------------------------


def _entry(plan: Plan) -> str:
    return reverse("criteria:observation_new", kwargs={"slug": plan.slug, "code": "5.1.1"})


def test_the_form_refuses_a_coordinator_changing_an_approved_figure(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("coordinator")
    version = opened_version(client.get(_entry(plan) + "?omraade=motalavej&aar=2016"))
    response = client.post(
        _entry(plan), {"area": "motalavej", "year": "2016", "value": "1", "version": version}
    )
    assert response.status_code == 200
    assert "er godkendt (58,3)" in response.content.decode()
    assert _baseline(plan).value == Decimal("58.3")


def test_the_form_lets_the_secretariat_correct_with_a_reason(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    version = opened_version(client.get(_entry(plan) + "?omraade=motalavej&aar=2016"))
    data = {"area": "motalavej", "year": "2016", "value": "58,4", "version": version,
            "source_note": _baseline(plan).source_note}  # fmt: skip
    response = client.post(_entry(plan), data)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    data["reason"] = "Tastefejl i første registrering"
    assert client.post(_entry(plan), data).status_code == 302
    baseline = _baseline(plan)
    assert baseline.value == Decimal("58.4") and baseline.is_approved
    entry = _obs_entries(plan)[-1]
    assert entry.reason == "Tastefejl i første registrering"
    assert entry.changes["value"] == ["58.3000", "58.4"]
