"""send_reminders: each user's digest of what became due or overdue, once, in their language,
about the plans where they hold a role only; a failing mail server for one user is reported
and the others still get theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from helhedsplan.accounts.models import Role, User
from helhedsplan.notifications.models import ReminderSent
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_only_these_tests_users")]


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def user_on(plan: Plan, role: str, name: str, **kwargs: Any) -> User:
    user = factories.UserFactory(username=name, email=f"{name}@example.dk", **kwargs)
    factories.PlanMembershipFactory(user=user, plan=plan, role=role)
    return user


def test_the_required_meetings_become_a_digest_sent_once(
    settings: Any, only_meetings: None
) -> None:
    """The source that exists today: § 6's meetings not held, the secretariat's to call."""
    settings.SITE_URL = "https://helhedsplan.example.dk"
    plan = factories.small_plan(name="Fabriksplan", slug="fabrik")
    user_on(plan, Role.SECRETARIAT, "sekr")
    output = run("--today", "2019-06-01")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sekr@example.dk"]
    assert "Fabriksplan" in message.body
    assert "Bestyrelsens vurdering" in message.body
    assert "fristen er overskredet" in message.body  # 2018's were not held
    assert "31. december 2019" in message.body  # each item with its deadline
    assert "https://helhedsplan.example.dk/planer/fabrik/moeder/nyt/" in message.body
    html, mimetype = message.alternatives[0]  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert 'href="https://helhedsplan.example.dk/planer/fabrik/moeder/nyt/' in str(html)
    assert "1 sendt" in output
    told = ReminderSent.objects.filter(plan=plan).count()
    assert told == 4  # 2018 and 2019, two assessments each

    output = run("--today", "2019-06-02")
    assert len(mail.outbox) == 1, "nothing new: no second mail"
    assert "0 sendt, 1 uden nyt" in output
    assert ReminderSent.objects.filter(plan=plan).count() == told


def test_an_item_told_as_due_is_told_again_when_overdue_then_never(
    fake_source: Callable[..., None], only_fake: None
) -> None:
    fake_source(due_from=date(2019, 1, 1), deadline=date(2019, 6, 30))
    plan = factories.PlanFactory(name="Nordplan")
    user_on(plan, Role.SECRETARIAT, "sekr")
    run("--today", "2019-06-01")
    run("--today", "2019-06-15")
    assert len(mail.outbox) == 1
    assert "fristen er overskredet" not in mail.outbox[0].body
    run("--today", "2019-07-01")
    assert len(mail.outbox) == 2
    assert "fristen er overskredet" in mail.outbox[1].body
    run("--today", "2019-08-01")
    assert len(mail.outbox) == 2
    assert set(ReminderSent.objects.values_list("urgency", flat=True)) == {"due", "overdue"}


def test_not_yet_due_is_not_told(fake_source: Callable[..., None], only_fake: None) -> None:
    fake_source(due_from=date(2019, 7, 1), deadline=date(2019, 9, 30))
    user_on(factories.PlanFactory(), Role.SECRETARIAT, "sekr")
    run("--today", "2019-06-01")
    assert mail.outbox == []


def test_a_user_who_opted_out_gets_no_digest(
    fake_source: Callable[..., None], only_fake: None
) -> None:
    fake_source()
    plan = factories.PlanFactory()
    user_on(plan, Role.SECRETARIAT, "fra", email_reminders=False)
    user_on(plan, Role.SECRETARIAT, "til")
    run("--today", "2019-06-01")
    assert [m.to for m in mail.outbox] == [["til@example.dk"]]
    assert not ReminderSent.objects.filter(user__username="fra").exists()


def test_the_digest_is_in_the_users_language(
    fake_source: Callable[..., None], settings: Any
) -> None:
    """In English, also the titles the due list makes (the required meetings')."""
    fake_source()
    plan = factories.small_plan()
    user_on(plan, Role.SECRETARIAT, "eng", language="en")
    run("--today", "2019-06-01")
    message = mail.outbox[0]
    assert message.subject.startswith("Helhedsplan – to do:")
    assert "Deadline: December 31, 2019" in message.body or "Deadline: Dec. 31, 2019" in (
        message.body
    )
    assert "the deadline has passed" in message.body
    assert "Frist" not in message.body


def test_one_mail_per_user_across_plans_never_about_a_plan_without_a_role(
    fake_source: Callable[..., None], only_fake: None
) -> None:
    fake_source(roles=frozenset({"secretariat", "lbf"}))
    first = factories.PlanFactory(name="Førsteplan")
    second = factories.PlanFactory(name="Andenplan")
    third = factories.PlanFactory(name="Tredjeplan")
    both = user_on(first, Role.SECRETARIAT, "begge")
    factories.PlanMembershipFactory(user=both, plan=second, role=Role.SECRETARIAT)
    user_on(third, Role.SECRETARIAT, "tredje")
    # A role the source gives nothing to: no mail at all.
    user_on(first, Role.BOARD, "medlem")
    run("--today", "2019-06-01")
    by_user = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_user) == {"begge@example.dk", "tredje@example.dk"}
    assert "Førsteplan" in by_user["begge@example.dk"]
    assert "Andenplan" in by_user["begge@example.dk"]
    assert "Tredjeplan" not in by_user["begge@example.dk"]
    assert "Førsteplan" not in by_user["tredje@example.dk"]


def test_the_required_meetings_are_not_told_to_a_role_that_does_not_call_them(
    only_meetings: None,
) -> None:
    """The real source: LBF and the board call no meetings, so they get nothing."""
    plan = factories.small_plan()
    user_on(plan, Role.LBF, "fonden")
    user_on(plan, Role.BOARD, "medlem")
    run("--today", "2019-06-01")
    assert mail.outbox == []


def test_a_closed_plan_sends_nothing(fake_source: Callable[..., None], only_fake: None) -> None:
    fake_source()
    plan = factories.PlanFactory(closed_at=timezone.now(), status=Plan.Status.CLOSED)
    user_on(plan, Role.SECRETARIAT, "sekr")
    run("--today", "2019-06-01")
    assert mail.outbox == []


def test_plan_option_limits_to_that_plan(fake_source: Callable[..., None], only_fake: None) -> None:
    fake_source()
    first = factories.PlanFactory(slug="foerste", name="Førsteplan")
    second = factories.PlanFactory(slug="anden", name="Andenplan")
    user = user_on(first, Role.SECRETARIAT, "sekr")
    factories.PlanMembershipFactory(user=user, plan=second, role=Role.SECRETARIAT)
    run("--today", "2019-06-01", "--plan", "anden")
    assert "Andenplan" in mail.outbox[0].body and "Førsteplan" not in mail.outbox[0].body
    with pytest.raises(CommandError, match="findes-ikke"):
        run("--plan", "findes-ikke")


def test_dry_run_prints_who_would_get_what_and_sends_and_writes_nothing(
    fake_source: Callable[..., None], only_fake: None
) -> None:
    fake_source()
    plan = factories.PlanFactory(name="Nordplan")
    user_on(plan, Role.SECRETARIAT, "sekr")
    output = run("--dry-run", "--today", "2019-06-01")
    assert "sekr <sekr@example.dk> (da): 1 punkt(er)" in output
    assert "Indberet tal for Nordplan (frist 30.06.2019, skal gøres)" in output
    assert "1 ville blive sendt" in output
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_an_invalid_address_is_skipped_with_a_message(
    fake_source: Callable[..., None], only_fake: None
) -> None:
    fake_source()
    plan = factories.PlanFactory()
    user_on(plan, Role.SECRETARIAT, "forkert").__class__.objects.filter(username="forkert").update(
        email="ikke-en-adresse"
    )
    user_on(plan, Role.SECRETARIAT, "ingen").__class__.objects.filter(username="ingen").update(
        email=""
    )
    user_on(plan, Role.SECRETARIAT, "rigtig")
    output = run("--today", "2019-06-01")
    assert "forkert: ugyldig eller ingen e-mailadresse »ikke-en-adresse« – sprunget over" in output
    assert "2 uden gyldig e-mailadresse" in output
    assert [m.to for m in mail.outbox] == [["rigtig@example.dk"]]


def test_a_failing_mail_server_for_one_user_keeps_the_others_and_is_reported(
    fake_source: Callable[..., None], only_fake: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_source()
    plan = factories.PlanFactory()
    for name in ("anne", "bo", "carl"):
        user_on(plan, Role.SECRETARIAT, name)
    original = EmailBackend.send_messages

    def refuse_bo(self: EmailBackend, messages: Any) -> int:
        if any("bo@example.dk" in m.to for m in messages):
            raise ConnectionRefusedError("SMTP server refused")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_bo)
    out = StringIO()
    with pytest.raises(CommandError, match=r"bo <bo@example\.dk>"):
        call_command("send_reminders", "--today", "2019-06-01", stdout=out)
    assert sorted(m.to[0] for m in mail.outbox) == ["anne@example.dk", "carl@example.dk"]
    assert "2 sendt" in out.getvalue() and "1 fejlede" in out.getvalue()
    assert "bo <bo@example.dk>: FEJL – ConnectionRefusedError" in out.getvalue()
    # Bo's items are not recorded as told: the next run tries again.
    assert not ReminderSent.objects.filter(user__username="bo").exists()
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    run("--today", "2019-06-02")
    assert mail.outbox[-1].to == ["bo@example.dk"]


def test_a_bad_date_is_refused() -> None:
    with pytest.raises(CommandError, match="--today skal være en dato"):
        run("--today", "1. juni")
