from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_wrong_credentials_get_a_danish_message(plan: Plan) -> None:
    response = Client().post(reverse("login"), {"username": "sekretariat", "password": "forkert"})
    assert response.status_code == 200
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.content.decode()


@pytest.mark.demo  # about the demo users
def test_demo_login_works_and_lands_on_the_plan(plan: Plan) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "sekretariat", "password": "demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == plan.get_absolute_url()


def test_login_is_throttled_after_repeated_failures(plan: Plan, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "sekretariat", "password": "forkert"})
    response = client.post(reverse("login"), {"username": "sekretariat", "password": "demo"})
    assert response.status_code == 429
    assert "For mange mislykkede login-forsøg" in response.content.decode()


def test_demo_logins_are_listed_only_when_the_demo_is_loaded(db: None) -> None:
    from helhedsplan.accounts.models import User

    User.objects.filter(is_demo=True).update(is_demo=False)
    assert "Demo-logins" not in Client().get(reverse("login")).content.decode()


@pytest.mark.demo  # about the demo users
def test_demo_logins_are_listed_when_loaded(plan: Plan) -> None:
    text = Client().get(reverse("login")).content.decode()
    assert "Demo-logins" in text
    for username in ["sekretariat", "koordinator", "kommune", "bestyrelse", "lbf", "revisor"]:
        assert f"<code>{username}</code>" in text
