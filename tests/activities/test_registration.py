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
from helhedsplan.activities.models import Registration
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from tests.activities.conftest import DAY, registrar

pytestmark = pytest.mark.django_db


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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
def test_secretariat_registers_counts(access_for: Any, activity: Any, area: Any) -> None:
    reg = _register(access_for("sekretariat"), activity("idraetspartnerskaber"), area("sydbyen"))
    assert (reg.participants, reg.year, reg.quarter) == (10, 2019, 2)


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
def test_coordinator_only_in_own_areas(access_for: Any, activity: Any, area: Any) -> None:
    coordinator = access_for("koordinator")  # the demo coordinator has Motalavej
    _register(coordinator, activity("tryghedsvandringer"), area("motalavej"))
    _refused(
        "not_allowed",
        lambda: _register(coordinator, activity("tryghedsvandringer"), area("sydbyen")),
    )


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
def test_area_where_the_activity_does_not_run(access_for: Any, activity: Any, area: Any) -> None:
    error = _refused(
        "area_not_in_activity",
        lambda: _register(
            access_for("sekretariat"), activity("fritidsjobindsats"), area("skaelskoer")
        ),
    )
    assert "Fritidsjobindsats kører ikke i Skælskør" in str(error)


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
def test_changing_a_registration_in_a_closed_quarter(
    plan: Plan, access_for: Any, activity: Any, area: Any
) -> None:
    """The demo closes 1st quarter 2018: its registrations change only with a reason."""
    secretariat = access_for("sekretariat")
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
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


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
def test_coordinator_cannot_open_a_registration_outside_their_areas(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    other = Registration.objects.filter(plan=plan, area__slug="sydbyen").first()
    assert other is not None
    url = reverse("activities:registration_edit", args=[plan.slug, other.pk])
    assert client_for("coordinator").get(url).status_code == 403
