"""The registration form offers exactly what the service accepts (issue 9, defect 12).

The seed names no areas for "Værested og klub – med og uden tag", so it runs nowhere yet and
was offered and always refused ("kører ikke i ... ifølge aftalen"). The factory plan's
seed-named activities (``seedlike``) have the same club without areas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from helhedsplan.activities import services
from helhedsplan.activities.models import Activity
from helhedsplan.activities.selectors import activity_area_links
from helhedsplan.plans.models import HousingArea, Plan
from tests.activities.conftest import DAY, registrar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seedlike")]

ROLES = [("secretariat", "sekretariat"), ("municipal", "kommune"), ("coordinator", "koordinator")]


def _options(page: str, name: str) -> set[int]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))}


@pytest.mark.parametrize(("role", "username"), ROLES)
def test_every_offered_choice_is_accepted_and_nothing_else(
    plan: Plan, client_for: Callable[[str], Client], access_for: Any, role: str, username: str
) -> None:
    access = access_for(username)
    pairs = access.registrable_pairs(activity_area_links(plan))
    assert pairs
    page = client_for(role).get(reverse("activities:registration_create", args=[plan.slug]))
    html = page.content.decode()
    assert _options(html, "activity") == {a for a, _ in pairs}
    assert _options(html, "area") == {b for _, b in pairs}
    areas = list(HousingArea.objects.filter(plan=plan))
    for activity in Activity.objects.filter(plan=plan):
        for area in areas:
            try:
                with transaction.atomic():
                    services.registration_create(
                        **registrar(access),
                        user=None,
                        activity=activity,
                        area=area,
                        date=DAY,
                        counts={},
                        quantity=1,
                    )
                    transaction.set_rollback(True)
                accepted = True
            except ValidationError:
                accepted = False
            assert accepted == ((activity.pk, area.pk) in pairs), (role, activity.slug, area.slug)


def test_an_activity_without_areas_in_the_agreement_is_not_offered_and_the_page_says_why(
    plan: Plan, client_for: Callable[[str], Client], access_for: Any
) -> None:
    club = Activity.objects.get(plan=plan, slug="vaerested-og-klub")
    assert not club.areas.exists()
    pairs = access_for("sekretariat").registrable_pairs(activity_area_links(plan))
    assert all(a != club.pk for a, _ in pairs)
    html = (
        client_for("secretariat")
        .get(reverse("activities:registration_create", args=[plan.slug]))
        .content.decode()
    )
    assert club.pk not in _options(html, "activity")
    assert "aftalen ikke nævner områder" in html and club.name in html
