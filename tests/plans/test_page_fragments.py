"""The pages rendered once per data version (plans.fragments): the delivery page and the audit
trail as the scorecard and the overview are. A write shows at once, a reader whose
permissions change what the page shows never gets another reader's copy, and a person's
new name (no plan's data: the installation's counter) shows on the trail at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.models import User
from helhedsplan.plans.models import HousingArea, Plan

pytestmark = pytest.mark.django_db


def _body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_delivery_page_is_kept_per_permissions_it_shows(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """Closing quarters is the secretariat's: the coordinator, reading after it, gets a copy
    without the link."""
    url = reverse("activities:delivery", args=[plan.slug])
    closing = reverse("activities:quarters", args=[plan.slug])
    assert closing in _body(client_for("secretariat"), url)
    assert closing not in _body(client_for("coordinator"), url)
    assert closing in _body(client_for("secretariat"), url)


def test_a_new_area_shows_on_the_warm_delivery_page_and_trail(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    trail = reverse("audit:plan", args=[plan.slug])
    delivery = reverse("activities:delivery", args=[plan.slug])
    _body(client, trail), _body(client, delivery)  # warm
    HousingArea.objects.create(plan=plan, slug="nyt", name="Helt nyt boligområde")
    assert "Helt nyt boligområde" in _body(client, trail)


def test_the_trail_shows_a_persons_new_name_at_once(
    plan: Plan, client_for: Callable[[str], Client], persona: Callable[[str], User]
) -> None:
    client = client_for("secretariat")
    actor = persona("secretariat")
    HousingArea.objects.create(plan=plan, slug="nyt", name="Nyt område")
    from helhedsplan.audit.models import AuditEntry

    AuditEntry.objects.filter(plan_id=plan.pk).update(actor=actor)
    trail = reverse("audit:plan", args=[plan.slug])
    before = _body(client, trail)
    actor.first_name, actor.last_name = "Omdøbt", "Sekretær"
    actor.save()
    after = _body(client, trail)
    assert "Omdøbt Sekretær" in after and "Omdøbt Sekretær" not in before


def test_each_query_of_the_trail_is_its_own_copy(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    trail = reverse("audit:plan", args=[plan.slug])
    for n in range(60):
        HousingArea.objects.create(plan=plan, slug=f"o{n}", name=f"Område {n}")
    first, second = _main(client, trail), _main(client, trail + "?side=2")
    assert first != second
    assert _main(client, trail) == first


def _main(client: Client, url: str) -> str:
    """The page's content (the frame around it carries a CSRF token masked per request)."""
    page = _body(client, url)
    return page[page.index("<main") : page.index("</main>")]
