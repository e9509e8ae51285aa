"""What the README's security section promises about headers, logins and sessions."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from helhedsplan.accounts.models import User
from helhedsplan.lib import security
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Rendered only by WeasyPrint into PDF, never sent to a browser: their <style> is no CSP matter.
PRINT_ONLY = {"minutes_print.html", "document_standalone.html"}


# --- Content-Security-Policy ------------------------------------------------------------


def test_html_pages_carry_a_strict_policy(plan: Plan, client_for: Callable[[str], Client]) -> None:
    for response in [
        Client().get(reverse("login")),
        client_for("secretariat").get(plan.get_absolute_url()),
    ]:
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_svg_charts_carry_the_policy_too(plan: Plan, client_for: Callable[[str], Client]) -> None:
    area = factories.HousingAreaFactory(plan=plan, slug="motalavej", residents=900)
    criterion = factories.SuccessCriterionFactory(plan=plan, code="5.2.2")
    factories.TargetFactory(criterion=criterion, applies_to_total=False, areas=[area])
    factories.ObservationFactory(measure=criterion.measure, area=area, year=2018, value=4)
    url = export_url(plan, "graf", "svg", kriterium="5.2.2", kolonne="motalavej")
    response = client_for("secretariat").get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def _templates() -> list[Path]:
    found = list((ROOT / "helhedsplan").glob("**/templates/**/*.html"))
    assert len(found) > 50
    return [p for p in found if p.name not in PRINT_ONLY]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\bhx-on\b|hx-on:|hx-vals=['\"]js:|hx-vars", re.I), "htmx eval"),
]


def test_no_template_needs_inline_script_or_style() -> None:
    """The policy forbids inline code; so no template may rely on it."""
    problems = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in _templates()
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not problems


def test_htmx_is_told_not_to_inject_styles_or_eval(client_for: Callable[[str], Client]) -> None:
    text = Client().get(reverse("login")).content.decode()
    assert '"includeIndicatorStyles": false' in text and '"allowEval": false' in text


# --- Production settings ------------------------------------------------------------------


def _production_env(**extra: str) -> dict[str, str]:
    # Not the test process's own switches (the browser tests allow async-unsafe ORM calls).
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="helhedsplan.example.dk",
        CSRF_TRUSTED_ORIGINS="https://helhedsplan.example.dk",
        HELHEDSPLAN_VAR_DIR=extra.pop("var", ""),
        **extra,
    )
    return env


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_readme_settings(tmp_path: Path) -> None:
    """HSTS and the HTTPS redirect are on by default under DEBUG=0 (no W004/W008)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(var=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_defaults_and_the_proxy_switch(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.DEMO_LOGIN_ALLOWED, "
        "s.SESSION_COOKIE_SECURE)"
    )
    args = [sys.executable, "manage.py", "shell", "-c", code]

    def run(**extra: str) -> str:
        env = _production_env(var=str(tmp_path), **extra)
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip().splitlines()[-1]

    assert run() == "True 31536000 False True"
    assert run(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0") == "False 0 False True"


# --- The demo's published password ------------------------------------------------------


@pytest.mark.demo  # logs in with the demo users' password
def test_demo_password_is_refused_where_demo_logins_are_off(plan: Plan, settings: Any) -> None:
    settings.DEMO_LOGIN_ALLOWED = False
    client = Client()
    response = client.post(reverse("login"), {"username": "sekretariat", "password": "demo"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.content.decode()
    page = Client().get(reverse("login")).content.decode()
    assert "Demo-logins" not in page and "<code>demo</code>" not in page


@pytest.mark.demo  # logs in with the demo users' password
def test_a_demo_user_given_a_real_password_logs_in(plan: Plan, settings: Any) -> None:
    settings.DEMO_LOGIN_ALLOWED = False
    user = User.objects.get(username="sekretariat")
    user.set_password("en-rigtig-adgangskode-42")
    user.save()
    client = Client()
    client.post(
        reverse("login"), {"username": "sekretariat", "password": "en-rigtig-adgangskode-42"}
    )
    assert client.session["_auth_user_id"] == str(user.pk)


def test_load_demo_refuses_where_demo_logins_are_off(
    settings: Any, monkeypatch: pytest.MonkeyPatch, plan: Plan
) -> None:
    settings.DEMO_LOGIN_ALLOWED = False
    loaded: list[bool] = []

    def fake_load() -> Plan:
        loaded.append(True)
        return plan

    monkeypatch.setattr("helhedsplan.demo.management.commands.load_demo.load_demo", fake_load)
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("load_demo")
    assert not loaded
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert loaded == [True]


# --- Login throttling ---------------------------------------------------------------------


def _login(username: str, password: str, **meta: str) -> int:
    data = {"username": username, "password": password}
    response = Client().post(reverse("login"), data, **meta)  # type: ignore[arg-type]
    return int(response.status_code)


def _fail(username: str, times: int, **meta: str) -> None:
    """``times`` wrong passwords; the last of them already answers 429 (locked)."""
    answers = [_login(username, "forkert", **meta) for _ in range(times)]
    assert answers == [200] * (times - 1) + [429]


@pytest.fixture
def throttled(settings: Any) -> Any:
    settings.AXES_ENABLED = True
    return settings


@pytest.mark.demo  # logs in with the demo users' password
def test_one_users_failures_do_not_lock_out_another_from_the_same_address(
    plan: Plan, throttled: Any
) -> None:
    """Behind the TLS proxy everyone shares its address; a lock-out is per username."""
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    _fail("sekretariat", throttled.AXES_FAILURE_LIMIT, **proxy)
    assert _login("sekretariat", "demo", **proxy) == 429
    assert _login("koordinator", "demo", **proxy) == 302


@pytest.mark.demo  # logs in with the demo users' password
def test_behind_a_trusted_proxy_the_client_address_counts(plan: Plan, throttled: Any) -> None:
    throttled.TRUSTED_PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    colleague = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    _fail("sekretariat", throttled.AXES_FAILURE_LIMIT, **attacker)
    assert _login("sekretariat", "demo", **attacker) == 429
    assert _login("sekretariat", "demo", **colleague) == 302


@pytest.mark.demo  # logs in with the demo users' password
def test_without_a_proxy_a_forged_header_does_not_escape_the_lockout(
    plan: Plan, throttled: Any
) -> None:
    _fail("sekretariat", throttled.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.9")
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    assert _login("sekretariat", "demo", **forged) == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.4", "10.0.0.1"),
        (1, "198.51.100.4", "198.51.100.4"),
        (1, "6.6.6.6, 198.51.100.4", "198.51.100.4"),  # the client's own prefix is not trusted
        (2, "6.6.6.6, 198.51.100.4, 10.0.0.2", "198.51.100.4"),
        (2, "198.51.100.4", "10.0.0.1"),  # fewer entries than proxies: misconfigured
        (1, "ikke-en-adresse", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip(settings: Any, proxies: int, forwarded: str, expected: str) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert security.client_ip(request) == expected


# --- Sessions -----------------------------------------------------------------------------


def _session_client(plan: Plan) -> Client:
    client = Client()
    client.force_login(factories.persona(plan, "secretariat"))
    assert client.get(plan.get_absolute_url()).status_code == 200
    return client


def _age_session(client: Client, **ago: float) -> None:
    session = client.session
    for key, seconds in ago.items():
        session[key] = time.time() - seconds
    session.save()


def test_sessions_are_short_by_default() -> None:
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS
    assert settings.SESSION_MAX_AGE_SECONDS == 12 * 3600


def test_login_starts_both_clocks_and_an_older_session_gets_them(plan: Plan) -> None:
    client = Client()
    client.force_login(factories.persona(plan, "secretariat"))
    assert {security.SESSION_STARTED, security.SESSION_SEEN} <= set(client.session.keys())
    session = client.session
    del session[security.SESSION_STARTED], session[security.SESSION_SEEN]
    session.save()
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert {security.SESSION_STARTED, security.SESSION_SEEN} <= set(client.session.keys())


def test_an_idle_session_ends(plan: Plan) -> None:
    client = _session_client(plan)
    _age_session(client, **{security.SESSION_SEEN: settings.SESSION_IDLE_SECONDS + 60})
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_active_session_ends_at_the_absolute_cap(plan: Plan) -> None:
    client = _session_client(plan)
    _age_session(
        client,
        **{
            security.SESSION_STARTED: settings.SESSION_MAX_AGE_SECONDS + 60,
            security.SESSION_SEEN: 5,
        },
    )
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_activity_keeps_a_session_alive(plan: Plan) -> None:
    client = _session_client(plan)
    _age_session(client, **{security.SESSION_SEEN: settings.SESSION_IDLE_SECONDS - 120})
    assert client.get(plan.get_absolute_url()).status_code == 200
    seen = client.session[security.SESSION_SEEN]
    assert time.time() - seen < settings.SESSION_IDLE_SECONDS - 120  # renewed by the request


# --- Changing one's password --------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "coordinator", "board", "lbf", "auditor"])
def test_every_user_reaches_the_password_form_from_the_menu(
    role: str, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for(role)
    url = reverse("password_change")
    assert f'href="{url}"' in client.get(plan.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Skift adgangskode" in page.content.decode()


def test_anonymous_is_sent_to_login_for_the_password_form() -> None:
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _change(client: Client, old: str, new: str) -> Any:
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.mark.demo  # logs in with the demo users' password
def test_password_change_asks_the_old_password_and_applies_the_validators(plan: Plan) -> None:
    user = User.objects.get(username="koordinator")
    client = Client()
    client.force_login(user)
    wrong = _change(client, "forkert", "Lang-og-god-kode-2019")
    assert "Din gamle adgangskode blev ikke indtastet korrekt" in wrong.content.decode()
    for weak in ["kort1", "1234567890123", "password123", "koordinator1"]:
        response = _change(client, "demo", weak)
        assert response.status_code == 200 and response.context["form"].errors, weak
    user.refresh_from_db()
    assert user.check_password("demo")


@pytest.mark.demo  # logs in with the demo users' password
def test_password_change_keeps_the_user_logged_in(plan: Plan) -> None:
    user = User.objects.get(username="koordinator")
    client = Client()
    client.force_login(user)
    response = _change(client, "demo", "Lang-og-god-kode-2019")
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    done = client.get(response["Location"])
    assert done.status_code == 200 and "Adgangskoden er skiftet" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Lang-og-god-kode-2019")
    assert client.get(plan.get_absolute_url()).status_code == 200
