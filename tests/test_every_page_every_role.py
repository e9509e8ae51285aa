"""Every page, every role, after real use.

Uses the demo (``demo_plan``, loaded once per worker). The write flows run
through the real views as the roles that do them: observations (one qualitative), a CSV
import, approval, an activity registration, closing a quarter, an attachment upload, a meeting
with minutes and a decision, the board's assessment at an assessment meeting, a notice, a
dispute to the board's decision, an evaluation with a file, the 2018 accounts approved (with
the auditor's statement), an agreement draft, its submission and LBF's decision, a
sub-agreement, LBF's package download, and the 2018 H2 status report (written, issued, sent
to LBF). Then every GET URL of the URLconf is requested, with the ids
just created, as every role, an outsider (a role on another plan only) and anonymous. The
answer each must get is the permission table's, read as the matrix reads it
(``tests/accounts/test_permission_matrix.py``); a URL without a row fails here too. Every
problem is collected, so one run lists them all.
About every page of the real plan, so it uses the demo (``demo_plan``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse

from helhedsplan.accounts.models import User
from helhedsplan.activities.models import Activity, Evaluation, QuarterClosure, Registration
from helhedsplan.agreements.models import AgreementVersion, PlanAttachment, SubAgreementVersion
from helhedsplan.criteria.models import Observation
from helhedsplan.meetings.models import BoardAssessment, Decision, Dispute, Meeting, Notice
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.spending.models import AccountsClosing
from helhedsplan.statusreports.models import StatusReport
from tests.accounts.test_permission_matrix import (
    EXPORT_URL,
    GLOBAL_URLS,
    ROLES,
    STAFF_URLS,
    URL_KWARGS,
    _named_patterns,
    _url,
    expected_get,
    export_cases,
    export_path,
    export_status,
    global_path,
    rule,
)
from tests.accounts.test_post_matrix import USERNAMES
from tests.files.samples import docx_bytes, pdf_bytes
from tests.forms_in_pages import confirm_if_asked, submit
from tests.meetings.factories import board_meeting

# About every page of the real plan, so on the demo (tests/conftest.py: demo_plan).
pytestmark = pytest.mark.demo

PERSONAS = [*ROLES, "outsider", "anonymous"]
# Outside any plan, anonymous: what is not behind the login. The rest sends them to it.
ANONYMOUS_GLOBAL = {
    "login": 200,
    "logout": 405,
    "set_language": 302,
    "accounts:invitation_accept": 404,  # the link is answered before any login
    "notifications:calendar_feed": 404,  # the secret link needs no login: unknown is 404
}
# LBF's national overview (``lbf_view``): the GLOBAL_URLS row is what a user without LBF's
# role gets (403); the demo's LBF user opens it.
LBF_GLOBAL = {"national:overview", "national:overview_export"}
IMPORT_CSV = "kriterium;område;år;værdi;tæller;nævner;kilde\n5.2.3;total;2017;20;;;Politiet\n"


def _client(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


class Flows:
    """The write flows, each through its view as the role that does it."""

    def __init__(self, plan: Plan, clients: dict[str, Client]) -> None:
        self.plan, self.clients = plan, clients
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}

    def url(self, name: str, **kwargs: object) -> str:
        return reverse(name, kwargs={"slug": self.plan.slug, **kwargs})

    def step(
        self,
        what: str,
        role: str,
        name: str,
        data: dict[str, Any] | None = None,
        kwargs: Mapping[str, object] | None = None,
        direct: bool = False,
    ) -> Any:
        """POST as ``role``; a form page is opened first and its hidden fields kept."""
        client, path = self.clients[role], self.url(name, **(kwargs or {}))
        response: Any = (
            client.post(path, data or {}) if direct else submit(client, path, data or {})
        )
        response = confirm_if_asked(client, path, response)
        if response.status_code != 302:
            self.problems.append(f"flow {what}: {role} POST {path} answered {response.status_code}")
        return response

    def found(self, key: str, what: str, obj: Any) -> None:
        if obj is None:
            self.problems.append(f"flow {what}: nothing was written")
        else:
            self.ids[key] = str(obj.pk)

    def run(self) -> None:
        plan = self.plan
        motalavej = HousingArea.objects.get(plan=plan, slug="motalavej")

        self.step(
            "observation",
            "coordinator",
            "criteria:observation_new",
            {
                "area": "motalavej",
                "year": "2017",
                "numerator": "21",
                "denominator": "700",
                "source_note": "Politiet",
            },
            {"code": "5.2.2"},
        )
        self.found(
            "observation",
            "observation",
            Observation.objects.filter(
                measure__plan=plan, measure__criteria__code="5.2.2", area=motalavej, year=2017
            ).first(),
        )
        self.step(
            "qualitative observation",
            "secretariat",
            "criteria:observation_new",
            {
                "area": "total",
                "year": "2018",
                "rating": "delvist",
                "narrative": "Fem familier er fulgt; to er i job.",
            },
            {"code": "5.4.1"},
        )
        self.found(
            "rating",
            "qualitative observation",
            Observation.objects.filter(
                measure__plan=plan, measure__criteria__code="5.4.1", year=2018
            ).first(),
        )
        upload = SimpleUploadedFile("politi.csv", IMPORT_CSV.encode())
        self.step("import", "municipal", "criteria:import", {"file": upload})
        self.found(
            "imported",
            "import",
            Observation.objects.filter(
                measure__plan=plan, measure__criteria__code="5.2.3", area=None, year=2017
            ).first(),
        )
        if "observation" in self.ids:
            self.step(
                "approval",
                "secretariat",
                "criteria:approve",
                kwargs={"pk": self.ids["observation"]},
            )
            if Observation.objects.get(pk=self.ids["observation"]).state != "approved":
                self.problems.append("flow approval: the observation is not approved")

        health = Activity.objects.get(plan=plan, slug="ekstra-sundhedspleje")  # municipal
        self.step(
            "registration",
            "municipal",
            "activities:registration_create",
            {
                "activity": health.pk,
                "area": motalavej.pk,
                "date": "2019-05-14",
                "n_25_64_f": "3",
                "n_0_5_x": "4",
                "volunteers": "0",
                "quantity": "2",
            },
        )
        self.found(
            "registration",
            "registration",
            Registration.objects.filter(
                plan=plan, activity=health, area=motalavej, date=date(2019, 5, 14)
            ).first(),
        )
        self.step(
            "quarter closing",
            "secretariat",
            "activities:quarters",
            {"quarter": "2018-2"},
            direct=True,
        )
        self.found(
            "quarter",
            "quarter closing",
            QuarterClosure.objects.filter(plan=plan, year=2018, quarter=2).first(),
        )
        self.step(
            "evaluation",
            "secretariat",
            "activities:evaluation_create",
            {
                "period_start": "2018-01-01",
                "period_end": "2018-12-31",
                "rating": "delvist",
                "narrative": "Godt fremmøde, få piger.",
                "evaluated_on": "2019-02-01",
                "evidence_upload": SimpleUploadedFile("evaluering.pdf", pdf_bytes()),
            },
            {"activity": "tryghedsvandringer"},
        )
        self.found(
            "evaluation",
            "evaluation",
            Evaluation.objects.filter(
                activity__plan=plan, narrative="Godt fremmøde, få piger."
            ).first(),
        )

        self.step(
            "attachment upload",
            "secretariat",
            "agreements:attachments",
            {
                "kind": "contingency_plan",
                "note": "Beredskabsplan 2019",
                "file": SimpleUploadedFile("beredskab.pdf", pdf_bytes("Beredskab")),
            },
        )
        self.found(
            "attachment",
            "attachment upload",
            PlanAttachment.objects.filter(plan=plan, kind="contingency_plan").first(),
        )

        # The accounts: the secretariat approves 2018 with the auditor's statement.
        self.step(
            "accounts closing",
            "secretariat",
            "spending:close",
            {
                "statement": SimpleUploadedFile("erklaering.pdf", pdf_bytes("Erklæring")),
                "confirm": "on",
            },
            {"year": 2018},
        )
        self.found(
            "accounts_closing",
            "accounts closing",
            AccountsClosing.objects.filter(plan=plan, year=2018).first(),
        )

        board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
        self.step(
            "meeting",
            "secretariat",
            "meetings:create",
            {
                "body": board.pk,
                "kind": "ordinary",
                "date": "2019-03-20",
                "title": "Bestyrelsesmøde",
                "agenda": "Status\nKoordinatortid",
                "minutes_text": "Bestyrelsen drøftede koordinatortiden.",
            },
        )
        self.found(
            "meeting", "meeting", Meeting.objects.filter(plan=plan, date=date(2019, 3, 20)).last()
        )
        if "meeting" in self.ids:
            meeting = {"pk": self.ids["meeting"]}
            self.step(
                "minutes upload",
                "secretariat",
                "meetings:minutes_upload",
                {"file": SimpleUploadedFile("referat.docx", docx_bytes())},
                meeting,
            )
            self.step(
                "decision",
                "board",
                "meetings:decision_create",
                {"text": "Tiden fordeles som i aftalen."},
                meeting,
            )
            self.found(
                "decision",
                "decision",
                Decision.objects.filter(meeting_id=self.ids["meeting"]).first(),
            )
        # The board's second yearly assessment: the meeting, then the board's assessment.
        board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
        self.step(
            "assessment meeting",
            "secretariat",
            "meetings:create",
            {"body": board.pk, "kind": "board_criteria_assessment", "date": "2019-06-03"},
        )
        self.found(
            "assessment_meeting",
            "assessment meeting",
            Meeting.objects.filter(plan=plan, kind="board_criteria_assessment").last(),
        )
        if "assessment_meeting" in self.ids:
            fa = FocusArea.objects.get(plan=plan, code="5.1")
            self.step(
                "board assessment",
                "board",
                "meetings:assessment",
                {
                    "focus_area": str(fa.pk),
                    f"fa{fa.pk}-rating": "partly",
                    f"fa{fa.pk}-text": "Aktiviteterne understøtter delvist kriterierne.",
                    f"fa{fa.pk}-version": "new",
                },
                {"pk": self.ids["assessment_meeting"]},
            )
            self.found(
                "assessment",
                "board assessment",
                BoardAssessment.objects.filter(meeting_id=self.ids["assessment_meeting"]).first(),
            )
        self.step(
            "notice",
            "secretariat",
            "meetings:notice_create",
            {
                "occurred_on": "2019-02-01",
                "subject": "Beboerhuset lukket",
                "description": "Vandskade; aktiviteterne flyttes.",
                "informed_board": "on",
                "informed_on": "2019-02-02",
            },
        )
        self.found("notice", "notice", Notice.objects.filter(plan=plan).last())
        self.step(
            "dispute",
            "secretariat",
            "meetings:dispute_create",
            {
                "raised_on": "2019-02-01",
                "raised_by": "Boligorganisation 2",
                "subject": "Fordeling af koordinatortid",
                "description": "Uenighed om prioriteringen mellem områderne.",
            },
        )
        self.found("dispute", "dispute", Dispute.objects.filter(plan=plan).last())
        if "dispute" in self.ids:
            case = {"pk": self.ids["dispute"]}
            self.step(
                "dispute handling",
                "secretariat",
                "meetings:dispute_handle",
                {"handling": "Dialogmøde holdt."},
                case,
            )
            self.step(
                "dispute escalation",
                "secretariat",
                "meetings:dispute_escalate",
                {
                    "description": "Parterne er uenige om prioriteringen.",
                    "escalated_on": "2019-03-01",
                },
                case,
            )
            if "decision" in self.ids:
                self.step(
                    "dispute decision",
                    "board",
                    "meetings:dispute_decide",
                    {"decision": self.ids["decision"]},
                    case,
                )
            if Dispute.objects.get(pk=self.ids["dispute"]).status != Dispute.Status.DECIDED:
                self.problems.append("flow dispute: not decided by the board")

        self.agreement()
        package = self.clients["lbf"].get(export_path(self.plan, "lbf-pakke", "zip"))
        if package.status_code != 200 or not package.content.startswith(b"PK"):
            self.problems.append(f"flow LBF package: answered {package.status_code}")

    def agreement(self) -> None:
        plan = self.plan
        # LBF decides the demo's submitted version 2; then a new draft goes the whole way, and
        # the secretariat records LBF's decision on it with LBF's letter.
        self.step(
            "LBF decision",
            "lbf",
            "agreements:version_decide",
            {"decision": "approve", "in_force_from": "2019-01-01"},
            {"number": 2},
            direct=True,
        )
        self.step(
            "agreement draft",
            "secretariat",
            "agreements:version_create",
            {"change_note": "Ny fordeling af koordinatortid"},
            direct=True,
        )
        draft = AgreementVersion.objects.filter(plan=plan).order_by("-number").first()
        if draft is None or draft.number != 3:
            self.problems.append("flow agreement draft: no version 3")
            return
        self.ids["version"] = str(draft.number)
        self.step(
            "agreement section",
            "secretariat",
            "agreements:section_edit",
            {"body": "Koordinatortiden fordeles efter beboertal."},
            {"number": 3, "key": "6"},
        )
        self.step(
            "agreement submit",
            "secretariat",
            "agreements:version_submit",
            kwargs={"number": 3},
            direct=True,
        )
        self.step(
            "LBF letter",
            "secretariat",
            "agreements:version_decide",
            {
                "decision": "approve",
                "in_force_from": "2019-06-01",
                "letter": SimpleUploadedFile("lbf-brev.pdf", pdf_bytes("Godkendt")),
            },
            {"number": 3},
            direct=True,
        )
        draft.refresh_from_db()
        if draft.status != "approved" or draft.lbf_letter is None:
            self.problems.append(f"flow agreement: version 3 is {draft.status}")
        code = {"code": "5.1"}
        self.step(
            "sub-agreement",
            "secretariat",
            "agreements:sub_agreement_edit",
            {
                "purpose": "Tryghed i områderne.",
                "responsibilities": "Sekretariatet.",
                "partners": "Politiet",
            },
            code,
        )
        self.step(
            "sub-agreement submit",
            "secretariat",
            "agreements:sub_agreement_submit",
            kwargs={**code, "number": 1},
            direct=True,
        )
        # The board approves the sub-agreement at one of its meetings (LBF does not).
        meeting = Meeting.objects.filter(
            plan=plan, body__kind=Body.Kind.BOARD
        ).first() or board_meeting(plan)
        self.step(
            "sub-agreement decision",
            "board",
            "agreements:sub_agreement_decide",
            {"decision": "approve", "meeting": str(meeting.pk)},
            {**code, "number": 1},
            direct=True,
        )
        sub = SubAgreementVersion.objects.get(
            focus_area__plan=plan, focus_area__code="5.1", number=1
        )
        if sub.status != "approved":
            self.problems.append(f"flow sub-agreement: version 1 is {sub.status}")
        self.status_report()

    def status_report(self) -> None:
        """The secretariat writes the 2018 H2 status report, issues it (after the page's
        confirmation) and sends it to LBF, so every role reads it."""
        plan = self.plan
        self.step(
            "status report",
            "secretariat",
            "statusreports:list",
            {"period": "2018-07-01_2018-12-31"},
        )
        report = StatusReport.objects.filter(plan=plan, period_start=date(2018, 7, 1)).first()
        self.found("status_report", "status report", report)
        if report is None:
            return
        focus_area = plan.focus_areas.order_by("order").first()
        assert focus_area is not None
        detail = {"pk": report.pk}
        self.step(
            "status narrative",
            "secretariat",
            "statusreports:detail",
            {"action": "narrative", f"fa{focus_area.pk}": "Et roligt halvår."},
            detail,
        )
        self.step(
            "status issue", "secretariat", "statusreports:detail", {"action": "issue"}, detail
        )
        self.step(
            "status share", "secretariat", "statusreports:detail", {"action": "share"}, detail
        )
        report.refresh_from_db()
        if not (report.is_issued and report.shared_with_lbf_at):
            self.problems.append(f"flow status report: {report.state}, not sent to LBF")


def _path(name: str, plan: Plan, ids: dict[str, str]) -> str | None:
    """The URL with the matrix row's kwargs and the objects the flows just created.

    None: the URL has no row in the matrix. Objects the flows do not make (a target, a
    person, a membership) are the matrix's demo objects.
    """
    if name in GLOBAL_URLS:
        return global_path(name)
    if name.startswith(f"{EXPORT_URL}/"):  # "reports:export/<exporter>.<format>"
        identifier, fmt = name.removeprefix(f"{EXPORT_URL}/").split(".")
        return export_path(plan, identifier, fmt, ids)
    if name not in URL_KWARGS:
        return None
    kwargs = {"slug": plan.slug, **URL_KWARGS[name]}
    plan_ct = str(ContentType.objects.get_for_model(Plan).pk)
    created: dict[str, dict[str, str]] = {
        "audit:object": {"ct": plan_ct, "pk": str(plan.pk)},  # the package download is on it
        "criteria:criterion": {"code": "5.4.1"},
        "criteria:observation_new": {"code": "5.4.1"},
        "criteria:approve": {"pk": ids.get("imported", "0")},
        "activities:registration_edit": {"pk": ids.get("registration", "0")},
        "activities:evaluation_file": {"pk": ids.get("evaluation", "0")},
        "agreements:attachment_file": {"pk": ids.get("attachment", "0")},
        "agreements:lbf_letter": {"number": ids.get("version", "0")},
        "agreements:version": {"number": ids.get("version", "0")},
        "agreements:version_submit": {"number": ids.get("version", "0")},
        "agreements:version_decide": {"number": ids.get("version", "0")},
        "agreements:section_edit": {"number": ids.get("version", "0"), "key": "6"},
        "statusreports:detail": {"pk": ids.get("status_report", "0")},
    }
    kwargs.update(created.get(name, {}))
    for key, value in list(kwargs.items()):
        if value in ("__meeting__", "__dispute__", "__assessment_meeting__"):
            kwargs[key] = ids.get(value.strip("_"), "0")
        elif value.startswith("__"):
            return _url(name, plan)
    return reverse(name, kwargs=kwargs)


def _expected(name: str, persona: str) -> int | None:
    """None: the view decides from its argument (the matrix skips it too)."""
    if name in LBF_GLOBAL and persona == "lbf":
        return 200
    if name in GLOBAL_URLS:
        return ANONYMOUS_GLOBAL.get(name, 302) if persona == "anonymous" else GLOBAL_URLS[name]
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    if name.startswith(f"{EXPORT_URL}/"):
        return export_status(name.removeprefix(f"{EXPORT_URL}/").split(".")[0], persona)
    # The final status report exists only once the plan is closed, which the flows do not do
    # (tests/plans/test_closing.py closes and reads it).
    return expected_get(name, persona, files_exist=name != "plans:final_report")


def _linked_names(response: Any, plan: Plan) -> set[str]:
    """URL names of the plan pages a page links to (an export as "reports:export/<id>.<fmt>")."""
    prefix = plan.get_absolute_url()
    names = set()
    for path in set(re.findall(rf'href="({re.escape(prefix)}[^"?#]*)', response.content.decode())):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name == EXPORT_URL:
            names.add(f"{EXPORT_URL}/{match.kwargs['exporter']}.{match.kwargs['fmt']}")
        else:
            names.add(match.view_name)
    return names


RENDERERS = ("render_pdf", "render_docx", "svg_to_png")


def _render_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each document is rendered once for the sweep, not once per role that may open it.

    The roles differ in what they may open, not in what a file holds; the first allowed role
    renders it for real. Without this the sweep spends two minutes re-rendering PDFs.
    """
    originals: dict[Any, Callable[..., Any]] = {}
    for module in [m for name, m in sys.modules.items() if name.startswith("helhedsplan.")]:
        for attr in RENDERERS:
            func = getattr(module, attr, None)
            if callable(func) and getattr(func, "__module__", "").startswith("helhedsplan."):
                originals.setdefault(func, _memoized(func))
                monkeypatch.setattr(module, attr, originals[func])


def _memoized(func: Callable[..., Any]) -> Callable[..., Any]:
    cache: dict[str, Any] = {}

    def once(*args: Any, **kwargs: Any) -> Any:
        key = repr((args, sorted(kwargs.items())))
        if key not in cache:
            cache[key] = func(*args, **kwargs)
        return cache[key]

    return once


@pytest.mark.slow
def test_every_page_every_role_after_real_use(
    plan: Plan, other_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = {role: User.objects.get(username=name) for role, name in USERNAMES.items()}
    clients = {role: _client(user) for role, user in users.items()}
    clients["outsider"] = _client(other_plan.memberships.get().user)
    clients["anonymous"] = _client(None)

    flows = Flows(plan, clients)
    flows.run()
    problems = list(flows.problems)

    _render_once(monkeypatch)
    # The staff pages are not plan pages (test_permission_matrix's staff test covers them).
    names = [n for n in _named_patterns(get_resolver()) if n != EXPORT_URL and n not in STAFF_URLS]
    names += [f"{EXPORT_URL}/{identifier}.{fmt}" for identifier, fmt in export_cases()]
    for name in names:
        path = _path(name, plan, flows.ids)
        if path is None:
            problems.append(f"{name}: no row in the permission matrix")
            continue
        for persona in PERSONAS:
            response = clients[persona].get(path)
            status, expected = response.status_code, _expected(name, persona)
            if expected is not None and status != expected:
                problems.append(
                    f"{name} as {persona}: GET {path} answered {status}, not {expected}"
                )
                continue
            login = reverse("login")
            if (
                status == 302
                and persona == "anonymous"
                and name not in GLOBAL_URLS
                and (not response["Location"].startswith(login))
            ):
                problems.append(f"{name} as anonymous: redirected to {response['Location']}")
            if status == 200 and persona in ROLES and "html" in response.get("Content-Type", ""):
                for linked in _linked_names(response, plan):
                    known = linked.startswith(f"{EXPORT_URL}/") or (
                        linked in URL_KWARGS and rule(linked).get is not None
                    )
                    if known and _expected(linked, persona) == 403:
                        problems.append(f"{name} as {persona}: links to {linked}, which is 403")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
