"""The end of a plan: closing makes it read-only for everyone (recorded, reversible by
staff), with a final status report issued and kept as it was."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.access import PERMISSIONS, READING, WRITING, get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import Observation
from helhedsplan.meetings import services as meeting_services
from helhedsplan.meetings.models import Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans import closing, services
from helhedsplan.plans.forms import PlanForm
from helhedsplan.plans.models import FinalReport, FocusArea, Plan
from tests import factories

Clients = Callable[[str], Client]
PACKAGE = Path(__file__).resolve().parents[2] / "helhedsplan"


def _close(plan: Plan, actor: User) -> Plan:
    return services.plan_close(plan=plan, actor=actor, reason="Planperioden er slut.")


def _staff() -> User:
    return factories.UserFactory(username="drift", is_staff=True)  # type: ignore[no-any-return]


def _board(plan: Plan) -> Body:
    return Body.objects.get(plan=plan, kind=Body.Kind.BOARD)


def test_every_permission_is_either_reading_or_writing() -> None:
    assert set(PERMISSIONS) == READING | WRITING
    assert not READING & WRITING


def test_closing_writes_the_stamp_and_issues_the_final_report(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    secretariat = persona("secretariat")
    closed = _close(plan, secretariat)
    plan.refresh_from_db()
    assert plan.is_closed and plan.closed_by == secretariat
    assert plan.close_reason == "Planperioden er slut." and plan.status == Plan.Status.CLOSED
    assert closed.closed_at == plan.closed_at
    reports = list(FinalReport.objects.filter(plan=plan))
    assert sorted(r.stored_file.kind for r in reports) == ["docx", "pdf"]
    assert {r.closed_at for r in reports} == {plan.closed_at}
    event = AuditEntry.objects.get(event="plan.closed")
    assert event.reason == "Planperioden er slut."


def test_every_write_permission_is_false_on_a_closed_plan(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    access = get_plan_access(persona("secretariat"), plan.slug)
    assert all(access.can(p) for p in PERMISSIONS if "only" not in p and "final" not in p)
    _close(plan, persona("secretariat"))
    for role in ["secretariat", "coordinator", "municipal", "board", "lbf", "auditor"]:
        access = get_plan_access(persona(role), plan.slug)
        for permission in PERMISSIONS:
            if permission in WRITING:
                assert not access.can(permission), (role, permission)
            else:
                assert access.can(permission) == bool(access.roles & PERMISSIONS[permission])


def test_a_post_to_a_form_page_of_a_closed_plan_is_403(
    plan: Plan, persona: Callable[[str], User], client_for: Clients
) -> None:
    _close(plan, persona("secretariat"))
    secretariat = client_for("secretariat")
    edit = reverse("plans:focus_area_edit", kwargs={"slug": plan.slug, "code": "5.1"})
    assert secretariat.get(edit).status_code == 403
    response = secretariat.post(edit, {"name": "Nyt navn", "purpose": "", "sub_goals": ""})
    assert response.status_code == 403
    assert FocusArea.objects.get(plan=plan, code="5.1").name == "Tryghed og trivsel"
    page = secretariat.get(plan.get_absolute_url()).content.decode()
    assert "Afsluttet den" in page and "Planperioden er slut." in page
    assert reverse("plans:edit", kwargs={"slug": plan.slug}) not in page
    report = FinalReport.objects.filter(plan=plan, stored_file__kind="pdf").get()
    url = reverse("plans:final_report", kwargs={"slug": plan.slug, "pk": report.pk})
    assert url in page
    assert secretariat.get(url).status_code == 200
    assert client_for("auditor").get(url).status_code == 200
    assert client_for("lbf").get(url).status_code == 403


def test_a_service_write_on_a_closed_plan_is_refused(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    _close(plan, persona("secretariat"))
    with pytest.raises(ValidationError) as exc:
        meeting_services.meeting_create(plan=plan, body=_board(plan), date=plan.end_date)
    assert exc.value.code == "plan_closed"
    focus_area = FocusArea.objects.get(plan=plan, code="5.1")
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        focus_area.delete()
    assert exc.value.code == "plan_closed"
    assert not Meeting.objects.filter(plan=plan).exists()


def test_import_observations_on_a_closed_plan_is_refused(
    plan: Plan, persona: Callable[[str], User], tmp_path: Path
) -> None:
    factories.criteria_by_kind(plan)
    path = tmp_path / "brande.csv"
    path.write_text(
        "kriterium;område;år;værdi;tæller;nævner;kilde\n5.2.3;total;2019;24;;;Brand\n",
        encoding="utf-8",
    )
    _close(plan, persona("secretariat"))
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_observations", str(path), "--plan", plan.slug,
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    cause = exc.value.__cause__
    assert isinstance(cause, ValidationError) and cause.code == "plan_closed"
    assert not Observation.objects.filter(measure__plan=plan).exists()


def test_closing_before_the_end_date_is_staff_only(persona: Callable[[str], User]) -> None:
    today = timezone.localdate()
    running = factories.PlanFactory(
        start_date=today - timedelta(days=400), end_date=today + timedelta(days=30)
    )
    with pytest.raises(ValidationError) as exc:
        _close(running, persona("secretariat"))
    assert exc.value.code == "plan_not_ended"
    assert not Plan.objects.get(pk=running.pk).is_closed
    assert _close(running, _staff()).is_closed


def test_reason_is_required_and_nothing_is_written(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.plan_close(plan=plan, actor=persona("secretariat"), reason="  ")
    assert exc.value.error_dict["reason"][0].code == "reason_required"
    assert not Plan.objects.get(pk=plan.pk).is_closed and not FinalReport.objects.exists()


def test_reopen_restores_and_the_issued_report_stays_as_it_was(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    _close(plan, persona("secretariat"))
    issued = {r.pk: r.stored_file.file.read() for r in FinalReport.objects.filter(plan=plan)}
    with pytest.raises(ValidationError) as exc:
        services.plan_reopen(plan=plan, actor=persona("secretariat"), reason="Fejl")
    assert exc.value.code == "not_staff"
    services.plan_reopen(plan=plan, actor=_staff(), reason="Slutevalueringen mangler et tal.")
    plan.refresh_from_db()
    assert not plan.is_closed and plan.status == Plan.Status.ACTIVE
    assert get_plan_access(persona("secretariat"), plan.slug).can("plan.edit")
    # A change after the reopening: the report issued stays byte for byte.
    meeting_services.meeting_create(
        plan=plan, body=_board(plan), date=plan.end_date, title="Ekstra møde"
    )
    for pk, data in issued.items():
        report = FinalReport.objects.get(pk=pk)
        report.stored_file.file.open("rb")
        assert report.stored_file.file.read() == data
    assert AuditEntry.objects.filter(event="plan.reopened").exists()


def test_staff_reopen_page(plan: Plan, persona: Callable[[str], User]) -> None:
    _close(plan, persona("secretariat"))
    url = reverse("staff_plan_reopen", kwargs={"slug": plan.slug})
    member = Client()
    member.force_login(persona("secretariat"))
    assert member.get(url).status_code == 403
    assert member.post(url, {"reason": "x"}).status_code == 403
    assert Plan.objects.get(pk=plan.pk).is_closed
    staff = Client()
    staff.force_login(_staff())  # no role on the plan
    page = staff.get(url)
    assert page.status_code == 200 and b"reopen-form" in page.content
    assert staff.post(url, {"reason": ""}).status_code == 200
    assert Plan.objects.get(pk=plan.pk).is_closed
    response = staff.post(url, {"reason": "Genåbnet efter aftale."})
    assert response.status_code == 200 and b"reopened" in response.content
    assert not Plan.objects.get(pk=plan.pk).is_closed
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_close_page_for_the_secretariat(plan: Plan, client_for: Clients) -> None:
    url = reverse("plans:close", kwargs={"slug": plan.slug})
    assert client_for("board").get(url).status_code == 403
    assert client_for("board").post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    secretariat = client_for("secretariat")
    assert url in secretariat.get(plan.get_absolute_url()).content.decode()
    unconfirmed = secretariat.post(url, {"reason": "Slut."})
    assert unconfirmed.status_code == 200 and not Plan.objects.get(pk=plan.pk).is_closed
    response = secretariat.post(url, {"reason": "Slut.", "confirm": "on"})
    assert response.status_code == 302 and Plan.objects.get(pk=plan.pk).is_closed
    assert secretariat.get(url).status_code == 403  # closed: no second closing


def test_the_edit_form_does_not_offer_closed(plan: Plan) -> None:
    choices = [value for value, _label in PlanForm(instance=plan).fields["status"].choices]  # type: ignore[attr-defined]
    assert Plan.Status.CLOSED not in choices and Plan.Status.ACTIVE in choices


@pytest.mark.django_db(transaction=True)
def test_the_guard_reads_the_plan_once_per_write_path_not_per_row() -> None:
    """A meeting with ten agenda items is eleven audited rows: the plan's state is read once."""
    plan = factories.small_plan(name="Tælleplan", slug="taelle")
    board = _board(plan)
    with CaptureQueriesContext(connection) as queries:
        meeting_services.meeting_create(
            plan=plan, body=board, date=plan.end_date, agenda=[f"Punkt {n}" for n in range(10)]
        )
    reads = [q["sql"] for q in queries if re.search(r'"closed_at" IS NOT NULL', q["sql"])]
    assert len(reads) == 1, reads
    # A new transaction reads again: a plan closed meanwhile (elsewhere) is refused.
    Plan.objects.filter(pk=plan.pk).update(closed_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        meeting_services.meeting_create(plan=plan, body=board, date=plan.end_date)
    assert exc.value.code == "plan_closed"


def test_the_guard_allows_plan_reopen_alone(plan: Plan, persona: Callable[[str], User]) -> None:
    _close(plan, persona("secretariat"))
    with closing.writes_allowed(plan.pk):
        closing.ensure_plan_open(plan.pk)
    with pytest.raises(ValidationError):
        closing.ensure_plan_open(plan.pk)


def test_every_bulk_write_checks_the_plan_is_open() -> None:
    """``bulk_create``/``bulk_update`` skip the model signals the guard listens to: every
    module that writes in bulk calls ``ensure_plan_open`` (the audit trail is not plan data)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path.parts[-2] in {"audit", "demo"}:
            continue
        text = path.read_text(encoding="utf-8")
        # The audit trail is not plan data: its bulk writes (the plan import's) pass.
        text = text.replace("AuditEntry.objects.bulk_create(", "")
        # Nor is the reminders' memory of what a user was told (a closed plan sends none).
        text = text.replace("ReminderSent.objects.bulk_create(", "")
        if re.search(r"\.bulk_(create|update)\(", text) and "ensure_plan_open(" not in text:
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_the_final_report_holds_the_plan_scorecard_delivery_meetings_and_funding(
    plan: Plan,
) -> None:
    from helhedsplan.plans.exports import final_status_document
    from helhedsplan.reports.document import Heading, Table

    factories.criteria_by_kind(plan)
    five_one = FocusArea.objects.get(plan=plan, code="5.1")
    factories.ActivityFactory(plan=plan, focus_area=five_one, name="Lektiecafé")
    factories.FundingSourceFactory(plan=plan, name="Landsbyggefonden")
    meeting = factories.MeetingFactory(plan=plan, body=_board(plan), title="Afslutningsmøde")
    meeting_services.decision_create(meeting=meeting, text="Slutevalueringen godkendes.")
    document = final_status_document(plan)
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    for heading in ["Planen", "Succeskriterier", "2018", "2021", "Finansiering"]:
        assert heading in headings
    assert "Møder og beslutninger" in headings and "Aktiviteter: leveret mod planlagt" in headings
    cells = [
        cell for b in document.blocks if isinstance(b, Table) for row in b.rows for cell in row
    ]
    assert any(cell.startswith("5.2.3") for cell in cells)  # a criterion's row
    assert "Lektiecafé" in cells and "Afslutningsmøde" in cells and "Landsbyggefonden" in cells
    text = " ".join(getattr(b, "text", "") for b in document.blocks) + repr(document.blocks)
    assert "Slutevalueringen godkendes." in text
