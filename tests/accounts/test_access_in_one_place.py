"""Access is decided in ``accounts/access.py`` only, and ``plan_view`` applies the table.

The meta-tests grep the application code: outside ``accounts/`` no view, service, form,
selector or template compares roles (``Role.X``, ``access.roles``, a coordinator's area ids)
or imports the access roles, and no service, selector or form takes a ``PlanAccess``. The
role labels and membership models (``accounts/``) and the demo loader may name roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

import helhedsplan
from helhedsplan.accounts.access import DecidedByView, PlanAccess, UrlRule, plan_view
from helhedsplan.accounts.models import User
from helhedsplan.plans.models import Plan

APP = Path(helhedsplan.__file__).parent
ROLE_DECISIONS = [
    re.compile(r"(?<![\w.])Role\.(SECRETARIAT|COORDINATOR|MUNICIPAL|BOARD|LBF|AUDITOR)\b"),
    re.compile(r"\.roles\b"),
    re.compile(r"coordinator_area_ids"),
    re.compile(r"from helhedsplan\.accounts\.models import [^\n]*\bRole\b"),
]
TAKES_ACCESS = re.compile(r"\baccess: PlanAccess\b|\bPlanAccess\(")


def _exempt(path: Path) -> bool:
    relative = path.relative_to(APP).as_posix()
    return (
        relative.startswith(("accounts/", "demo/"))
        or relative.endswith("/demo.py")
        or "/migrations/" in relative
    )


def _application_files(*suffixes: str) -> list[Path]:
    return sorted(p for p in APP.rglob("*") if p.suffix in suffixes and not _exempt(p))


def test_no_role_comparison_outside_accounts() -> None:
    found = [
        f"{path.relative_to(APP)}:{number}: {line.strip()}"
        for path in _application_files(".py", ".html", ".txt")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(pattern.search(line) for pattern in ROLE_DECISIONS)
    ]
    assert found == [], "access decided outside accounts/access.py:\n" + "\n".join(found)


def test_services_selectors_and_forms_take_plain_values_not_plan_access() -> None:
    found = [
        f"{path.relative_to(APP)}:{number}"
        for path in _application_files(".py")
        if path.name in ("services.py", "selectors.py", "forms.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TAKES_ACCESS.search(line) or "import PlanAccess" in line
    ]
    assert found == []


def test_activities_scope_module_is_gone() -> None:
    assert not (APP / "activities" / "scope.py").exists()


# The decorator applies the table, whatever the view does.


@plan_view("plan.view", post="plan.edit")
def _reads_and_writes(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    return HttpResponse("ran")  # "forgets" to check the POST permission itself


@plan_view(DecidedByView("the view names the permission from its argument"))
def _decides_itself(request: HttpRequest, access: PlanAccess, permission: str) -> HttpResponse:
    access.require(permission)
    return HttpResponse("ran")


Persona = Callable[[str], User]


def _request(method: str, user: User) -> HttpRequest:
    request: HttpRequest = getattr(RequestFactory(), method.lower())("/")
    request.user = user
    return request


def test_a_post_needing_more_than_get_is_refused_even_if_the_view_forgot(
    factory_plan: Plan, persona: Persona
) -> None:
    slug = factory_plan.slug
    assert _reads_and_writes(_request("GET", persona("board")), slug).status_code == 200
    with pytest.raises(PermissionDenied):
        _reads_and_writes(_request("POST", persona("board")), slug)
    assert _reads_and_writes(_request("POST", persona("secretariat")), slug).status_code == 200


def test_a_method_the_table_does_not_name_is_405(factory_plan: Plan, persona: Persona) -> None:
    response = _reads_and_writes(_request("PUT", persona("board")), factory_plan.slug)
    assert (response.status_code, response["Allow"]) == (405, "GET, POST")


def test_the_table_is_on_the_view() -> None:
    rule = _reads_and_writes.access_rule  # type: ignore[attr-defined]
    assert rule == UrlRule(get="plan.view", post="plan.edit")
    assert not rule.decided_by_view
    assert _decides_itself.access_rule.decided_by_view  # type: ignore[attr-defined]


def test_a_permission_decided_by_the_view_still_hides_the_plan(
    factory_plan: Plan, persona: Persona
) -> None:
    slug, lbf = factory_plan.slug, persona("lbf")
    ok = _decides_itself(_request("GET", lbf), slug, permission="agreement.view")
    assert ok.status_code == 200
    with pytest.raises(PermissionDenied):
        _decides_itself(_request("GET", lbf), slug, permission="criteria.view")
    with pytest.raises(Http404):
        _decides_itself(_request("GET", persona("outsider")), slug, permission="plan.view")


def test_an_unknown_permission_fails_at_import() -> None:
    with pytest.raises(KeyError):
        plan_view("no.such.permission")
    with pytest.raises(KeyError):
        plan_view("plan.view", post="no.such.permission")
