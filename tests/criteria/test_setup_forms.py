"""Measures and success criteria set up in the product: the services' rules (years within the
plan, one slug and one code per plan, a direction, the measure of the same plan, an approved
agreement), a measure's change that would change the meaning of its figures, and the pages
as each role meets them. On the factory plan (2018-2021) with the criteria of
``tests/criteria/conftest.py`` (5.1.2, 5.2.2, 5.2.3, 5.4.1, 5.4.2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.agreements.models import VersionStatus
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import Measure, SuccessCriterion
from helhedsplan.criteria.services import (
    measure_create,
    measure_update,
    next_criterion_code,
    success_criterion_create,
)
from helhedsplan.lib.concurrency import StaleEdit, version_of
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories
from tests.editing import form_data
from tests.errors import codes

Clients = Callable[[str], Client]


def _measure_args(**changes: Any) -> dict[str, Any]:
    args: dict[str, Any] = dict(
        name="Hærværk i opgange", value_kind=Measure.ValueKind.COUNT, unit="episoder",
        direction="lower_is_better", first_year=2015, last_year=2021,
        data_source="Brand og Redning", delivered_by="Slagelse Brand og Redning",
    )  # fmt: skip
    return {**args, **changes}


def _new_measures(plan: Plan) -> list[Measure]:
    """The measures a test made (the conftest's have other names)."""
    return list(Measure.objects.filter(plan=plan, name__in=["Hærværk i opgange", "Familier"]))


def _focus(plan: Plan) -> FocusArea:
    return FocusArea.objects.get(plan=plan, code="5.1")


# --- measure_create --------------------------------------------------------------------------


def test_measure_create_makes_the_slug_from_the_name(plan: Plan) -> None:
    first = measure_create(plan=plan, **_measure_args())
    second = measure_create(plan=plan, **_measure_args())
    assert (first.slug, second.slug) == ("haervaerk-i-opgange", "haervaerk-i-opgange-2")
    assert first.delivered_by == "Slagelse Brand og Redning"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"last_year": 2022}, "last_year", "years_outside_plan"),  # the plan ends 2021
        ({"first_year": 2007}, "first_year", "years_outside_plan"),  # > 10 years before 2018
        ({"first_year": 2021, "last_year": 2019}, "last_year", "years_order"),
        ({"is_rate": True}, "numerator_label", "rate_labels_required"),
        ({"value_kind": "rating", "is_rate": True, "numerator_label": "a",
          "denominator_label": "b", "direction": ""}, "is_rate", "rate_for_rating"),
    ],
)  # fmt: skip
def test_measure_create_refuses_bad_input_on_the_field(
    plan: Plan, changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        measure_create(plan=plan, **_measure_args(**changes))
    assert codes(exc.value) == {code} and field in exc.value.error_dict
    assert not _new_measures(plan)


def test_measure_create_refuses_a_slug_in_use_in_danish(plan: Plan) -> None:
    measure_create(plan=plan, slug="brande", **_measure_args())
    with pytest.raises(ValidationError) as exc:
        measure_create(plan=plan, slug="brande", **_measure_args(name="Andre brande"))
    assert codes(exc.value) == {"unique"}
    assert "allerede en måling med det korte navn »brande«" in exc.value.messages[0]


# --- measure_update --------------------------------------------------------------------------


def _observed(plan: Plan) -> Measure:
    measure = measure_create(plan=plan, **_measure_args())
    factories.ObservationFactory(measure=measure, area=None, year=2016, value=15)
    return measure


def test_name_source_and_owner_change_with_old_and_new_in_the_audit_trail(plan: Plan) -> None:
    measure = _observed(plan)
    measure_update(
        measure=measure, name="Påsatte brande i alt", delivered_by="Politiet",
        data_source="Ny kilde", version=version_of(Measure.objects.get(pk=measure.pk)),
    )  # fmt: skip
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.name, stored.delivered_by) == ("Påsatte brande i alt", "Politiet")
    entry = AuditEntry.objects.get_for_object(measure).order_by("-pk").first()
    assert entry is not None
    assert entry.changes_dict["name"] == ["Hærværk i opgange", "Påsatte brande i alt"]
    assert entry.changes_dict["delivered_by"] == ["Slagelse Brand og Redning", "Politiet"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"value_kind": "number"}, "has_observations"),
        ({"is_rate": True, "numerator_label": "a", "denominator_label": "b"}, "has_observations"),
        ({"first_year": 2017}, "observations_outside_years"),  # 2016 has a figure
        ({"direction": "higher_is_better"}, "reason_required"),
    ],
)
def test_a_change_that_would_change_the_figures_meaning_is_refused(
    plan: Plan, changes: dict[str, Any], code: str
) -> None:
    measure = _observed(plan)
    before = version_of(Measure.objects.get(pk=measure.pk))
    with pytest.raises(ValidationError) as exc:
        measure_update(measure=measure, **changes)
    assert codes(exc.value) == {code}
    assert version_of(Measure.objects.get(pk=measure.pk)) == before  # nothing written


def test_years_may_widen_and_direction_change_with_a_reason(plan: Plan) -> None:
    measure = _observed(plan)
    measure_update(measure=measure, first_year=2013)
    measure_update(measure=measure, direction="higher_is_better", reason="Aftalen er rettet")
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.first_year, stored.direction) == (2013, "higher_is_better")
    entry = AuditEntry.objects.get_for_object(measure).order_by("-pk").first()
    assert entry is not None and entry.reason == "Aftalen er rettet"


def test_a_measure_without_observations_may_change_kind(plan: Plan) -> None:
    measure = measure_create(plan=plan, **_measure_args())
    measure_update(measure=measure, value_kind="number", last_year=2020)
    assert Measure.objects.get(pk=measure.pk).value_kind == "number"


def test_measure_update_refuses_a_stale_version(plan: Plan) -> None:
    measure = measure_create(plan=plan, **_measure_args())
    opened = version_of(Measure.objects.get(pk=measure.pk))
    measure_update(measure=measure, name="A", version=opened)
    with pytest.raises(StaleEdit):
        measure_update(measure=measure, name="B", version=opened)
    assert Measure.objects.get(pk=measure.pk).name == "A"


def test_a_criterions_measure_keeps_its_direction(plan: Plan) -> None:
    measure = measure_create(plan=plan, **_measure_args())
    success_criterion_create(plan=plan, focus_area=_focus(plan), code="5.1.1", title="Brande",
                             text="Færre brande.", measure=measure)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        measure_update(measure=measure, direction="none")
    assert codes(exc.value) == {"direction_required"}


# --- success_criterion_create ----------------------------------------------------------------


def _criterion(plan: Plan, **changes: Any) -> SuccessCriterion:
    args: dict[str, Any] = dict(
        plan=plan, focus_area=_focus(plan), code="5.1.1", title="Brande",
        text="Antallet af påsatte brande skal falde.",
    )  # fmt: skip
    if "measure" not in changes and "new_measure" not in changes:
        args["new_measure"] = _measure_args()
    return success_criterion_create(**{**args, **changes})


def test_a_criterion_with_a_new_measure_is_created_with_it(plan: Plan) -> None:
    criterion = _criterion(plan)
    assert criterion.measure.name == "Hærværk i opgange" and criterion.measure.plan == plan
    assert next_criterion_code(plan, _focus(plan)) == "5.1.3"  # after 5.1.1 and 5.1.2


def test_a_refused_criterion_leaves_no_new_measure(plan: Plan) -> None:
    _criterion(plan)
    with pytest.raises(ValidationError) as exc:
        _criterion(plan, new_measure=_measure_args(name="Familier"))  # 5.1.1 again
    assert codes(exc.value) == {"unique"}
    assert "allerede et succeskriterium med nummeret 5.1.1" in exc.value.messages[0]
    assert len(_new_measures(plan)) == 1


def test_criterion_refuses_a_measure_and_a_focus_area_of_another_plan(
    plan: Plan, other_plan: Plan
) -> None:
    other_plan = Plan.objects.get(pk=other_plan.pk)  # its dates as dates
    foreign = measure_create(plan=other_plan, **_measure_args(first_year=2019, last_year=2022))
    with pytest.raises(ValidationError) as exc:
        _criterion(plan, measure=foreign)
    assert codes(exc.value) == {"other_plan"}
    foreign_focus = factories.FocusAreaFactory(plan=other_plan, code="5.1")
    with pytest.raises(ValidationError) as exc:
        _criterion(plan, focus_area=foreign_focus)
    assert codes(exc.value) == {"other_plan"}
    assert not SuccessCriterion.objects.filter(plan=plan, code="5.1.1").exists()


def test_criterion_needs_a_measure_with_a_direction_unless_a_rating(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        _criterion(plan, new_measure=_measure_args(direction=""))
    assert codes(exc.value) == {"direction_required"}
    assert not _new_measures(plan)
    rating = _measure_args(name="Familier", value_kind="rating", direction="", unit="")
    assert _criterion(plan, new_measure=rating).measure.value_kind == "rating"


def test_criterion_refuses_neither_or_both_measures(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        success_criterion_create(plan=plan, focus_area=_focus(plan), code="5.1.1", title="T",
                                 text="Tekst.")  # fmt: skip
    assert codes(exc.value) == {"measure_required"}


def test_no_new_criterion_on_a_plan_whose_agreement_is_approved(plan: Plan) -> None:
    factories.AgreementVersionFactory(
        plan=plan, status=VersionStatus.APPROVED, in_force_from=date(2018, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        _criterion(plan)
    assert codes(exc.value) == {"agreement_approved"}
    assert "kladde til en ny version af aftalen" in exc.value.messages[0]
    assert not _new_measures(plan)


def test_next_code_follows_the_focus_areas_highest(plan: Plan) -> None:
    focus = _focus(plan)
    for code in ("5.1.1", "5.1.4"):
        factories.SuccessCriterionFactory(plan=plan, focus_area=focus, code=code)
    assert next_criterion_code(plan, focus) == "5.1.5"


# --- the pages -------------------------------------------------------------------------------


def _url(plan: Plan, name: str, **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


@pytest.mark.parametrize(
    ("role", "status", "edit_link"),
    [("secretariat", 200, True), ("board", 200, False), ("coordinator", 200, False),
     ("lbf", 403, False)],
)  # fmt: skip
def test_measure_list_by_role(
    plan: Plan, client_for: Clients, role: str, status: int, edit_link: bool
) -> None:
    measure = measure_create(plan=plan, **_measure_args())
    response = client_for(role).get(_url(plan, "criteria:measures"))
    assert response.status_code == status
    if status == 200:
        edit = _url(plan, "criteria:measure_edit", measure=measure.slug)
        assert (edit in response.content.decode()) is edit_link
        assert "Slagelse Brand og Redning" in response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "municipal", "board", "auditor", "lbf"])
def test_only_the_secretariat_opens_the_setup_forms(
    plan: Plan, client_for: Clients, role: str
) -> None:
    measure = measure_create(plan=plan, **_measure_args())
    client = client_for(role)
    for url in (_url(plan, "criteria:measure_create"), _url(plan, "criteria:criterion_create"),
                _url(plan, "criteria:measure_edit", measure=measure.slug)):  # fmt: skip
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "X"}).status_code == 403
    assert len(_new_measures(plan)) == 1


def _list_queries(plan: Plan, client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url(plan, "criteria:measures")).status_code == 200
    return len(ctx)


def test_measure_list_queries_do_not_grow_with_the_measures(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    focus = _focus(plan)
    for _n in range(2):
        criterion = factories.SuccessCriterionFactory(plan=plan, focus_area=focus)
        factories.ObservationFactory(measure=criterion.measure, area=None)
    small = _list_queries(plan, client)
    for _n in range(8):
        criterion = factories.SuccessCriterionFactory(plan=plan, focus_area=focus)
        factories.ObservationFactory(measure=criterion.measure, area=None, year=2019)
    assert _list_queries(plan, client) == small


def _measure_post(prefix: str = "", **changes: str) -> dict[str, str]:
    data = {"name": "Hærværk i opgange", "value_kind": "count", "unit": "episoder",
            "data_source": "Brand og Redning", "delivered_by": "Slagelse Brand og Redning",
            "frequency": "yearly", "direction": "lower_is_better", "first_year": "2015",
            "last_year": "2021", **changes}  # fmt: skip
    return {f"{prefix}-{k}" if prefix else k: v for k, v in data.items()}


def test_the_secretariat_creates_a_measure_in_the_form(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(
        _url(plan, "criteria:measure_create"), _measure_post()
    )
    assert response.status_code == 302
    assert _new_measures(plan)[0].slug == "haervaerk-i-opgange"


def test_the_measure_form_says_what_is_wrong_in_danish(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(
        _url(plan, "criteria:measure_create"), _measure_post(direction="")
    )
    text = response.content.decode()
    assert response.status_code == 200 and "error-summary" in text
    assert "Vælg, om lavere eller højere er bedre" in text
    response = client_for("secretariat").post(
        _url(plan, "criteria:measure_create"), _measure_post(last_year="2030")
    )
    text = response.content.decode()
    assert 'href="#id_last_year"' in text  # the summary links to the field
    assert "Sidste år skal ligge i planens år (2018-2021)" in text
    assert not _new_measures(plan)


def test_the_measure_edit_form_changes_the_name_and_refuses_the_kind(
    plan: Plan, client_for: Clients
) -> None:
    measure = _observed(plan)
    client = client_for("secretariat")
    url = _url(plan, "criteria:measure_edit", measure=measure.slug)
    page = client.get(url)
    assert "Målingen har observationer" in page.content.decode()
    refused = client.post(url, {**form_data(page), "value_kind": "number"})
    assert refused.status_code == 200 and "skifte betydning" in refused.content.decode()
    saved = client.post(url, {**form_data(client.get(url)), "name": "Brande i alt"})
    assert saved.status_code == 302
    assert Measure.objects.get(pk=measure.pk).name == "Brande i alt"


def test_the_criterion_form_creates_criterion_and_measure_then_leads_to_targets(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    url = _url(plan, "criteria:criterion_create")
    page = client.get(url).content.decode()
    assert 'value="5.1.3"' in page  # the suggested number, after 5.1.2
    assert 'id="new-measure"' in page  # the new measure's fields, also without JavaScript
    data = {"focus_area": str(_focus(plan).pk), "code": "5.1.1", "title": "Brande",
            "text": "Antallet af påsatte brande skal falde.", "measure": "ny",
            **_measure_post("ny")}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.1.1")
    assert response["Location"].endswith(criterion.get_absolute_url() + "#tilfoej-maal")
    assert criterion.measure.delivered_by == "Slagelse Brand og Redning"
    detail = client.get(criterion.get_absolute_url()).content.decode()
    assert 'id="tilfoej-maal"' in detail and "Kriteriet har ingen mål endnu" in detail


def test_the_criterion_form_takes_an_existing_measure_and_ignores_the_new_fields(
    plan: Plan, client_for: Clients
) -> None:
    measure = measure_create(plan=plan, **_measure_args())
    data = {"focus_area": str(_focus(plan).pk), "code": "5.1.7", "title": "Brande",
            "text": "Færre brande.", "measure": str(measure.pk)}  # fmt: skip
    response = client_for("secretariat").post(_url(plan, "criteria:criterion_create"), data)
    assert response.status_code == 302
    assert SuccessCriterion.objects.get(plan=plan, code="5.1.7").measure == measure
    assert len(_new_measures(plan)) == 1


def test_the_new_measure_errors_land_on_its_fields(plan: Plan, client_for: Clients) -> None:
    data = {"focus_area": str(_focus(plan).pk), "code": "5.1.1", "title": "Brande",
            "text": "Færre brande.", "measure": "ny",
            **_measure_post("ny", first_year="2000")}  # fmt: skip
    response = client_for("secretariat").post(_url(plan, "criteria:criterion_create"), data)
    text = response.content.decode()
    assert response.status_code == 200 and 'href="#id_ny-first_year"' in text
    assert not SuccessCriterion.objects.filter(plan=plan, code="5.1.1").exists()


def test_htmx_shows_the_measure_fields_only_for_a_new_measure(
    plan: Plan, client_for: Clients
) -> None:
    measure = measure_create(plan=plan, **_measure_args())
    client = client_for("secretariat")
    url = _url(plan, "criteria:criterion_create")
    chosen = client.get(url, {"measure": str(measure.pk)}, headers={"HX-Request": "true"})
    assert '<div id="new-measure"></div>' in chosen.content.decode()
    new = client.get(url, {"measure": "ny"}, headers={"HX-Request": "true"})
    assert 'name="ny-name"' in new.content.decode()
    other = factories.FocusAreaFactory(plan=plan, code="5.3")
    code = client.get(url, {"focus_area": str(other.pk)}, headers={"HX-Request": "true"})
    assert 'value="5.3.1"' in code.content.decode()


def test_the_criterion_form_on_an_approved_agreement_says_where_to_go(
    plan: Plan, client_for: Clients
) -> None:
    factories.AgreementVersionFactory(
        plan=plan, status=VersionStatus.APPROVED, in_force_from=date(2018, 1, 1)
    )
    client = client_for("secretariat")
    url = _url(plan, "criteria:criterion_create")
    assert "kladde til en ny version af aftalen" in client.get(url).content.decode()
    data = {"focus_area": str(_focus(plan).pk), "code": "5.1.1", "title": "Brande",
            "text": "Færre brande.", "measure": "ny", **_measure_post("ny")}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert not SuccessCriterion.objects.filter(plan=plan, code="5.1.1").exists()
    assert not _new_measures(plan)
