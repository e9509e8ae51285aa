"""Every URL that writes, POSTed as every role: refused without a trace, or answered sanely.

Each row names the roles whose POST the view accepts and a payload: where the view reads a
form, a valid one (``writer`` shows it writes), so a missing check would write. A role without
the permission gets 403 (an outsider 404, anonymous the login page) and no row of any table
changes; an allowed role's nonsense POST answers 200 or 400 with an error or a redirect (an
empty one may show the form again), never 5xx. A URL that accepts POST (its view reads the
POST data, or is wrapped in require_POST or require_http_methods with POST) without a row
here fails ``test_every_url_that_accepts_post_has_a_row``.
About every page of the real plan, so it uses the demo (``demo_plan``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.db.models import Model
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.activities.models import Activity
from helhedsplan.finance.models import FundingSource
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import HousingArea, Plan
from tests.accounts.test_permission_matrix import (
    DECIDERS,
    EVALUATORS,
    GLOBAL_URLS,
    REGISTRARS,
    ROLES,
    SECRETARIAT,
    _named_patterns,
    _url,
)
from tests.files.samples import docx_bytes, pdf_bytes
from tests.forms_in_pages import submit

# About every page of the real plan, so on the demo (tests/conftest.py: demo_plan).
pytestmark = pytest.mark.demo

Payload = Callable[[Plan], dict[str, Any]]


def _empty(plan: Plan) -> dict[str, Any]:
    return {}


def _funding(plan: Plan) -> dict[str, Any]:
    sources = FundingSource.objects.filter(plan=plan)
    return {f"amount_{s.pk}": "25.000" if s.kind == "lbf" else "20.000" for s in sources}


def _observation(plan: Plan) -> dict[str, Any]:
    return {"area": "motalavej", "year": "2017", "numerator": "21", "denominator": "700"}


def _import(plan: Plan) -> dict[str, Any]:
    csv = "kriterium;område;år;værdi;tæller;nævner;kilde\n5.2.3;total;2017;20;;;Politiet\n"
    return {"file": SimpleUploadedFile("politi.csv", csv.encode())}


def _person(plan: Plan) -> dict[str, Any]:
    return {
        "name": "Ny Koordinator",
        "organisation_kind": "municipality",
        "level": "staff",
        "title": "Koordinator",
        "email": "ny@example.dk",
    }


def _meeting(plan: Plan) -> dict[str, Any]:
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    return {"body": board.pk, "kind": "ordinary", "date": "2019-03-20", "agenda": "Status"}


def _notice(plan: Plan) -> dict[str, Any]:
    return {
        "occurred_on": "2019-02-01",
        "subject": "Beboerhuset lukket",
        "description": "Vandskade.",
        "informed_on": "2019-02-02",
    }


def _dispute(plan: Plan) -> dict[str, Any]:
    return {
        "raised_on": "2019-02-01",
        "raised_by": "Boligorganisation 2",
        "subject": "Koordinatortid",
        "description": "Uenighed om prioriteringen.",
    }


def _evaluation(plan: Plan) -> dict[str, Any]:
    return {
        "period_start": "2018-01-01",
        "period_end": "2018-12-31",
        "rating": "delvist",
        "narrative": "Godt fremmøde.",
        "evaluated_on": "2019-02-01",
    }


def _registration(plan: Plan) -> dict[str, Any]:
    health = Activity.objects.get(plan=plan, slug="ekstra-sundhedspleje")
    motalavej = HousingArea.objects.get(plan=plan, slug="motalavej")
    return {
        "activity": health.pk,
        "area": motalavej.pk,
        "date": "2019-05-14",
        "n_25_64_f": "3",
        "volunteers": "0",
        "quantity": "2",
    }


def _attachment(plan: Plan) -> dict[str, Any]:
    upload = SimpleUploadedFile("beredskab.pdf", pdf_bytes("Beredskab"))
    return {"kind": "contingency_plan", "file": upload, "note": ""}


def _sub_agreement(plan: Plan) -> dict[str, Any]:
    return {"purpose": "Tryghed.", "responsibilities": "Sekretariatet.", "partners": "Politiet"}


# url name -> (roles whose POST the view accepts, payload, the role whose valid POST writes)
POST_URLS: dict[str, tuple[set[str], Payload, str | None]] = {
    "plans:edit": (
        SECRETARIAT,
        lambda p: {
            "name": "Ny plan",
            "status": p.status,
            "start_date": "2018-01-01",
            "end_date": "2021-12-31",
        },
        "secretariat",
    ),
    "plans:focus_area_edit": (
        SECRETARIAT,
        lambda p: {"name": "Tryghed", "purpose": "Formål", "sub_goals": "", "target_groups": ""},
        "secretariat",
    ),
    "finance:funding_edit": (SECRETARIAT, _funding, "secretariat"),
    "criteria:observation_new": (REGISTRARS, _observation, "coordinator"),
    "criteria:import": (REGISTRARS, _import, None),  # the web import may ask to confirm first
    "criteria:approve": (SECRETARIAT, _empty, None),  # the first observation is approved
    "criteria:return": (SECRETARIAT, lambda p: {"comment": "Tjek tallet."}, None),  # approved
    "criteria:target_edit": (SECRETARIAT, _empty, None),
    "organisation:membership_create": (SECRETARIAT, _empty, None),
    "organisation:membership_end": (SECRETARIAT, lambda p: {"end_date": "2021-12-31"}, None),
    "organisation:person_create": (SECRETARIAT, _person, "secretariat"),
    "organisation:person_edit": (SECRETARIAT, _empty, None),
    "meetings:create": (SECRETARIAT, _meeting, "secretariat"),
    "meetings:edit": (SECRETARIAT, _empty, None),
    "meetings:minutes_upload": (
        SECRETARIAT,
        lambda p: {"file": SimpleUploadedFile("referat.docx", docx_bytes())},
        "secretariat",
    ),
    "meetings:decision_create": (DECIDERS, lambda p: {"text": "Besluttet."}, "board"),
    "meetings:notice_create": (SECRETARIAT, _notice, "secretariat"),
    "meetings:dispute_create": (SECRETARIAT, _dispute, "secretariat"),
    "meetings:dispute_handle": (SECRETARIAT, lambda p: {"handling": "Dialog."}, "secretariat"),
    "meetings:dispute_escalate": (
        SECRETARIAT,
        lambda p: {"description": "Uenige.", "escalated_on": "2019-03-01"},
        "secretariat",
    ),
    "meetings:dispute_decide": (DECIDERS, _empty, None),
    "activities:evaluation_create": (EVALUATORS, _evaluation, "secretariat"),
    "activities:plan_import": (SECRETARIAT, _empty, None),
    "activities:settings": (SECRETARIAT, _empty, None),
    "activities:registration_create": (REGISTRARS, _registration, "municipal"),
    "activities:registration_edit": (REGISTRARS, _registration, None),
    "activities:quarters": (SECRETARIAT, lambda p: {"quarter": "2018-2"}, "secretariat"),
    "agreements:version_create": (SECRETARIAT, lambda p: {"change_note": "Ny"}, None),  # v2 open
    "agreements:version_submit": (SECRETARIAT, _empty, None),  # v2 is already submitted
    "agreements:version_decide": ({"secretariat", "lbf"}, lambda p: {"decision": "approve"}, "lbf"),
    "agreements:section_edit": (SECRETARIAT, lambda p: {"body": "Nyt afsnit."}, None),
    "agreements:attachments": (SECRETARIAT, _attachment, "secretariat"),
    "agreements:sub_agreement_edit": (SECRETARIAT, _sub_agreement, "secretariat"),
    "agreements:sub_agreement_submit": (SECRETARIAT, _empty, "secretariat"),
    "agreements:sub_agreement_decide": (
        {"secretariat", "lbf"},
        lambda p: {"decision": "approve"},
        None,
    ),
    "agreements:sub_agreement_reviewed": (SECRETARIAT, _empty, "secretariat"),
}
NONSENSE = "ugyldig-1e400"


def _counts() -> dict[str, int]:
    """Rows per table of the product's apps and the audit trail."""
    tracked: list[type[Model]] = [
        m for m in apps.get_models() if m.__module__.startswith(("helhedsplan.", "auditlog."))
    ]
    return {m._meta.label: m._default_manager.count() for m in tracked}


def _client(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


USERNAMES = {
    "secretariat": "sekretariat",
    "coordinator": "koordinator",  # Motalavej
    "municipal": "kommune",
    "board": "bestyrelse",
    "lbf": "lbf",
    "auditor": "revisor",
}


def _user(role: str) -> User:
    return User.objects.get(username=USERNAMES[role])


@pytest.fixture
def every_role(plan: Plan) -> User:
    """One user holding every role on the plan (coordinator for Motalavej)."""
    user = User.objects.create_user(username="alleroller", password="x")
    for role in Role:
        membership = Membership.objects.create(user=user, plan=plan, role=role)
        if role == Role.COORDINATOR:
            membership.areas.add(HousingArea.objects.get(plan=plan, slug="motalavej"))
    return user


@pytest.fixture
def post_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Records each time a request's POST data or files are read."""
    reads: list[str] = []

    def tracked(prop: Any) -> property:
        def get(self: WSGIRequest) -> Any:
            reads.append(self.path)
            return prop.fget(self)

        return property(get, prop.fset)

    monkeypatch.setattr(WSGIRequest, "POST", tracked(WSGIRequest.POST))
    monkeypatch.setattr(WSGIRequest, "FILES", tracked(WSGIRequest.FILES))
    yield reads


def _allows_post(path: str) -> bool:
    """The view is wrapped in require_http_methods([..., "POST"]) (it acts on the method)."""
    func: Any = resolve(path).func
    while func is not None:
        for cell in func.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list | tuple) and "POST" in value:
                return True
        func = getattr(func, "__wrapped__", None)
    return False


@pytest.mark.slow
def test_every_url_that_accepts_post_has_a_row(
    plan: Plan, every_role: User, post_reads: list[str]
) -> None:
    accepting = set()
    for name in _named_patterns(get_resolver()):
        path = reverse(name) if name in GLOBAL_URLS else _url(name, plan)
        client = _client(every_role)  # a fresh one: a POST may log out or switch language
        post_reads.clear()
        response = client.post(path, {})
        assert response.status_code < 500 or name in POST_URLS, (name, response.status_code)
        if post_reads or _allows_post(path):  # require_POST is require_http_methods(["POST"])
            accepting.add(name)
    # Outside any plan (login, logout, the language switch) no role is checked: their row in
    # the matrix's GLOBAL_URLS is enough.
    missing = accepting - set(POST_URLS) - set(GLOBAL_URLS)
    assert missing == set(), "URLs that accept POST without a row"
    assert set(POST_URLS) - accepting == set(), "rows for URLs that do not accept POST"


def _denied() -> list[tuple[str, str]]:
    return [
        (name, persona)
        for name, (allowed, _p, _w) in sorted(POST_URLS.items())
        for persona in [*ROLES, "outsider", "anonymous"]
        if persona not in allowed
    ]


@pytest.mark.parametrize(("name", "persona"), _denied())
def test_post_without_the_permission_is_refused_and_writes_nothing(
    name: str, persona: str, plan: Plan, other_plan: Plan
) -> None:
    _allowed_roles, payload, _writer = POST_URLS[name]
    path = _url(name, plan)
    data = payload(plan)
    if persona == "outsider":
        user: User | None = other_plan.memberships.get().user
    else:
        user = None if persona == "anonymous" else _user(persona)
    client = _client(user)
    before = _counts()
    response = client.post(path, data)
    expected = {"outsider": 404, "anonymous": 302}.get(persona, 403)
    assert response.status_code == expected, (name, persona)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    after = _counts()
    assert {k: (v, after[k]) for k, v in before.items() if after[k] != v} == {}, (name, persona)


def _allowed() -> list[tuple[str, str]]:
    return [(n, r) for n, (allowed, _p, _w) in sorted(POST_URLS.items()) for r in sorted(allowed)]


@pytest.mark.parametrize(("name", "role"), _allowed())
def test_allowed_post_with_empty_or_nonsense_data_answers_sanely(
    name: str, role: str, plan: Plan
) -> None:
    path = _url(name, plan)
    client = _client(_user(role))
    form = client.get(path)
    named = r'<(?:input|select|textarea)[^>]* name="([^"]+)"'
    fields = set(re.findall(named, form.content.decode()))
    nonsense = {f: NONSENSE for f in fields - {"csrfmiddlewaretoken", "next", "language"}}
    for data in ({}, nonsense):
        response = client.post(path, data)
        assert response.status_code in (200, 302, 400), (name, role, data, response.status_code)
        if data and response.status_code != 302:  # an empty POST may show the form again
            assert 'class="error' in response.content.decode(), (name, role, "no error shown")


@pytest.mark.parametrize("name", sorted(n for n, row in POST_URLS.items() if row[2]))
def test_valid_payload_writes_for_the_allowed_role(name: str, plan: Plan) -> None:
    """The payloads are real: the refusals above are refusals of a write that would happen."""
    _allowed_roles, payload, writer = POST_URLS[name]
    assert writer is not None
    before = _counts()
    response = submit(_client(_user(writer)), _url(name, plan), payload(plan))  # as a browser
    assert response.status_code == 302, (name, response.status_code)
    assert _counts() != before, f"{name}: nothing written (not even an audit entry)"
