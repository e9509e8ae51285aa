"""The programme evaluations' pages: the list with each evaluation's state, due window and
overdue mark; the evaluation's page with its questions, report, findings and the board's
follow-up decisions; the forms each role gets; and a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.meetings.models import Decision, Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    FindingFollowUp,
    ProgrammeEvaluation,
)
from tests import factories as f
from tests.files.samples import pdf_bytes
from tests.forms_in_pages import submit

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _url(plan: Plan, name: str, **kwargs: object) -> str:
    return reverse(f"programmeevaluations:{name}", kwargs={"slug": plan.slug, **kwargs})


def _decision(plan: Plan, on: date = date(2019, 5, 2), text: str = "Vi følger op.") -> Decision:
    board = plan.bodies.get(kind=Body.Kind.BOARD)
    meeting = f.MeetingFactory(plan=plan, body=board, date=on)
    decision: Decision = Decision.objects.create(meeting=meeting, text=text)
    return decision


def _reported(plan: Plan, number: int = 1) -> ProgrammeEvaluation:
    evaluation: ProgrammeEvaluation = f.ProgrammeEvaluationFactory(
        plan=plan, number=number, due_by=date(2019, 3, 31), reported=True
    )
    return evaluation


def _text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def test_the_list_shows_each_evaluation_with_its_state_window_and_overdue_mark(
    plan: Plan, client_for: Clients
) -> None:
    first = f.ProgrammeEvaluationFactory(
        plan=plan, number=1, timing_text="ultimo 2018 eller primo 2019",
        due_from=date(2018, 10, 1), due_by=date(2019, 3, 31),
    )  # fmt: skip
    second = _reported(plan, number=2)
    followed = f.EvaluationFindingFactory(evaluation=second)
    f.FindingFollowUpFactory(finding=followed, decision=_decision(plan))
    text = _text(client_for("coordinator").get(_url(plan, "list")))
    rows = text.split('data-testid="evaluation-row"')[1:]
    assert len(rows) == 2
    assert "ultimo 2018 eller primo 2019" in rows[0] and first.get_absolute_url() in rows[0]
    assert "1. oktober 2018 – 31. marts 2019" in rows[0]
    assert 'data-state="not_started"' in rows[0] and "Forsinket" in rows[0]  # today is later
    assert 'data-state="followed_up"' in rows[1] and "Forsinket" not in rows[1]
    # Without "tidligst" the window begins 60 days before "senest".
    assert "30. januar 2019 – 31. marts 2019" in rows[1]


def test_the_states_in_turn(plan: Plan, client_for: Clients) -> None:
    evaluation = f.ProgrammeEvaluationFactory(plan=plan, number=1)

    def state() -> str:
        text = _text(client_for("secretariat").get(evaluation.get_absolute_url()))
        return text.split('data-state="')[1].split('"')[0]

    assert state() == "not_started"
    evaluation.method, evaluation.method_fixed_on = "Interviews.", date(2018, 5, 1)
    evaluation.save()
    assert state() == "method_fixed"
    evaluation.report = _reported(plan, number=2).report
    evaluation.report_received_on = date(2019, 3, 1)
    evaluation.save()
    assert state() == "report_received"
    finding = f.EvaluationFindingFactory(evaluation=evaluation)
    assert state() == "report_received"
    f.FindingFollowUpFactory(finding=finding, decision=_decision(plan))
    assert state() == "followed_up"


def test_the_page_shows_every_field_the_questions_the_report_and_the_follow_ups(
    plan: Plan, client_for: Clients
) -> None:
    evaluation = _reported(plan)
    evaluation.performer_kind = ProgrammeEvaluation.Performer.STUDENT
    evaluation.performer_name = "En studerende fra RUC"
    evaluation.method, evaluation.method_fixed_on = "Interviews og fokusgrupper.", date(2018, 6, 1)
    evaluation.save()
    question = f.EvaluationQuestionFactory(evaluation=evaluation, text="Hvad virker?")
    finding = f.EvaluationFindingFactory(
        evaluation=evaluation, question=question, text="Lektiecaféerne virker."
    )
    decision = _decision(plan, text="Lektiecaféerne udvides til Skælskør.")
    f.FindingFollowUpFactory(finding=finding, decision=decision)
    text = _text(client_for("auditor").get(evaluation.get_absolute_url()))
    for shown in [
        "Studerende (kortvarig ansættelse): En studerende fra RUC",
        "Interviews og fokusgrupper.", "1. juni 2018", "Hvad virker?",
        "Lektiecaféerne virker.", "Besvarer", "Lektiecaféerne udvides til Skælskør.",
        "2. maj 2019", decision.meeting.get_absolute_url(), "evaluering.pdf",
        _url(plan, "report_file", pk=evaluation.pk),
    ]:  # fmt: skip
        assert shown in text, shown
    # The auditor reads; no form of any kind.
    assert "<form" not in text.split("<main")[-1].split("</main>")[0]


def test_the_report_downloads_through_the_file_door(plan: Plan, client_for: Clients) -> None:
    evaluation = _reported(plan)
    response = client_for("board").get(_url(plan, "report_file", pk=evaluation.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    none = f.ProgrammeEvaluationFactory(plan=plan, number=2)
    assert client_for("board").get(_url(plan, "report_file", pk=none.pk)).status_code == 404
    assert client_for("lbf").get(_url(plan, "report_file", pk=evaluation.pk)).status_code == 403


def test_each_role_gets_the_forms_it_may_use(plan: Plan, client_for: Clients) -> None:
    evaluation = _reported(plan)
    f.EvaluationFindingFactory(evaluation=evaluation)
    _decision(plan)
    url = evaluation.get_absolute_url()
    secretariat = _text(client_for("secretariat").get(url))
    board = _text(client_for("board").get(url))
    coordinator = _text(client_for("coordinator").get(url))
    edit_forms = [
        f'action="{_url(plan, name, pk=evaluation.pk)}"'
        for name in ("question_add", "report_upload", "finding_add")
    ]
    follow_up = "Knyt beslutningen"
    assert all(u in secretariat for u in edit_forms) and follow_up in secretariat
    assert not any(u in board for u in edit_forms) and follow_up in board
    assert not any(u in coordinator for u in edit_forms) and follow_up not in coordinator
    assert client_for("lbf").get(url).status_code == 403


def test_the_secretariat_creates_and_edits_an_evaluation(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    assert 'value="1"' in _text(client.get(_url(plan, "create")))  # the next number
    response = client.post(
        _url(plan, "create"),
        {"number": "1", "title": "Første", "due_from": "2018-10-01", "due_by": "2019-03-31",
         "performer_kind": "undecided"},
    )  # fmt: skip
    evaluation = ProgrammeEvaluation.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == evaluation.get_absolute_url()
    refused = submit(
        client,
        _url(plan, "edit", pk=evaluation.pk),
        {"number": "1", "title": "Første", "due_by": "2019-03-31", "performer_kind": "student",
         "method": "Interviews.", "method_fixed_on": "2017-06-01"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "Metoden fastlægges efter helhedsplanens opstart" in refused.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.method == "" and evaluation.performer_kind == "undecided"


def test_a_report_that_is_not_pdf_or_docx_gets_a_danish_message_and_nothing_is_stored(
    plan: Plan, client_for: Clients
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from helhedsplan.files.models import StoredFile

    evaluation = f.ProgrammeEvaluationFactory(plan=plan, number=1)
    client = client_for("secretariat")
    path = _url(plan, "report_upload", pk=evaluation.pk)
    bad = SimpleUploadedFile("rapport.pdf", b"Bare tekst med et PDF-navn.")
    response = client.post(path, {"file": bad, "received_on": "2019-03-01"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Filen rapport.pdf er ikke en tilladt filtype" in text and "Intet er gemt" in text
    assert not StoredFile.objects.filter(plan=plan).exists()
    good = SimpleUploadedFile("rapport.pdf", pdf_bytes("Helhedsevaluering"))
    assert client.post(path, {"file": good, "received_on": "2019-03-01"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.report is not None and evaluation.report_received_on == date(2019, 3, 1)


def test_questions_and_findings_through_the_pages(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    evaluation = _reported(plan)
    pk = evaluation.pk
    assert (
        client.post(_url(plan, "question_add", pk=pk), {"text": "Hvad virker?"}).status_code == 302
    )
    question = evaluation.questions.get()
    submit(
        client,
        _url(plan, "question_edit", pk=pk, item=question.pk),
        {"text": "Hvad virker bedst?", "order": "1"},
    )
    question.refresh_from_db()
    assert question.text == "Hvad virker bedst?"
    response = client.post(
        _url(plan, "finding_add", pk=pk), {"text": "Lektiecaféerne.", "question": question.pk}
    )
    assert response.status_code == 302
    finding = evaluation.findings.get()
    assert finding.question == question
    assert client.post(_url(plan, "question_remove", pk=pk, item=question.pk)).status_code == 302
    finding.refresh_from_db()
    assert finding.question is None
    assert client.post(_url(plan, "finding_remove", pk=pk, item=finding.pk)).status_code == 302
    assert not EvaluationFinding.objects.filter(pk=finding.pk).exists()
    # Removed already (a second click): said so, not an error.
    again = client.post(_url(plan, "finding_remove", pk=pk, item=finding.pk))
    assert again.status_code == 302


def test_the_board_links_its_decision_and_unlinks_it(plan: Plan, client_for: Clients) -> None:
    evaluation = _reported(plan)
    finding = f.EvaluationFindingFactory(evaluation=evaluation)
    decision = _decision(plan)
    coordination = f.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP, slug="kg")
    other_body = Decision.objects.create(
        meeting=f.MeetingFactory(plan=plan, body=coordination, date=date(2019, 5, 3)),
        text="Koordinationsgruppens beslutning.",
    )
    foreign = _decision(f.small_plan(slug="anden-plan"))
    client = client_for("board")
    path = _url(plan, "follow_up_add", pk=evaluation.pk, item=finding.pk)
    page = _text(client.get(path))
    assert decision.text in page and other_body.text not in page
    for wrong in (other_body, foreign):
        response = client.post(path, {"decision": wrong.pk})
        assert response.status_code == 400
        assert "Vælg en beslutning fra planens bestyrelsesmøder." in response.content.decode()
    assert not FindingFollowUp.objects.exists()
    response = client.post(path, {"decision": decision.pk})
    assert response.status_code == 302
    link = FindingFollowUp.objects.get()
    assert (link.finding, link.decision, link.linked_by) == (
        finding,
        decision,
        f.persona(plan, "board"),
    )
    page = _text(client.get(evaluation.get_absolute_url()))
    assert 'data-testid="follow-up"' in page and decision.meeting.get_absolute_url() in page
    # A decision linked is not offered again for that finding.
    assert "Knyt beslutningen" not in page and "ingen (flere) beslutninger" in page
    assert (
        client.post(_url(plan, "follow_up_remove", pk=evaluation.pk, item=link.pk)).status_code
        == 302
    )
    assert not FindingFollowUp.objects.exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(plan: Plan, evaluation: ProgrammeEvaluation, n: int) -> None:
    for i in range(n):
        question = f.EvaluationQuestionFactory(evaluation=evaluation, order=10 + i)
        finding = f.EvaluationFindingFactory(evaluation=evaluation, question=question)
        f.FindingFollowUpFactory(finding=finding, decision=_decision(plan, date(2019, 6, 1 + i)))
        f.EvaluationFindingFactory(evaluation=evaluation)
        f.ProgrammeEvaluationFactory(plan=plan, number=100 + plan.programme_evaluations.count())


@pytest.mark.parametrize("role", ["secretariat", "board", "auditor"])
def test_the_pages_run_a_fixed_number_of_queries(
    plan: Plan, client_for: Clients, role: str
) -> None:
    evaluation = _reported(plan)
    _grow(plan, evaluation, 1)
    client = client_for(role)
    urls = [_url(plan, "list"), evaluation.get_absolute_url()]
    small = [_queries(client, url) for url in urls]
    _grow(plan, evaluation, 4)
    assert [_queries(client, url) for url in urls] == small
    assert Meeting.objects.filter(plan=plan).count() == 5


@pytest.mark.parametrize("what", ["evaluation", "question", "finding"])
def test_a_save_from_an_older_page_is_refused(what: str, plan: Plan, client_for: Clients) -> None:
    """Two secretaries open the same form; the second save is refused, naming the newer
    value, and nothing of it is written (lib.concurrency)."""
    from tests.editing import form_data

    evaluation = _reported(plan)
    question = f.EvaluationQuestionFactory(evaluation=evaluation, text="Oprindelig")
    finding = f.EvaluationFindingFactory(evaluation=evaluation, text="Oprindelig")
    url, field, read = {
        "evaluation": (
            _url(plan, "edit", pk=evaluation.pk), "title",
            lambda: ProgrammeEvaluation.objects.get(pk=evaluation.pk).title,
        ),
        "question": (
            _url(plan, "question_edit", pk=evaluation.pk, item=question.pk), "text",
            lambda: evaluation.questions.get().text,
        ),
        "finding": (
            _url(plan, "finding_edit", pk=evaluation.pk, item=finding.pk), "text",
            lambda: evaluation.findings.get().text,
        ),
    }[what]  # fmt: skip
    a, b = client_for("secretariat"), client_for("secretariat")
    page_a, page_b = a.get(url), b.get(url)
    assert a.post(url, {**form_data(page_a), field: "A's tekst"}).status_code == 302
    refused = b.post(url, {**form_data(page_b), field: "B's tekst"})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "ændret af en anden" in text and "Intet er gemt" in text
    assert read() == "A's tekst"
    without = {**form_data(a.get(url)), field: "C"}
    without.pop("version")
    assert "Formularen mangler sin version" in a.post(url, without).content.decode()
    assert read() == "A's tekst"
