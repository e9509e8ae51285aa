"""Notifications: LBF hears of a submitted version, the secretariat of LBF's decision, LBF of
a status report sent to it; after the commit, in each user's language, and a failing mail
server never fails what they follow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from helhedsplan.accounts.models import Role, User
from helhedsplan.agreements import services
from helhedsplan.agreements.models import AgreementVersion, VersionStatus
from helhedsplan.notifications.notify import notify_status_report_shared
from helhedsplan.plans.models import Plan
from tests import factories
from tests.agreements.conftest import agreement_versions

pytestmark = pytest.mark.django_db


def user_on(plan: Plan, role: str, name: str, **kwargs: Any) -> User:
    user = factories.UserFactory(username=name, email=f"{name}@example.dk", **kwargs)
    factories.PlanMembershipFactory(user=user, plan=plan, role=role)
    return user


@pytest.fixture
def people(factory_plan: Plan) -> dict[str, User]:
    return {
        "lbf": user_on(factory_plan, Role.LBF, "fonden", email_reminders=False),  # not a digest
        "lbf_en": user_on(factory_plan, Role.LBF, "lbfen", language="en"),
        "sekr": user_on(factory_plan, Role.SECRETARIAT, "sekr"),
        "sekr2": user_on(factory_plan, Role.SECRETARIAT, "sekr2"),
        "board": user_on(factory_plan, Role.BOARD, "medlem"),
    }


def _returned_v2(plan: Plan) -> AgreementVersion:
    _first, second = agreement_versions(plan)
    services.version_decide(
        version=second, may_decide=True, letter_required=False, approve=False, remarks="Uddyb."
    )
    return AgreementVersion.objects.get(pk=second.pk)


def test_submitting_mails_lbf_after_the_commit(
    factory_plan: Plan, people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    version = _returned_v2(factory_plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.agreement_version_submit(version=version)
    assert mail.outbox == [], "nothing before the commit"
    for callback in callbacks:
        callback()
    by_user = {m.to[0]: m for m in mail.outbox}
    assert set(by_user) == {"fonden@example.dk", "lbfen@example.dk"}
    danish = by_user["fonden@example.dk"]
    assert "version 2" in danish.subject and "Fabriksplan" in danish.subject
    assert "venter på jeres afgørelse" in danish.body
    assert "/planer/fabrik/aftale/" in danish.body
    assert "awaits your decision" in by_user["lbfen@example.dk"].body


def test_lbfs_decision_mails_the_secretariat_but_the_one_who_recorded_it(
    factory_plan: Plan, people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    _first, second = agreement_versions(factory_plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_decide(
            version=second,
            may_decide=True,
            letter_required=False,
            approve=False,
            remarks="Afsnit 6 skal uddybes.",
            actor=people["sekr2"],
        )
    assert [m.to for m in mail.outbox] == [["sekr@example.dk"]]
    message = mail.outbox[0]
    assert "har returneret version 2" in message.subject
    assert "Afsnit 6 skal uddybes." in message.body
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_version_submit(version=AgreementVersion.objects.get(pk=second.pk))
        services.version_decide(
            version=AgreementVersion.objects.get(pk=second.pk),
            may_decide=True,
            letter_required=False,
            approve=True,
            actor=people["lbf"],
        )
    assert "har godkendt version 2" in mail.outbox[-1].subject
    assert {m.to[0] for m in mail.outbox[-2:]} == {"sekr@example.dk", "sekr2@example.dk"}


def test_a_failing_mail_server_does_not_fail_the_submission(
    factory_plan: Plan,
    people: dict[str, User],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    version = _returned_v2(factory_plan)

    def refuse(self: EmailBackend, messages: Any) -> int:
        raise ConnectionRefusedError("SMTP server refused")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_version_submit(version=version)
    assert AgreementVersion.objects.get(pk=version.pk).status == VersionStatus.SUBMITTED
    assert "could not be sent" in caplog.text


def test_a_user_without_a_valid_address_or_inactive_is_left_out(
    factory_plan: Plan, people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(username="fonden").update(email="ikke en adresse")
    User.objects.filter(username="lbfen").update(is_active=False)
    user_on(factory_plan, Role.LBF, "lbf3")
    version = _returned_v2(factory_plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_version_submit(version=version)
    assert [m.to for m in mail.outbox] == [["lbf3@example.dk"]]


def test_a_status_report_sent_to_lbf_is_announced_to_lbf(
    factory_plan: Plan, people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    report = factories.StatusReportFactory(plan=factory_plan)
    with django_capture_on_commit_callbacks(execute=True):
        notify_status_report_shared(report)
    by_user = {m.to[0]: m for m in mail.outbox}
    assert set(by_user) == {"fonden@example.dk", "lbfen@example.dk"}
    assert "statusrapport for 2018, 2. halvår" in by_user["fonden@example.dk"].subject
    assert f"/planer/fabrik/statusrapporter/{report.pk}/" in by_user["fonden@example.dk"].body
    assert "status report" in by_user["lbfen@example.dk"].subject


def test_a_subject_is_plain_text_not_html(django_capture_on_commit_callbacks: Any) -> None:
    plan = factories.PlanFactory(name="Sol & Vind")
    user_on(plan, Role.LBF, "fonden")
    with django_capture_on_commit_callbacks(execute=True):
        notify_status_report_shared(factories.StatusReportFactory(plan=plan))
    assert mail.outbox[0].subject.startswith("Sol & Vind: statusrapport")
    html = mail.outbox[0].alternatives[0][0]  # type: ignore[union-attr]
    assert "Sol &amp; Vind" in str(html)
