"""Registration: counts only, scoped per role, refused with a Danish message and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.activities import services
from helhedsplan.activities.models import Activity, Registration
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import HousingArea, Plan
from tests import factories
from tests.activities.conftest import DAY, registrar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seedlike")]


def _register(access: Any, activity: Any, area: Any, **overrides: Any) -> Registration:
    values: dict[str, Any] = {
        **registrar(access),
        "user": None,
        "activity": activity,
        "area": area,
        "date": DAY,
        "counts": {"n_13_17_f": 4, "n_13_17_m": 6},
        "volunteers": 2,
        "note": "Godt fremmøde",
    }
    values.update(overrides)
    return services.registration_create(**values)


def _refused(code: str, fn: Callable[[], object]) -> ValidationError:
    before = Registration.objects.count()
    with pytest.raises(ValidationError) as info:
        fn()
    assert Registration.objects.count() == before, "nothing may be written"
    codes = (
        [e.code for errors in info.value.error_dict.values() for e in errors]
        if hasattr(info.value, "error_dict")
        else [e.code for e in info.value.error_list]
    )
    assert code in codes
    return info.value


def test_secretariat_registers_counts(access_for: Any, activity: Any, area: Any) -> None:
    reg = _register(access_for("sekretariat"), activity("idraetspartnerskaber"), area("sydbyen"))
    assert (reg.participants, reg.year, reg.quarter) == (10, 2019, 2)


def test_municipal_registrar_only_for_municipal_activities(
    access_for: Any, activity: Any, area: Any
) -> None:
    municipal = access_for("kommune")
    _register(municipal, activity("ekstra-sundhedspleje"), area("ringparken"), quantity=3)
    error = _refused(
        "not_allowed",
        lambda: _register(municipal, activity("tryghedsvandringer"), area("ringparken")),
    )
    assert "kommunale registranter registrerer kommunens egne aktiviteter" in str(error)


def test_coordinator_only_in_own_areas(access_for: Any, activity: Any, area: Any) -> None:
    coordinator = access_for("koordinator")  # the coordinator has Motalavej (as the demo's)
    _register(coordinator, activity("tryghedsvandringer"), area("motalavej"))
    _refused(
        "not_allowed",
        lambda: _register(coordinator, activity("tryghedsvandringer"), area("sydbyen")),
    )


def test_area_where_the_activity_does_not_run(access_for: Any, activity: Any, area: Any) -> None:
    error = _refused(
        "area_not_in_activity",
        lambda: _register(
            access_for("sekretariat"), activity("fritidsjobindsats"), area("skaelskoer")
        ),
    )
    assert "Fritidsjobindsats kører ikke i Skælskør" in str(error)


def test_date_outside_the_plan_period(access_for: Any, activity: Any, area: Any) -> None:
    error = _refused(
        "date_outside_plan",
        lambda: _register(
            access_for("sekretariat"),
            activity("tryghedsvandringer"),
            area("sydbyen"),
            date=date(2022, 1, 3),
        ),
    )
    assert "uden for planens periode" in str(error)


def test_negative_counts(access_for: Any, activity: Any, area: Any) -> None:
    _refused(
        "negative_count",
        lambda: _register(
            access_for("sekretariat"),
            activity("tryghedsvandringer"),
            area("sydbyen"),
            counts={"n_25_64_f": -1},
        ),
    )


def test_cpr_number_in_the_note(access_for: Any, activity: Any, area: Any) -> None:
    _refused(
        "cpr_number",
        lambda: _register(
            access_for("sekretariat"),
            activity("tryghedsvandringer"),
            area("sydbyen"),
            note="Deltager 010203-1234 kom igen",
        ),
    )


def test_closed_quarter_needs_a_reason_that_is_logged(
    plan: Plan, access_for: Any, activity: Any, area: Any
) -> None:
    secretariat = access_for("sekretariat")
    services.quarter_close(plan=plan, year=2019, quarter=2, user=None)
    error = _refused(
        "quarter_closed",
        lambda: _register(secretariat, activity("tryghedsvandringer"), area("sydbyen")),
    )
    assert "2. kvartal 2019 er lukket" in str(error)
    reg = _register(
        secretariat,
        activity("tryghedsvandringer"),
        area("sydbyen"),
        reason="Glemt i kvartalet; indberettet af koordinator",
    )
    entry = AuditEntry.objects.get_for_object(reg).latest("timestamp")
    assert entry.reason == "Glemt i kvartalet; indberettet af koordinator"


def test_changing_a_registration_in_a_closed_quarter(
    plan: Plan, access_for: Any, activity: Any, area: Any
) -> None:
    """A closed quarter's registrations change only with a reason (the demo closes 1st
    quarter 2018; here a registration of that quarter is made and the quarter closed)."""
    secretariat = access_for("sekretariat")
    factories.RegistrationFactory(
        activity=activity("tryghedsvandringer"), area=area("motalavej"), date=date(2018, 2, 6)
    )
    services.quarter_close(plan=plan, year=2018, quarter=1, user=None)
    reg = Registration.objects.filter(plan=plan, year=2018, quarter=1).first()
    assert reg is not None
    participants = reg.participants
    values: dict[str, Any] = {
        **registrar(secretariat),
        "registration": reg,
        "activity": reg.activity,
        "area": reg.area,
        "date": reg.date,
        "counts": {**reg.counts(), "n_65_x": reg.n_65_x + 1},
        "volunteers": reg.volunteers,
        "quantity": reg.quantity,
    }
    _refused("quarter_closed", lambda: services.registration_update(**values))
    assert Registration.objects.get(pk=reg.pk).participants == participants
    services.registration_update(**values, reason="Tælling rettet efter referat")
    assert Registration.objects.get(pk=reg.pk).participants == participants + 1
    entry = AuditEntry.objects.get_for_object(reg).latest("timestamp")
    assert entry.reason == "Tælling rettet efter referat"


def test_fast_entry_offers_the_last_used_values(
    plan: Plan, client_for: Callable[[str], Client], activity: Any, area: Any
) -> None:
    client = client_for("secretariat")
    url = reverse("activities:registration_create", args=[plan.slug])
    sport = activity("idraetspartnerskaber")
    dgi = sport.partners.get(name="DGI/Gerlev")
    response = client.post(
        url,
        {
            "activity": sport.pk,
            "area": area("sydbyen").pk,
            "date": "2019-05-14",
            "n_13_17_m": "7",
            "volunteers": "1",
            "partners": [dgi.pk],
            "note": "",
        },
    )
    assert response.status_code == 302
    form = client.get(url).context["form"]
    assert form.initial["activity"] == sport.pk
    assert form.initial["area"] == area("sydbyen").pk
    assert form.initial["partners"] == [dgi.pk]
    assert form.initial["date"] == date(2019, 5, 14)  # today is outside the plan period


def test_form_shows_the_danish_message_and_writes_nothing(
    plan: Plan, client_for: Callable[[str], Client], activity: Any, area: Any
) -> None:
    before = Registration.objects.count()
    response = client_for("secretariat").post(
        reverse("activities:registration_create", args=[plan.slug]),
        {
            "activity": activity("fritidsjobindsats").pk,
            "area": area("skaelskoer").pk,
            "date": "2019-05-14",
            "n_13_17_m": "-2",
            "volunteers": "0",
        },
    )
    assert response.status_code == 200
    assert "kører ikke i Skælskør" in response.content.decode()
    assert Registration.objects.count() == before


def test_coordinator_cannot_open_a_registration_outside_their_areas(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    factories.RegistrationFactory(
        activity=Activity.objects.get(plan=plan, slug="tryghedsvandringer"),
        area=HousingArea.objects.get(plan=plan, slug="sydbyen"),
    )
    other = Registration.objects.filter(plan=plan, area__slug="sydbyen").first()
    assert other is not None
    url = reverse("activities:registration_edit", args=[plan.slug, other.pk])
    assert client_for("coordinator").get(url).status_code == 403
