"""Two people open the same observation or target; the second save must not overwrite the
first (issue 9, defect 7), and the approval page refuses a draft changed since it was shown
and can send a draft back with a comment (defect 12). On the factory plan, with areas named
as the seed's (``_as_the_seed``): 5.2.2 Motalavej has an approved figure for 2015 (34,2) and
none for 2016, so drafts are registered for 2016; an approved figure changes only as the
secretariat's correction with a reason."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.models import User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria import services
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
from helhedsplan.lib.concurrency import NEW, StaleEdit, version_of
from helhedsplan.plans.models import Plan
from tests.editing import opened_version, versions
from tests.factories import HousingAreaFactory, ObservationFactory, TargetFactory

Clients = Callable[[str], Client]
MEASURE = "kriminalretlige-afgoerelser"


@pytest.fixture(autouse=True)
def _as_the_seed(plan: Plan, criteria: dict[str, SuccessCriterion]) -> None:
    """Motalavej (the coordinator's area), Ringparken and Sydbyen; 5.2.2 Motalavej approved at
    34,2 in 2015; 5.2.2's third target under 19 in 2018-2021."""
    motalavej = HousingAreaFactory(plan=plan, slug="motalavej", name="Motalavej", order=0)
    HousingAreaFactory(plan=plan, slug="ringparken", name="Ringparken", order=1)
    HousingAreaFactory(plan=plan, slug="sydbyen", name="Sydbyen", order=2)
    crim = criteria["5.2.2"]
    ObservationFactory(
        measure=crim.measure, area=motalavej, year=2015, value=Decimal("34.2"),
        state=Observation.State.APPROVED,
    )  # fmt: skip
    TargetFactory(criterion=crim, order=3, value=Decimal(19))


def _url(name: str, plan: Plan, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


def _motalavej(plan: Plan, year: int) -> Observation:
    return Observation.objects.get(
        measure__plan=plan, measure__slug=MEASURE, area__slug="motalavej", year=year, variant=""
    )


def _entry_url(plan: Plan, year: int = 2015) -> str:
    return _url("criteria:observation_new", plan, code="5.2.2") + f"?omraade=motalavej&aar={year}"


# --- service level -------------------------------------------------------------------------


def test_register_refuses_a_save_from_an_older_version(plan: Plan) -> None:
    obs = _motalavej(plan, 2015)
    measure, area = obs.measure, obs.area
    opened = version_of(obs)  # A and B open the same observation
    correction: dict[str, Any] = {"may_correct_approved": True, "reason": "Rettelse"}
    services.observation_register(
        measure=measure, area=area, year=2015, value=Decimal("40"), version=opened, **correction
    )
    with pytest.raises(StaleEdit) as exc:
        services.observation_register(
            measure=measure, area=area, year=2015, value=Decimal("12"), version=opened,
            **correction,
        )  # fmt: skip
    assert exc.value.code == "stale_edit"
    message = exc.value.messages[0]
    assert "Observationen for Motalavej 2015" in message and "værdi er nu 40" in message
    assert _motalavej(plan, 2015).value == Decimal("40")  # A's value is kept


def test_register_from_a_blank_form_refuses_a_figure_registered_meanwhile(plan: Plan) -> None:
    measure = Measure.objects.get(plan=plan, slug=MEASURE)
    area = plan.areas.get(slug="ringparken")
    services.observation_register(
        measure=measure, area=area, year=2019, value=Decimal("5"), version=NEW
    )
    with pytest.raises(StaleEdit) as exc:
        services.observation_register(
            measure=measure, area=area, year=2019, value=Decimal("6"), version=NEW
        )
    assert "er allerede registreret" in exc.value.messages[0]
    assert Observation.objects.get(measure=measure, area=area, year=2019).value == Decimal(5)


def test_register_refuses_an_empty_version(plan: Plan) -> None:
    obs = _motalavej(plan, 2015)
    with pytest.raises(ValidationError) as exc:
        services.observation_register(
            measure=obs.measure, area=obs.area, year=2015, value=Decimal(1), version=""
        )
    assert exc.value.error_list[0].code == "version_missing"


def test_target_update_refuses_a_save_from_an_older_version(plan: Plan) -> None:
    target = Target.objects.get(criterion__plan=plan, criterion__code="5.2.2", order=3)
    opened = version_of(target)
    services.target_update(target=target, reason="A", version=opened, value=Decimal(18))
    b_copy = Target.objects.get(pk=target.pk)
    with pytest.raises(StaleEdit) as exc:
        services.target_update(target=b_copy, reason="B", version=opened, value=Decimal(21))
    assert "Målet er ændret af en anden" in exc.value.messages[0]
    assert "er nu 18" in exc.value.messages[0]
    target.refresh_from_db()
    assert target.value == Decimal(18)


def _draft_2016(plan: Plan, value: str = "41") -> Observation:
    obs = _motalavej(plan, 2015)
    return services.observation_register(
        measure=obs.measure, area=obs.area, year=2016, value=Decimal(value)
    )


def test_approve_refuses_a_draft_changed_since_the_page_was_shown(plan: Plan) -> None:
    draft = _draft_2016(plan)
    shown = version_of(draft)
    services.observation_register(
        measure=draft.measure, area=draft.area, year=2016, value=Decimal("99"), version=shown
    )
    with pytest.raises(StaleEdit):
        services.observation_approve(observation=draft, user=None, version=shown)
    assert _motalavej(plan, 2016).state == Observation.State.DRAFT


# --- through the views ---------------------------------------------------------------------


def test_second_save_of_an_observation_is_refused_and_shows_the_newer_value(
    plan: Plan, client_for: Clients
) -> None:
    _draft_2016(plan)
    url = _entry_url(plan, 2016)
    a, b = client_for("secretariat"), client_for("municipal")
    page_a, page_b = a.get(url), b.get(url)
    assert 'data-testid="opened"' in page_a.content.decode()
    base = {"area": "motalavej", "year": "2016"}
    saved = a.post(url, {**base, "value": "40", "version": opened_version(page_a)})
    assert saved.status_code == 302
    refused = b.post(url, {**base, "value": "12", "version": opened_version(page_b)})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "er ændret af en anden" in text and "værdi er nu 40" in text
    assert 'value="12"' in text  # B's input is still in the form
    assert _motalavej(plan, 2016).value == Decimal(40)
    # The refusal carries the newer version: saving again is B's deliberate decision.
    again = b.post(url, {**base, "value": "12", "version": opened_version(refused)})
    assert again.status_code == 302
    assert _motalavej(plan, 2016).value == Decimal(12)


def test_observation_form_without_a_version_is_refused(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(
        _entry_url(plan), {"area": "motalavej", "year": "2015", "value": "1"}
    )
    assert response.status_code == 200
    assert "Formularen mangler sin version" in response.content.decode()
    assert _motalavej(plan, 2015).value != Decimal(1)


def test_second_save_of_a_target_is_refused(plan: Plan, client_for: Clients) -> None:
    target = Target.objects.get(criterion__plan=plan, criterion__code="5.2.2", order=3)
    url = _url("criteria:target_edit", plan, code="5.2.2", pk=target.pk)
    a, b = client_for("secretariat"), client_for("secretariat")
    page_a, page_b = a.get(url), b.get(url)
    data = {"kind": "threshold", "first_year": "2018", "last_year": "2021", "op": "lt"}
    ok = a.post(url, {**data, "value": "18", "reason": "A", "version": opened_version(page_a)})
    assert ok.status_code == 302
    refused = b.post(url, {**data, "value": "21", "reason": "B", "version": opened_version(page_b)})
    assert refused.status_code == 200
    assert "Målet er ændret af en anden" in refused.content.decode()
    target.refresh_from_db()
    assert target.value == Decimal(18)


def test_approval_page_refuses_a_draft_changed_since_it_was_opened(
    plan: Plan, client_for: Clients
) -> None:
    obs = _draft_2016(plan)
    secretariat = client_for("secretariat")
    page = secretariat.get(_url("criteria:approvals", plan))
    shown = versions(page)[0]
    services.observation_register(
        measure=obs.measure, area=obs.area, year=2016, value=Decimal("99")
    )
    response = secretariat.post(
        _url("criteria:approve", plan, pk=obs.pk), {"version": shown}, follow=True
    )
    assert "er ændret af en anden" in response.content.decode()
    assert _motalavej(plan, 2016).state == Observation.State.DRAFT


def test_approval_page_shows_the_approved_figure_and_last_year(
    plan: Plan, client_for: Clients
) -> None:
    assert _motalavej(plan, 2015).value == Decimal("34.2")
    obs = _draft_2016(plan, "1")
    page = client_for("secretariat").get(_url("criteria:approvals", plan)).content.decode()
    row = page[page.index(f'data-testid="pending-{obs.pk}"') :]
    row = row[: row.index("</tr>")]
    now = row[row.index('data-testid="approved-now"') :]
    assert "ingen" in now[: now.index("</td>")]  # an approved figure is never replaced by a draft
    assert "34,2" in row[row.index('data-testid="last-year"') :]
    assert "Returnér" in row


def test_return_sends_a_draft_back_with_its_comment(plan: Plan, client_for: Clients) -> None:
    obs = _draft_2016(plan, "1")
    secretariat = client_for("secretariat")
    version = versions(secretariat.get(_url("criteria:approvals", plan)))[0]
    url = _url("criteria:return", plan, pk=obs.pk)
    assert (
        client_for("coordinator").post(url, {"version": version, "comment": "x"}).status_code == 403
    )
    empty = secretariat.post(url, {"version": version, "comment": " "}, follow=True)
    assert "Skriv en bemærkning" in empty.content.decode()
    assert _motalavej(plan, 2016).state == Observation.State.DRAFT
    comment = "Tallet 1 ligner en tastefejl; tjek politiets opgørelse."
    response = secretariat.post(url, {"version": version, "comment": comment})
    assert response.status_code == 302
    returned = _motalavej(plan, 2016)
    assert returned.state == Observation.State.RETURNED
    assert returned.return_comment == comment and returned.returned_by is not None
    entry = AuditEntry.objects.filter(object_pk=str(obs.pk)).order_by("-timestamp", "-pk")[0]
    assert entry.reason == comment
    # Gone from the approvals, visible on the criterion page and in the entry form.
    assert (
        f"pending-{obs.pk}"
        not in secretariat.get(_url("criteria:approvals", plan)).content.decode()
    )
    registrar = client_for("municipal")
    criterion = registrar.get(_url("criteria:criterion", plan, code="5.2.2")).content.decode()
    assert comment in criterion
    form = registrar.get(_entry_url(plan, 2016)).content.decode()
    assert comment in form and 'data-testid="return-comment"' in form
    # Registered again, it is a draft for approval once more.
    again = registrar.post(
        _entry_url(plan, 2016),
        {"area": "motalavej", "year": "2016", "value": "35,1",
         "version": opened_version(registrar.get(_entry_url(plan, 2016)))},
    )  # fmt: skip
    assert again.status_code == 302
    assert _motalavej(plan, 2016).state == Observation.State.DRAFT


def test_return_service_requires_a_comment_and_a_draft(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    obs = _motalavej(plan, 2015)  # approved
    user = persona("secretariat")
    with pytest.raises(ValidationError) as exc:
        services.observation_return(observation=obs, user=user, comment="")
    assert exc.value.error_dict["comment"][0].code == "comment_required"
    with pytest.raises(ValidationError) as exc:
        services.observation_return(observation=obs, user=user, comment="Forkert")
    assert exc.value.error_list[0].code == "already_approved"


def test_approval_page_queries_do_not_grow_with_the_drafts(plan: Plan, client_for: Clients) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure = Measure.objects.get(plan=plan, slug=MEASURE)
    client = client_for("secretariat")
    url = _url("criteria:approvals", plan)
    services.observation_register(measure=measure, area=None, year=2017, value=Decimal(20))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for year, area in ((2016, "motalavej"), (2018, "sydbyen"), (2019, "ringparken")):
        services.observation_register(
            measure=measure, area=plan.areas.get(slug=area), year=year, value=Decimal(10)
        )
    with CaptureQueriesContext(connection) as four:
        page = client.get(url)
    assert len(versions(page)) == 8  # approve and return, per draft
    assert len(four) == len(one)
