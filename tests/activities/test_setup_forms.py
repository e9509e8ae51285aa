"""Activities created, changed and ended in the product: the services' rules (an area with
registrations stays, an activity ends once, after its start, and takes no registrations
after its end), the audit trail's old and new values, and the pages as each role meets
them. On the factory plan (2018-2021, areas nord and syd, focus area 5.1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.access import EVERYWHERE
from helhedsplan.activities.models import Activity, Partner, Registration
from helhedsplan.activities.services import (
    activity_create,
    activity_end,
    activity_update,
    activity_version,
    registration_create,
)
from helhedsplan.audit.models import AuditEntry
from helhedsplan.lib.concurrency import StaleEdit
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from tests import factories
from tests.editing import form_data
from tests.errors import codes

Clients = Callable[[str], Client]


def _areas(plan: Plan) -> tuple[HousingArea, HousingArea]:
    return plan.areas.get(slug="nord"), plan.areas.get(slug="syd")


def _activity(plan: Plan, **changes: Any) -> Activity:
    nord, syd = _areas(plan)
    args: dict[str, Any] = dict(
        plan=plan, focus_area=FocusArea.objects.get(plan=plan, code="5.1"), name="Lektiecafé",
        areas=[nord, syd], description="Hjælp til lektier.",
    )  # fmt: skip
    return activity_create(**{**args, **changes})


def _update_args(activity: Activity, **changes: Any) -> dict[str, Any]:
    args: dict[str, Any] = dict(
        activity=activity, focus_area=activity.focus_area, name=activity.name,
        areas=[link.area for link in activity.area_links.all()],
        responsible=activity.responsible, description=activity.description,
    )  # fmt: skip
    return {**args, **changes}


def _register(plan: Plan, activity: Activity, area: HousingArea, day: date) -> Registration:
    return registration_create(
        plan=plan, scope=EVERYWHERE, user=None, activity=activity, area=area, date=day,
        counts={"n_6_12_f": 4},
    )  # fmt: skip


# --- activity_create / activity_update -------------------------------------------------------


def test_create_makes_the_slug_and_creates_typed_partners(plan: Plan) -> None:
    factories.PartnerFactory(plan=plan, name="DGI")
    activity = _activity(plan, new_partners=["dgi", "Lektiehjælpen", "  "])
    assert activity.slug == "lektiecafe"
    assert sorted(p.name for p in activity.partners.all()) == ["DGI", "Lektiehjælpen"]
    assert Partner.objects.filter(plan=plan).count() == 2  # "dgi" is the plan's DGI


def test_create_refuses_a_name_in_use_and_a_partner_without_the_partner(plan: Plan) -> None:
    _activity(plan)
    with pytest.raises(ValidationError) as exc:
        _activity(plan, slug="andet")
    assert codes(exc.value) == {"unique"} and "name" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _activity(plan, name="Fodbold", responsible=Activity.Responsible.PARTNER)
    assert codes(exc.value) == {"responsible_partner"}
    with pytest.raises(ValidationError) as exc:
        _activity(plan, name="Ny", slug="ny")
    assert codes(exc.value) == {"reserved_slug"}
    assert Activity.objects.filter(plan=plan).count() == 1


def test_update_records_old_and_new_values(plan: Plan) -> None:
    activity = _activity(plan)
    criterion = factories.SuccessCriterionFactory(plan=plan, code="5.1.1")
    nord, _syd = _areas(plan)
    activity_update(**_update_args(
        activity, name="Lektiecafé for alle", areas=[nord], success_criteria=[criterion],
        reason="Syd har sin egen",
    ))  # fmt: skip
    entries = AuditEntry.objects.get_for_object(activity).filter(action=AuditEntry.Action.UPDATE)
    change = next(e for e in entries if "name" in (e.changes_dict or {}))
    assert change.changes_dict["name"] == ["Lektiecafé", "Lektiecafé for alle"]
    assert change.reason == "Syd har sin egen"
    removed = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE,
                                        object_repr="Lektiecafé for alle: Sydparken")  # fmt: skip
    assert removed.get().reason == "Syd har sin egen"  # the area link removed, in the trail
    assert [link.area for link in activity.area_links.all()] == [nord]
    assert list(activity.success_criteria.all()) == [criterion]


def test_update_refuses_to_remove_an_area_with_registrations(plan: Plan) -> None:
    activity = _activity(plan)
    nord, syd = _areas(plan)
    _register(plan, activity, syd, date(2019, 3, 1))
    with pytest.raises(ValidationError) as exc:
        activity_update(**_update_args(activity, areas=[nord], name="Ændret"))
    assert codes(exc.value) == {"area_has_registrations"}
    assert "Sydparken kan ikke fjernes fra aktiviteten: der er 1 registreringer" in str(exc.value)
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.name == "Lektiecafé" and stored.area_links.count() == 2


def test_update_refuses_a_start_after_a_registration_and_outside_the_plan(plan: Plan) -> None:
    activity = _activity(plan)
    _register(plan, activity, _areas(plan)[0], date(2019, 3, 1))
    with pytest.raises(ValidationError) as exc:
        activity_update(**_update_args(activity, start_date=date(2019, 6, 1)))
    assert codes(exc.value) == {"registrations_before_start"}
    with pytest.raises(ValidationError) as exc:
        activity_update(**_update_args(activity, start_date=date(2017, 6, 1)))
    assert codes(exc.value) == {"start_outside_plan"}


def test_update_refuses_a_stale_version(plan: Plan) -> None:
    activity = _activity(plan)
    opened = activity_version(activity)
    activity_update(**_update_args(activity, name="A"), version=opened)
    with pytest.raises(StaleEdit):
        activity_update(**_update_args(activity, name="B"), version=opened)
    assert Activity.objects.get(pk=activity.pk).name == "A"


# --- activity_end ----------------------------------------------------------------------------


def test_an_ended_activity_refuses_registrations_after_its_end(plan: Plan) -> None:
    activity = _activity(plan)
    nord, _syd = _areas(plan)
    before = _register(plan, activity, nord, date(2019, 3, 1))
    actor = factories.persona(plan, "secretariat")
    activity_end(activity=activity, end_date=date(2019, 6, 30), reason="Tilskud ophørt",
                 actor=actor)  # fmt: skip
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.end_date, stored.end_reason, stored.ended_by) == (
        date(2019, 6, 30), "Tilskud ophørt", actor,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        _register(plan, stored, nord, date(2019, 7, 1))
    assert codes(exc.value) == {"activity_ended"}
    assert "afsluttet pr. 30. juni 2019" in str(exc.value)
    assert _register(plan, stored, nord, date(2019, 6, 30)).pk  # the last day still counts
    assert Registration.objects.filter(pk=before.pk).exists()  # those before stay
    entry = AuditEntry.objects.get_for_object(activity).order_by("-pk").first()
    assert entry is not None and entry.reason == "Tilskud ophørt"
    assert entry.changes_dict["end_date"] == ["None", "2019-06-30"]


@pytest.mark.parametrize(
    ("end", "reason", "code"),
    [
        (date(2017, 12, 31), "Slut", "end_before_start"),
        (date(2022, 1, 1), "Slut", "end_outside_plan"),
        (date(2019, 6, 30), "  ", "reason_required"),
        (date(2019, 2, 1), "Slut", "registrations_after_end"),
    ],
)
def test_end_refuses_bad_input(plan: Plan, end: date, reason: str, code: str) -> None:
    activity = _activity(plan)
    _register(plan, activity, _areas(plan)[0], date(2019, 3, 1))
    with pytest.raises(ValidationError) as exc:
        activity_end(activity=activity, end_date=end, reason=reason)
    assert codes(exc.value) == {code}
    assert Activity.objects.get(pk=activity.pk).end_date is None


def test_end_before_the_activitys_own_start_and_ending_twice_are_refused(plan: Plan) -> None:
    activity = _activity(plan, start_date=date(2019, 1, 1))
    with pytest.raises(ValidationError) as exc:
        activity_end(activity=activity, end_date=date(2018, 12, 31), reason="Slut")
    assert codes(exc.value) == {"end_before_start"}
    activity_end(activity=activity, end_date=date(2019, 12, 31), reason="Slut")
    with pytest.raises(ValidationError) as exc:
        activity_end(activity=activity, end_date=date(2020, 12, 31), reason="Igen")
    assert codes(exc.value) == {"already_ended"}
    assert Activity.objects.get(pk=activity.pk).end_date == date(2019, 12, 31)


def test_a_registration_before_the_activitys_start_is_refused(plan: Plan) -> None:
    activity = _activity(plan, start_date=date(2019, 1, 1))
    with pytest.raises(ValidationError) as exc:
        _register(plan, activity, _areas(plan)[0], date(2018, 12, 31))
    assert codes(exc.value) == {"before_activity_start"}


# --- the pages -------------------------------------------------------------------------------


def _url(plan: Plan, name: str, **kwargs: str) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


@pytest.mark.parametrize("role", ["coordinator", "municipal", "board", "auditor"])
def test_readers_see_no_edit_links_and_may_not_post(
    plan: Plan, client_for: Clients, role: str
) -> None:
    activity = _activity(plan)
    client = client_for(role)
    listing = client.get(_url(plan, "activities:list")).content.decode()
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert _url(plan, "activities:activity_create") not in listing
    assert _url(plan, "activities:activity_edit", activity=activity.slug) not in detail
    assert _url(plan, "activities:activity_edit", activity=activity.slug) not in listing
    for name in ("activities:activity_edit", "activities:activity_end"):
        url = _url(plan, name, activity=activity.slug)
        assert client.get(url).status_code == 403
        assert client.post(url, {"end_date": "2019-06-30", "reason": "x"}).status_code == 403
    assert client.post(_url(plan, "activities:activity_create"), {"name": "X"}).status_code == 403
    assert Activity.objects.get(pk=activity.pk).end_date is None


def test_the_secretariat_creates_edits_and_ends_an_activity(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    nord, syd = _areas(plan)
    listing = client.get(_url(plan, "activities:list")).content.decode()
    assert _url(plan, "activities:activity_create") in listing
    data = {"name": "Lektiecafé", "focus_area": str(FocusArea.objects.get(plan=plan).pk),
            "areas": [str(nord.pk), str(syd.pk)], "responsible": "secretariat",
            "new_partners": "Lektiehjælpen", "unit": "events",
            "description": "Hjælp."}  # fmt: skip
    created = client.post(_url(plan, "activities:activity_create"), data)
    assert created.status_code == 302
    activity = Activity.objects.get(plan=plan, slug="lektiecafe")
    assert [p.name for p in activity.partners.all()] == ["Lektiehjælpen"]
    edit = _url(plan, "activities:activity_edit", activity=activity.slug)
    assert edit in client.get(_url(plan, "activities:list")).content.decode()
    page = client.get(edit)
    saved = client.post(edit, {**form_data(page), "name": "Lektiecafé og leg"})
    assert saved.status_code == 302
    assert Activity.objects.get(pk=activity.pk).name == "Lektiecafé og leg"
    end = _url(plan, "activities:activity_end", activity=activity.slug)
    ended = client.post(end, {**form_data(client.get(end)), "end_date": "2019-06-30",
                              "reason": "Tilskud ophørt"})  # fmt: skip
    assert ended.status_code == 302
    listing = client.get(_url(plan, "activities:list")).content.decode()
    section = listing.split('data-testid="ended-activities"')[1]
    assert "Lektiecafé og leg" in section and "Tilskud ophørt" in section
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "Afsluttet pr. 30. juni 2019" in detail
    assert _url(plan, "activities:activity_end", activity=activity.slug) not in detail


def test_the_activity_form_says_what_is_wrong(plan: Plan, client_for: Clients) -> None:
    activity = _activity(plan)
    nord, syd = _areas(plan)
    _register(plan, activity, syd, date(2019, 3, 1))
    client = client_for("secretariat")
    edit = _url(plan, "activities:activity_edit", activity=activity.slug)
    refused = client.post(edit, {**form_data(client.get(edit)), "areas": [str(nord.pk)]})
    text = refused.content.decode()
    assert refused.status_code == 200 and "error-summary" in text
    assert "Sydparken kan ikke fjernes fra aktiviteten" in text
    end = _url(plan, "activities:activity_end", activity=activity.slug)
    refused = client.post(end, {**form_data(client.get(end)), "end_date": "2019-02-01",
                                "reason": "Slut"})  # fmt: skip
    assert "registreringer efter 1. februar 2019" in refused.content.decode()
    assert Activity.objects.get(pk=activity.pk).end_date is None


def test_the_registration_form_refuses_an_ended_activity_after_its_end(
    plan: Plan, client_for: Clients
) -> None:
    activity = _activity(plan)
    activity_end(activity=activity, end_date=date(2019, 6, 30), reason="Slut")
    nord, _syd = _areas(plan)
    data = {"activity": str(activity.pk), "area": str(nord.pk), "date": "2019-07-01",
            "n_6_12_f": "3", "volunteers": "0"}  # fmt: skip
    response = client_for("secretariat").post(_url(plan, "activities:registration_create"), data)
    assert response.status_code == 200 and "er afsluttet pr. 30. juni 2019" in (
        response.content.decode()
    )
    assert not Registration.objects.filter(activity=activity).exists()


def test_delivery_holds_no_plan_against_an_activity_after_its_end(plan: Plan) -> None:
    from helhedsplan.activities.selectors import delivery_report
    from helhedsplan.activities.services import PlannedFigure, planned_quantities_set

    activity = _activity(plan)
    nord, _syd = _areas(plan)
    planned_quantities_set(
        plan=plan, figures=[PlannedFigure(activity, nord, 2019, q, 3) for q in (1, 2, 3, 4)]
    )
    activity_end(activity=activity, end_date=date(2019, 6, 30), reason="Tilskud ophørt")
    report = delivery_report(plan, 2019, today=date(2020, 1, 1))
    block = next(b for b in report.activities if b.activity.pk == activity.pk)
    row = next(r for r in block.rows if r.area == nord)
    assert [cell.planned for cell in row.quarters] == [3, 3, None, None]
    assert row.total.planned == 6
