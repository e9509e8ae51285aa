"""Every URL, requested as every role: the answer each must get.

The table below is the access policy written out. A new URL without a row here fails
``test_every_url_is_in_the_matrix``, so later issues must extend it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from helhedsplan.plans.models import Plan

ROLES = ["secretariat", "coordinator", "municipal", "board", "lbf", "auditor"]
EVERYONE = set(ROLES)
SECRETARIAT = {"secretariat"}
AUDIT_READERS = {"secretariat", "board", "auditor"}
PACKAGE_READERS = {"secretariat", "board", "lbf", "auditor"}

# url name -> (extra kwargs beyond the plan slug, roles answered 200; others 403)
PLAN_URLS: dict[str, tuple[dict[str, str], set[str]]] = {
    "plans:overview": ({}, EVERYONE),
    "plans:edit": ({}, SECRETARIAT),
    "plans:area": ({"area": "motalavej"}, EVERYONE),
    "plans:focus_area": ({"code": "5.1"}, EVERYONE),
    "plans:focus_area_edit": ({"code": "5.1"}, SECRETARIAT),
    "finance:funding_edit": ({}, SECRETARIAT),
    "audit:plan": ({}, AUDIT_READERS),
    "agreements:overview": ({}, EVERYONE),
    "agreements:compare": ({}, EVERYONE),
    "agreements:version": ({"number": "1"}, EVERYONE),
    "agreements:version_download": ({"number": "1", "fmt": "docx"}, EVERYONE),
    "agreements:section_edit": ({"number": "2", "key": "6"}, SECRETARIAT),
    "agreements:attachments": ({}, EVERYONE),
    "agreements:lbf_package": ({}, PACKAGE_READERS),
    "agreements:sub_agreement": ({"code": "5.1"}, EVERYONE),
    "agreements:sub_agreement_edit": ({"code": "5.1"}, SECRETARIAT),
    "agreements:sub_agreement_download": ({"code": "5.1", "number": "1", "fmt": "pdf"}, EVERYONE),
    "audit:object": ({"ct": "__plan_ct__", "pk": "__plan_pk__"}, AUDIT_READERS),
}
# URLs outside any plan: name -> expected status for a logged-in user with a role.
# POST-only actions: a GET answers 405 to those allowed, 403 to the others (checked first).
POST_ONLY: dict[str, tuple[dict[str, str], set[str]]] = {
    "agreements:version_create": ({}, SECRETARIAT),
    "agreements:version_submit": ({"number": "2"}, SECRETARIAT),
    "agreements:version_decide": ({"number": "2"}, {"secretariat", "lbf"}),
    "agreements:sub_agreement_submit": ({"code": "5.1", "number": "1"}, SECRETARIAT),
    "agreements:sub_agreement_decide": ({"code": "5.1", "number": "1"}, {"secretariat", "lbf"}),
    "agreements:sub_agreement_reviewed": ({"code": "5.1", "number": "1"}, SECRETARIAT),
}
# Files: 404 when there is no such file (the object exists only after an upload).
FILE_URLS: dict[str, tuple[dict[str, str], set[str]]] = {
    "agreements:attachment_file": ({"pk": "999999"}, EVERYONE),
    "agreements:lbf_letter": ({"number": "1"}, EVERYONE),
    "agreements:attachment_generated": ({"kind": "budget", "index": "0"}, EVERYONE),
}
GLOBAL_URLS = {"home": 302, "login": 302, "logout": 405, "set_language": 302}


def _named_patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    names = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue
            names += _named_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.append(prefix + p.name)
    return names


def _url(name: str, plan: Plan) -> str:
    from django.contrib.contenttypes.models import ContentType

    extra, _ = {**PLAN_URLS, **POST_ONLY, **FILE_URLS}[name]
    kwargs = {"slug": plan.slug, **extra}
    if kwargs.get("ct") == "__plan_ct__":
        kwargs["ct"] = str(ContentType.objects.get_for_model(Plan).pk)
        kwargs["pk"] = str(plan.pk)
    return reverse(name, kwargs=kwargs)


def test_every_url_is_in_the_matrix() -> None:
    names = set(_named_patterns(get_resolver()))
    missing = names - set(PLAN_URLS) - set(POST_ONLY) - set(FILE_URLS) - set(GLOBAL_URLS)
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"


def test_every_plan_url_is_guarded(plan: Plan) -> None:
    for name in [*PLAN_URLS, *POST_ONLY, *FILE_URLS]:
        match = get_resolver().resolve(_url(name, plan))
        assert hasattr(match.func, "required_permission"), f"{name} is not behind plan_view"


@pytest.mark.parametrize("name", sorted(PLAN_URLS))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer(
    name: str, role: str, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    _, allowed = PLAN_URLS[name]
    response = client_for(role).get(_url(name, plan))
    assert response.status_code == (200 if role in allowed else 403), (name, role)


@pytest.mark.parametrize("name", sorted(PLAN_URLS))
def test_outsider_gets_404_not_403(
    name: str, plan: Plan, other_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """A plan where the user has no role answers 404: its existence is not revealed."""
    client = Client()
    client.force_login(other_plan.memberships.get().user)
    assert client.get(_url(name, plan)).status_code == 404


@pytest.mark.parametrize("name", sorted(PLAN_URLS))
def test_anonymous_is_sent_to_login(
    name: str, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    response = client_for("anonymous").get(_url(name, plan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_plan_is_404_like_a_foreign_one(client_for: Callable[[str], Client]) -> None:
    assert client_for("secretariat").get("/planer/findes-ikke/").status_code == 404


@pytest.mark.parametrize("name", sorted(GLOBAL_URLS))
def test_global_urls(name: str, client_for: Callable[[str], Client]) -> None:
    response = client_for("secretariat").get(reverse(name))
    assert response.status_code == GLOBAL_URLS[name]


@pytest.mark.parametrize("name", sorted(POST_ONLY))
@pytest.mark.parametrize("role", ROLES)
def test_post_only_actions(
    name: str, role: str, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    _, allowed = POST_ONLY[name]
    response = client_for(role).get(_url(name, plan))
    assert response.status_code == (405 if role in allowed else 403), (name, role)


@pytest.mark.parametrize("name", sorted(FILE_URLS))
@pytest.mark.parametrize("role", ROLES)
def test_file_urls(name: str, role: str, plan: Plan, client_for: Callable[[str], Client]) -> None:
    _, allowed = FILE_URLS[name]
    response = client_for(role).get(_url(name, plan))
    assert response.status_code == (404 if role in allowed else 403), (name, role)


@pytest.mark.parametrize("name", sorted([*POST_ONLY, *FILE_URLS]))
def test_outsider_gets_404_on_actions_and_files(name: str, plan: Plan, other_plan: Plan) -> None:
    client = Client()
    client.force_login(other_plan.memberships.get().user)
    assert client.get(_url(name, plan)).status_code == 404
