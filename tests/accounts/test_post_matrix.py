"""Every plan URL, POSTed as every role: refused without a trace, or answered sanely.

Who may POST is the permission table (``accounts.access.url_rules()``: the ``post=`` of each
view's ``plan_view``). This file gives each URL that takes POST a payload: where the view
reads a form, a valid one (``writer`` shows it writes), so a missing check would write. A
role without the POST permission gets 403 (an outsider 404, anonymous the login page) and no
row of any table changes; an allowed role's nonsense POST answers 200 or 400 with an error
or a redirect (an empty one may show the form again), never 5xx. A URL the table gives no
POST answers 405 (403 to a role that may not even read it) before its view runs. A URL that
takes POST without a payload row here, or a row for one that does not, fails
``test_every_url_that_takes_post_has_a_payload``.
About every page of the real plan, so it uses the demo (``demo_plan``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.db.models import Model
from django.test import Client
from django.urls import get_resolver, reverse

from helhedsplan.accounts.access import url_rules
from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.activities.models import Activity
from helhedsplan.finance.models import FundingSource
from helhedsplan.meetings.models import Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from tests.accounts.test_permission_matrix import (
    GLOBAL_URLS,
    ROLES,
    STAFF_URLS,
    URL_KWARGS,
    _named_patterns,
    _url,
    global_path,
    holders,
    rule,
    skip_if_decided_by_view,
)
from tests.files.samples import docx_bytes, pdf_bytes
from tests.forms_in_pages import submit
from tests.meetings.factories import board_meeting

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


def _measure(plan: Plan) -> dict[str, Any]:
    return {
        "name": "Matrixmåling", "value_kind": "count", "unit": "episoder",
        "data_source": "Politiet", "delivered_by": "Politiet", "frequency": "yearly",
        "direction": "lower_is_better", "first_year": "2017", "last_year": "2021",
    }  # fmt: skip


def _measure_edit(plan: Plan) -> dict[str, Any]:
    """Påsatte brande (it has observations): the name changes, its meaning does not."""
    return {
        "name": "Påsatte brande (rettet)", "value_kind": "count", "unit": "episoder",
        "data_source": "Tal fra Slagelse Brand og Redning",
        "delivered_by": "Slagelse Brand og Redning", "frequency": "yearly",
        "direction": "lower_is_better", "first_year": "2015", "last_year": "2021",
    }  # fmt: skip


def _criterion(plan: Plan) -> dict[str, Any]:
    return {
        "focus_area": FocusArea.objects.get(plan=plan, code="5.1").pk, "code": "5.1.9",
        "title": "Matrix", "text": "Matrixkriterium.", "measure": "ny",
        **{f"ny-{k}": v for k, v in _measure(plan).items()},
    }  # fmt: skip


def _activity(plan: Plan) -> dict[str, Any]:
    return {
        "name": "Matrixaktivitet", "focus_area": FocusArea.objects.get(plan=plan, code="5.1").pk,
        "areas": [HousingArea.objects.get(plan=plan, slug="motalavej").pk],
        "responsible": "secretariat", "unit": "events",
    }  # fmt: skip


def _activity_edit(plan: Plan) -> dict[str, Any]:
    """The demo activity as it is, with a longer description: a change that writes."""
    from helhedsplan.activities.forms import ActivityForm

    activity = Activity.objects.get(plan=plan, slug="idraetspartnerskaber")
    data: dict[str, Any] = {}
    for name, value in ActivityForm.initial_for(activity).items():
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    data["description"] = activity.description + " Rettet i matrixtesten."
    return data


def _organisation_to_link(plan: Plan) -> dict[str, Any]:
    from helhedsplan.plans.models import HousingOrganisation

    org, _created = HousingOrganisation.objects.get_or_create(name="Matrix Fælles Bolig")
    return {"housing_organisation": org.pk}


def _programme_evaluation(plan: Plan) -> dict[str, Any]:
    """The demo's first evaluation with its performer and method decided."""
    return {
        "number": "1", "title": "Helhedsevaluering (rettet i matrixtesten)",
        "timing_text": "ultimo 2018 eller primo 2019", "due_from": "2018-10-01",
        "due_by": "2019-03-31", "performer_kind": "student", "performer_name": "En studerende",
        "method": "Interviews med koordinatorerne.", "method_fixed_on": "2018-06-01",
    }  # fmt: skip


def _finding(plan: Plan) -> dict[str, Any]:
    from tests.programmeevaluations.tokens import with_report

    with_report(plan)
    return {"text": "Resultat fra matrixtesten.", "question": ""}


def _follow_up_decision(plan: Plan) -> dict[str, Any]:
    """A decision of a board meeting, to link to the matrix's finding."""
    from helhedsplan.meetings.services import decision_create

    meeting = board_meeting(plan, date(2019, 5, 1))
    decision = decision_create(meeting=meeting, text="Bestyrelsen følger op (matrix).")
    return {"decision": str(decision.pk)}


def _free_framework_key(plan: Plan) -> str:
    from helhedsplan.frameworks import catalogue

    taken = set(plan.focus_areas.values_list("framework_key", flat=True))
    free = [f.key for f in catalogue.get(plan.framework).focus_areas if f.key not in taken]
    if free:
        return free[0]
    # The demo has chosen all four of the 2015-18 framework's focus areas: free the last one
    # (an update, not a row: the matrix counts rows) so the form has one to choose.
    last = plan.focus_areas.order_by("-code").first()
    assert last is not None
    plan.focus_areas.filter(pk=last.pk).update(framework_key="")
    return last.framework_key


def _focus_area_framework(plan: Plan) -> dict[str, Any]:
    fa = plan.focus_areas.get(code="5.1")
    return {f"fa{fa.pk}-framework_key": _free_framework_key(plan)}


def _assessment(plan: Plan) -> dict[str, Any]:
    """The board's assessment of focus area 5.1 at the matrix's assessment meeting."""
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    prefix = f"fa{fa.pk}"
    return {
        "focus_area": fa.pk,
        f"{prefix}-rating": "partly",
        f"{prefix}-text": "Delvist på rette vej.",
        f"{prefix}-version": "new",
    }


def _board_decision(plan: Plan) -> dict[str, Any]:
    """The board approves at one of its meetings (the demo holds none: one is made)."""
    meeting = Meeting.objects.filter(plan=plan, body__kind=Body.Kind.BOARD).first()
    return {"decision": "approve", "meeting": (meeting or board_meeting(plan)).pk}


# url name -> (payload, the role whose valid POST writes); who may POST is the table's.
POST_URLS: dict[str, tuple[Payload, str | None]] = {
    "plans:edit": (
        lambda p: {
            "name": "Ny plan",
            "status": p.status,
            "start_date": "2018-01-01",
            "end_date": "2021-12-31",
        },
        "secretariat",
    ),
    # The demo's agreement is approved and its version 2 submitted: no draft takes the change.
    # Closing the demo plan issues its final report (slow): tests/plans/test_closing.py
    # shows the write.
    "plans:close": (lambda p: {"reason": "Planperioden er slut.", "confirm": "on"}, None),
    "plans:focus_area_edit": (
        lambda p: {"name": "Tryghed", "purpose": "Formål", "sub_goals": "", "target_groups": ""},
        None,
    ),
    "finance:funding_edit": (_funding, "secretariat"),
    "finance:funding_source_add": (
        lambda p: {"add-kind": "local", "add-name": "Matrixfonden", "add-amount": "1.000"},
        "secretariat",
    ),
    # The demo's local co-financing: without it the local share is 0 %, so nothing is removed.
    "finance:funding_source_remove": (_empty, None),
    # The accounts: the demo has no budget lines, so no spending is registered, imported or
    # corrected there (tests/spending/test_views.py writes them); the headers and the closing
    # of 2018 with the auditor's statement write.
    "spending:import": (_empty, None),
    "spending:edit": (_empty, None),
    "spending:correction_add": (_empty, None),
    "spending:columns": (
        lambda p: {
            "col_line": "Konto",
            "col_year": "År",
            "col_source": "Kilde",
            "col_amount": "Kr.",
        },
        "secretariat",
    ),
    # The demo's budget has no lines, so the form has no cells to post
    # (tests/finance/test_budget_pages.py writes the amounts).
    "finance:budget_edit": (_empty, None),
    "finance:budget_lines": (
        lambda p: {"kind": "administration", "name": "Matrixadministration"},
        "secretariat",
    ),
    "finance:budget_line_edit": (
        lambda p: {"kind": "other", "name": "Matrixpost 2"},
        "secretariat",
    ),
    "finance:budget_line_move": (lambda p: {"direction": "up"}, None),  # the only line
    # The matrix's line has spending: refused (tests/finance/test_budget_pages.py removes one).
    "finance:budget_line_remove": (_empty, None),
    "finance:budget_import": (_empty, None),  # tests/finance/test_budget_xlsx.py imports
    "measurements:import": (_empty, None),  # tests/measurements/test_pages.py imports
    "measurements:settings": (
        lambda p: {
            "col_area": "Afdeling",
            "col_year": "Aar",
            "col_indicator": "Kode",
            "col_value": "Vaerdi",
            "col_numerator": "Antal",
            "col_denominator": "Ialt",
            "col_source": "Kilde",
        },
        "secretariat",
    ),
    "finance:budget_settings": (
        lambda p: {
            "col_line": "Post",
            "col_year": "År",
            "col_source": "Kilde",
            "col_amount": "Kr.",
        },
        "secretariat",
    ),
    "spending:close": (
        lambda p: {
            "statement": SimpleUploadedFile("erklaering.pdf", pdf_bytes()),
            "confirm": "on",
            "note": "Uden forbehold",
        },
        "secretariat",
    ),
    "criteria:observation_new": (_observation, "coordinator"),
    "criteria:import": (_import, None),  # the web import may ask to confirm first
    "criteria:approve": (_empty, None),  # the first observation is approved
    "criteria:return": (lambda p: {"comment": "Tjek tallet."}, None),  # approved
    "criteria:target_edit": (_empty, None),
    "criteria:measure_create": (_measure, "secretariat"),
    "criteria:measure_edit": (_measure_edit, "secretariat"),
    # The demo's agreement is approved: a new criterion belongs in a draft version.
    "criteria:criterion_create": (_criterion, None),
    "criteria:target_create": (_empty, None),
    "criteria:target_sentence": (_empty, None),  # a preview: never writes
    "criteria:target_end": (_empty, None),  # no draft version in the demo
    "criteria:target_set_baseline": (_empty, None),  # no approved 2017 baseline in the demo
    "organisation:membership_create": (_empty, None),
    "organisation:membership_end": (lambda p: {"end_date": "2021-12-31"}, None),
    "organisation:person_create": (_person, "secretariat"),
    "organisation:person_edit": (_empty, None),
    # The demo plan has every body and rule of its framework: a POST writes nothing there.
    "organisation:from_framework": (_empty, None),
    "meetings:create": (_meeting, "secretariat"),
    "meetings:edit": (_empty, None),
    "meetings:minutes_upload": (
        lambda p: {"file": SimpleUploadedFile("referat.docx", docx_bytes())},
        "secretariat",
    ),
    "meetings:decision_create": (lambda p: {"text": "Besluttet."}, "board"),
    "meetings:assessment": (_assessment, "board"),
    "meetings:notice_create": (_notice, "secretariat"),
    "meetings:dispute_create": (_dispute, "secretariat"),
    "meetings:dispute_handle": (lambda p: {"handling": "Dialog."}, "secretariat"),
    "meetings:dispute_escalate": (
        lambda p: {"description": "Uenige.", "escalated_on": "2019-03-01"},
        "secretariat",
    ),
    "meetings:dispute_decide": (_empty, None),
    "activities:evaluation_create": (_evaluation, "secretariat"),
    "activities:activity_create": (_activity, "secretariat"),
    "activities:activity_edit": (_activity_edit, "secretariat"),
    "activities:activity_end": (
        lambda p: {"end_date": "2021-12-31", "reason": "Matrixtest"},
        "secretariat",
    ),
    "activities:plan_import": (_empty, None),
    "activities:settings": (_empty, None),
    "activities:registration_create": (_registration, "municipal"),
    "activities:registration_edit": (_registration, None),
    "activities:quarters": (lambda p: {"quarter": "2018-2"}, "secretariat"),
    "agreements:version_create": (lambda p: {"change_note": "Ny"}, None),  # v2 open
    "agreements:version_submit": (_empty, None),  # v2 is already submitted
    "agreements:version_decide": (lambda p: {"decision": "approve"}, "lbf"),
    "agreements:section_edit": (lambda p: {"body": "Nyt afsnit."}, None),
    "agreements:attachments": (_attachment, "secretariat"),
    "agreements:sub_agreement_edit": (_sub_agreement, "secretariat"),
    "agreements:sub_agreement_submit": (_empty, "secretariat"),
    # The board approves the demo's draft of 5.1 at one of its meetings.
    "agreements:sub_agreement_decide": (_board_decision, "board"),
    "agreements:sub_agreement_reviewed": (_empty, "secretariat"),
    # The guided setup. Where the URL's object is made for the matrix (tests/setup/tokens.py)
    # or the payload makes one, the write is shown in tests/setup/test_pages.py instead.
    "setup:details": (
        lambda p: {
            "name": p.name,
            "lbf_case_number": "2015-0001",
            "framework": p.framework,
            "start_date": p.start_date.isoformat(),
            "end_date": p.end_date.isoformat(),
        },
        "secretariat",
    ),
    "setup:parties": (lambda p: {"name": "Matrix Boligselskab", "cvr": "87654321"}, "secretariat"),
    "setup:party_link": (_organisation_to_link, None),  # the payload makes the organisation
    "setup:party_edit": (lambda p: {"cvr": "87654321"}, "secretariat"),
    "setup:party_unlink": (_empty, None),  # refused while the party has areas
    "setup:areas": (lambda p: {"name": "Matrixområde", "priority": "1"}, "secretariat"),
    "setup:area_edit": (lambda p: {"name": "Motalavej", "priority": "2"}, "secretariat"),
    "setup:department_add": (lambda p: {"department-number": "M77"}, "secretariat"),
    "setup:department_remove": (_empty, None),
    "setup:sub_area_add": (lambda p: {"sub_area-name": "Matrixvej"}, "secretariat"),
    "setup:sub_area_remove": (_empty, None),
    "setup:population_set": (
        lambda p: {"population-year": "2030", "population-residents": "100"},
        "secretariat",
    ),
    "setup:focus_areas": (
        lambda p: {"framework_key": _free_framework_key(p), "code": "5.9"},
        "secretariat",
    ),
    # Posted from the focus-area list with its version (tests/setup/test_pages.py writes it).
    "setup:focus_area_framework": (_focus_area_framework, None),
    "accounts:plan_user_invite": (
        lambda p: {"email": "ny@example.dk", "role": "board", "language": "da"},
        "secretariat",
    ),
    "accounts:plan_membership_edit": (
        lambda p: {"areas": [HousingArea.objects.get(plan=p, slug="ringparken").pk]},
        "secretariat",
    ),
    "accounts:plan_membership_remove": (_empty, "secretariat"),
    "accounts:plan_user_remove": (_empty, "secretariat"),
    "accounts:plan_invitation_revoke": (_empty, "secretariat"),
    "accounts:plan_invitation_resend": (_empty, "secretariat"),
    # A new draft for 2019's first half-year (the matrix's issued report is 2018 H2).
    "statusreports:list": (lambda p: {"period": "2019-01-01_2019-06-30"}, "secretariat"),
    # The matrix's report is issued and sent to LBF: nothing left to post to it
    # (tests/statusreports/test_pages.py writes the narrative, issues and sends).
    "statusreports:detail": (lambda p: {"action": "share"}, None),
    # The programme evaluations (issue 13): the demo's first; a report, a finding and a
    # follow-up decision are made for the matrix (tests/programmeevaluations/tokens.py).
    "programmeevaluations:create": (
        lambda p: {
            "number": "3",
            "title": "Matrixevaluering",
            "due_by": "2021-06-30",
            "performer_kind": "undecided",
        },
        "secretariat",
    ),
    # The list vision (issue 14): the demo's says 2025; the payload moves it.
    "lists:vision": (
        lambda p: {"after_year": "2030", "text": "Matrixvision.", "source": "Matrixtest"},
        "secretariat",
    ),
    # The milestone plan: a new milestone, the demo's first edited, marked reached, deleted.
    "milestones:list": (
        lambda p: {
            "title": "Matrixmilepæl",
            "kind": "other",
            "due_on": "2019-06-30",
            "owner": "Sekretariatet",
            "done_when": "Matrixtest.",
        },
        "secretariat",
    ),
    "milestones:edit": (
        lambda p: {
            "title": "Matrixmilepæl",
            "kind": "decision",
            "due_on": "2018-12-31",
            "owner": "Bestyrelsen",
            "done_when": "Matrixtest.",
        },
        "secretariat",
    ),
    "milestones:mark_done": (lambda p: {"done_on": "2019-01-15", "proof": ""}, "secretariat"),
    "milestones:delete": (lambda p: {"confirm": "on"}, "secretariat"),
    "programmeevaluations:edit": (_programme_evaluation, "secretariat"),
    "programmeevaluations:report_upload": (
        lambda p: {
            "file": SimpleUploadedFile("evaluering.pdf", pdf_bytes("Evaluering")),
            "received_on": "2019-03-01",
        },
        "secretariat",
    ),
    "programmeevaluations:question_add": (lambda p: {"text": "Hvad virker?"}, "secretariat"),
    "programmeevaluations:question_edit": (
        lambda p: {"text": "Hvordan fungerer organiseringen?", "order": "1"},
        "secretariat",
    ),
    "programmeevaluations:question_remove": (_empty, "secretariat"),
    # The findings are the report's: the matrix's evaluation has one.
    "programmeevaluations:finding_add": (_finding, "secretariat"),
    "programmeevaluations:finding_edit": (
        lambda p: {"text": "Rettet resultat.", "question": "", "order": "1"},
        "secretariat",
    ),
    "programmeevaluations:finding_remove": (_empty, "secretariat"),
    "programmeevaluations:follow_up_add": (_follow_up_decision, "board"),
    "programmeevaluations:follow_up_remove": (_empty, "secretariat"),
    # Sends the invitation to the board's members with an address (audited as an event).
    "notifications:meeting_invite": (_empty, "secretariat"),
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


def _takes_post() -> set[str]:
    return {name for name, row in url_rules().items() if row.post is not None}


def test_every_url_that_takes_post_has_a_payload() -> None:
    assert _takes_post() - set(POST_URLS) == set(), "URLs that take POST without a payload"
    assert set(POST_URLS) - _takes_post() == set(), "payloads for URLs that take no POST"


@pytest.mark.slow
def test_a_url_that_takes_no_post_refuses_it_before_its_view_runs(
    plan: Plan, every_role: User, post_reads: list[str]
) -> None:
    """Also where a view reads the POST data: the table, not the view, decides."""
    for name in _named_patterns(get_resolver()):
        if name in STAFF_URLS:  # not a plan URL: test_permission_matrix's staff test
            continue
        path = global_path(name) if name in GLOBAL_URLS else _url(name, plan)
        client = _client(every_role)  # a fresh one: a POST may log out or switch language
        post_reads.clear()
        response = client.post(path, {})
        if name in GLOBAL_URLS:  # outside any plan no role is checked
            assert response.status_code < 500, (name, response.status_code)
        elif name not in _takes_post():
            assert (response.status_code, post_reads) == (405, []), name
            assert sorted(response["Allow"].split(", ")) == rule(name).methods, name


@pytest.mark.parametrize("name", sorted(set(URL_KWARGS) - set(POST_URLS)))
def test_post_to_a_url_without_post_is_405_or_403_and_writes_nothing(
    name: str, plan: Plan, other_plan: Plan
) -> None:
    skip_if_decided_by_view(name)
    path = _url(name, plan)
    before = _counts()
    for persona in [*ROLES, "outsider", "anonymous"]:
        client = _client(_persona(persona, other_plan))
        response = client.post(path, {"text": "x"})
        expected = {"outsider": 404, "anonymous": 302}.get(persona)
        if expected is None:
            expected = 405 if persona in holders(rule(name).get) else 403
        assert response.status_code == expected, (name, persona)
    after = _counts()
    assert {k: (v, after[k]) for k, v in before.items() if after[k] != v} == {}, name


def _persona(persona: str, other_plan: Plan) -> User | None:
    if persona == "outsider":
        return other_plan.memberships.get().user
    return None if persona == "anonymous" else _user(persona)


def _denied() -> list[tuple[str, str]]:
    return [
        (name, persona)
        for name in sorted(POST_URLS)
        for persona in [*ROLES, "outsider", "anonymous"]
        if persona not in holders(rule(name).post)
    ]


@pytest.mark.parametrize(("name", "persona"), _denied())
def test_post_without_the_permission_is_refused_and_writes_nothing(
    name: str, persona: str, plan: Plan, other_plan: Plan
) -> None:
    skip_if_decided_by_view(name)
    payload, _writer = POST_URLS[name]
    path = _url(name, plan)
    data = payload(plan)
    client = _client(_persona(persona, other_plan))
    before = _counts()
    response = client.post(path, data)
    expected = {"outsider": 404, "anonymous": 302}.get(persona, 403)
    assert response.status_code == expected, (name, persona)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    after = _counts()
    assert {k: (v, after[k]) for k, v in before.items() if after[k] != v} == {}, (name, persona)


def _allowed() -> list[tuple[str, str]]:
    return [(n, r) for n in sorted(POST_URLS) for r in sorted(holders(rule(n).post))]


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


@pytest.mark.parametrize("name", sorted(n for n, row in POST_URLS.items() if row[1]))
def test_valid_payload_writes_for_the_allowed_role(name: str, plan: Plan) -> None:
    """The payloads are real: the refusals above are refusals of a write that would happen."""
    payload, writer = POST_URLS[name]
    assert writer is not None and writer in holders(rule(name).post)
    before = _counts()
    response = submit(_client(_user(writer)), _url(name, plan), payload(plan))  # as a browser
    assert response.status_code == 302, (name, response.status_code)
    assert _counts() != before, f"{name}: nothing written (not even an audit entry)"
