"""Every URL, requested as every role: the answer each must get.

The table below is the access policy written out. A new URL without a row here fails
``test_every_url_is_in_the_matrix``, so later issues must extend it.
About every page of the real plan, so it uses the demo (``demo_plan``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from helhedsplan.plans.models import Plan

# About every page of the real plan, so on the demo (tests/conftest.py: demo_plan).
pytestmark = pytest.mark.demo

ROLES = ["secretariat", "coordinator", "municipal", "board", "lbf", "auditor"]
EVERYONE = set(ROLES)
SECRETARIAT = {"secretariat"}
AUDIT_READERS = {"secretariat", "board", "auditor"}
REGISTRARS = {"secretariat", "coordinator", "municipal"}
# Organisation and meetings: everyone working in the plan reads; LBF sees only the chart.
ORG_READERS = {"secretariat", "coordinator", "municipal", "board", "auditor"}
DECIDERS = {"secretariat", "board"}
EVALUATORS = {"secretariat", "coordinator"}
PACKAGE_READERS = {"secretariat", "board", "lbf", "auditor"}
# Landsbyggefonden reads the agreement, its attachments, the chart and its package; nothing
# with raw registrations (criteria, activities, delivery, area pages, the API).
WORKERS = EVERYONE - {"lbf"}

# url name -> (extra kwargs beyond the plan slug, roles answered 200; others 403)
PLAN_URLS: dict[str, tuple[dict[str, str], set[str]]] = {
    "plans:overview": ({}, EVERYONE),
    "plans:edit": ({}, SECRETARIAT),
    "plans:area": ({"area": "motalavej"}, WORKERS),
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
    "criteria:scorecard": ({}, WORKERS),
    "criteria:export": ({}, WORKERS),
    "criteria:criterion": ({"code": "5.2.2"}, WORKERS),
    "criteria:chart": ({"code": "5.2.2", "column": "motalavej", "fmt": "svg"}, WORKERS),
    "criteria:observation_new": ({"code": "5.2.2"}, REGISTRARS),
    "criteria:import": ({}, REGISTRARS),
    "criteria:approvals": ({}, SECRETARIAT),
    "criteria:approve": ({"pk": "__first_observation__"}, SECRETARIAT),
    "criteria:target_edit": ({"code": "5.2.2", "pk": "__first_target__"}, SECRETARIAT),
    "api:scorecard": ({}, WORKERS),
    "organisation:overview": ({}, ORG_READERS),
    "organisation:body": ({"body": "bestyrelse"}, ORG_READERS),
    "organisation:membership_create": ({"body": "bestyrelse"}, SECRETARIAT),
    "organisation:membership_end": ({"pk": "__membership__"}, SECRETARIAT),
    "organisation:person_create": ({}, SECRETARIAT),
    "organisation:person_edit": ({"pk": "__person__"}, SECRETARIAT),
    "organisation:chart": ({}, EVERYONE),
    "organisation:chart_svg": ({}, EVERYONE),
    "organisation:chart_pdf": ({}, EVERYONE),
    "organisation:chart_png": ({}, EVERYONE),
    "meetings:list": ({}, ORG_READERS),
    "meetings:calendar": ({}, ORG_READERS),
    "meetings:create": ({}, SECRETARIAT),
    "meetings:detail": ({"pk": "__meeting__"}, ORG_READERS),
    "meetings:edit": ({"pk": "__meeting__"}, SECRETARIAT),
    "meetings:minutes_upload": ({"pk": "__meeting__"}, SECRETARIAT),
    "meetings:minutes_file": ({"pk": "__meeting__"}, ORG_READERS),
    "meetings:minutes_docx": ({"pk": "__meeting__"}, ORG_READERS),
    "meetings:minutes_pdf": ({"pk": "__meeting__"}, ORG_READERS),
    "meetings:decision_create": ({"pk": "__meeting__"}, DECIDERS),
    "meetings:notices": ({}, ORG_READERS),
    "meetings:notice_create": ({}, SECRETARIAT),
    "meetings:disputes": ({}, ORG_READERS),
    "meetings:dispute_create": ({}, SECRETARIAT),
    "meetings:dispute": ({"pk": "__dispute__"}, ORG_READERS),
    "meetings:dispute_handle": ({"pk": "__dispute__"}, SECRETARIAT),
    "meetings:dispute_escalate": ({"pk": "__dispute__"}, SECRETARIAT),
    "meetings:dispute_decide": ({"pk": "__dispute__"}, DECIDERS),
    "activities:list": ({}, WORKERS),
    "activities:detail": ({"activity": "idraetspartnerskaber"}, WORKERS),
    "activities:evaluation_create": ({"activity": "tryghedsvandringer"}, EVALUATORS),
    "activities:evaluation_file": ({"pk": "__evaluation_pk__"}, WORKERS),
    "activities:plan": ({}, WORKERS),
    "activities:plan_import": ({}, SECRETARIAT),
    "activities:plan_export": ({}, WORKERS),
    "activities:settings": ({}, SECRETARIAT),
    "activities:registrations": ({}, WORKERS),
    "activities:registration_create": ({}, REGISTRARS),
    # A demo registration of a municipal activity in the coordinator's area (Motalavej).
    "activities:registration_edit": ({"pk": "__registration_pk__"}, REGISTRARS),
    "activities:criteria_support": ({}, WORKERS),
    "activities:delivery": ({}, WORKERS),
    "activities:delivery_export": ({}, WORKERS),
    "activities:quarters": ({}, SECRETARIAT),
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
    "criteria:return": ({"pk": "__first_observation__"}, SECRETARIAT),
}
# Files: 404 when there is no such file (the object exists only after an upload).
FILE_URLS: dict[str, tuple[dict[str, str], set[str]]] = {
    "agreements:attachment_file": ({"pk": "999999"}, EVERYONE),
    "agreements:lbf_letter": ({"number": "1"}, EVERYONE),
    "agreements:attachment_generated": ({"kind": "budget", "index": "0"}, EVERYONE),
}
GLOBAL_URLS = {
    "home": 302,
    "login": 302,
    "logout": 405,
    "set_language": 302,
    "password_change": 200,
    "password_change_done": 200,
}


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


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Files created for the matrix (evaluation evidence) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _evaluation_with_file(plan: Plan) -> Any:
    from datetime import date

    from helhedsplan.activities.models import Activity, Evaluation
    from helhedsplan.files.services import stored_file_create
    from tests.files.samples import pdf_bytes, upload

    stored = stored_file_create(plan=plan, upload=upload("evaluering.pdf", pdf_bytes()))
    return Evaluation.objects.create(
        activity=Activity.objects.get(plan=plan, slug="tryghedsvandringer"),
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        rating=Evaluation.Rating.PARTLY,
        narrative="Matrixtest",
        evidence_file=stored,
        evaluated_on=date(2019, 2, 1),
    )


def _url(name: str, plan: Plan) -> str:
    from django.contrib.contenttypes.models import ContentType

    extra, _ = {**PLAN_URLS, **POST_ONLY, **FILE_URLS}[name]
    kwargs = {"slug": plan.slug, **extra}
    if kwargs.get("ct") == "__plan_ct__":
        kwargs["ct"] = str(ContentType.objects.get_for_model(Plan).pk)
        kwargs["pk"] = str(plan.pk)
    if kwargs.get("pk") in ("__first_observation__", "__first_target__"):
        from helhedsplan.criteria.models import Observation, Target

        model = Observation if kwargs["pk"] == "__first_observation__" else Target
        lookup: dict[str, object] = (
            {"measure__plan": plan} if model is Observation else {"criterion__code": "5.2.2"}
        )
        first = model.objects.filter(**lookup).first()
        assert first is not None
        kwargs["pk"] = str(first.pk)
    from tests.meetings.factories import OBJECT_TOKENS

    for key, value in kwargs.items():
        if value in OBJECT_TOKENS:
            kwargs[key] = str(OBJECT_TOKENS[value](plan))
    if kwargs.get("pk") == "__registration_pk__":
        from helhedsplan.activities.models import Registration

        registration = Registration.objects.filter(
            plan=plan, activity__slug="ekstra-sundhedspleje", area__slug="motalavej"
        ).first()
        assert registration is not None
        kwargs["pk"] = str(registration.pk)
    if kwargs.get("pk") == "__evaluation_pk__":
        kwargs["pk"] = str(_evaluation_with_file(plan).pk)
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


def _readme_permission_table() -> dict[str, set[str]]:
    """The README's permission table: permission -> role values marked with x."""
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    from helhedsplan.accounts.models import Role

    with translation.override("da"):
        by_label = {str(role.label): role.value for role in Role}
    lines = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| permission |"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")][1:]
    table = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0].strip("`")] = {
            by_label[label] for label, mark in zip(header, cells[1:], strict=True) if mark
        }
    return table


def test_readme_permission_table_is_the_permission_table() -> None:
    from helhedsplan.accounts.access import PERMISSIONS

    expected = {name: {role.value for role in roles} for name, roles in PERMISSIONS.items()}
    assert _readme_permission_table() == expected


def test_matrix_agrees_with_the_permission_table(plan: Plan) -> None:
    """Each row's roles are those its view's permission names: the matrix and access.py agree."""
    from helhedsplan.accounts.access import PERMISSIONS

    for name, (_, allowed) in {**PLAN_URLS, **POST_ONLY, **FILE_URLS}.items():
        permission = get_resolver().resolve(_url(name, plan)).func.required_permission  # type: ignore[attr-defined]
        assert allowed == {role.value for role in PERMISSIONS[permission]}, (name, permission)
