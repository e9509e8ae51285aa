"""The delivery page does not credit the agreement with the product's 80 %/120 % defaults."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.activities.models import DEFAULT_COLUMN_MAPPING
from helhedsplan.activities.services import delivery_settings_update
from helhedsplan.plans.models import Plan

pytestmark = pytest.mark.django_db


def _intro(client: Client, plan: Plan) -> str:
    html = client.get(reverse("activities:delivery", args=[plan.slug])).content.decode()
    return " ".join(html.split())


def test_the_limits_are_the_products_defaults_not_the_agreements(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    text = _intro(client, plan)
    assert "(aftalens § 6). Under 80" not in text
    assert (
        "Under 80 % er underlevering, over 120 % overlevering "
        "(produktets standardgrænser, kan ændres" in text
    )
    delivery_settings_update(
        plan=plan,
        under_threshold=Decimal(75),
        over_threshold=Decimal(125),
        column_mapping=dict(DEFAULT_COLUMN_MAPPING),
    )
    text = _intro(client, plan)
    assert "Under 75 % er underlevering, over 125 % overlevering (planens egne grænser" in text
    assert "standardgrænser" not in text
