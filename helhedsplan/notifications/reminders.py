"""The reminder digest (``manage.py send_reminders``): each user's news from "Det skal gøres".

For every active user with reminders on (``User.email_reminders``) and a valid address, and
every open plan where they hold a role (never another plan), the digest builds the access a
page gets (``accounts.access.plan_access_for``) and asks the due list
(``duties.lists.due_items``) in the user's language. What it holds is what became due or
overdue since the last digest: an item told as due is told once more when it becomes
overdue, then never again (``ReminderSent``). One e-mail per user across their plans; a
failing mail server for one user is reported, and the others still get theirs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone, translation

from helhedsplan.accounts.access import plan_access_for
from helhedsplan.accounts.models import Membership, User
from helhedsplan.duties import lists
from helhedsplan.duties.items import DueItem, Urgency
from helhedsplan.notifications import mail
from helhedsplan.notifications.models import ReminderSent
from helhedsplan.plans.models import Plan


@dataclass(frozen=True)
class Line:
    """One item of a digest, as the mail shows it."""

    item: DueItem
    urgency: Urgency
    link: str

    @property
    def is_overdue(self) -> bool:
        return self.urgency is Urgency.OVERDUE


@dataclass
class Digest:
    user: User
    plans: list[tuple[Plan, list[Line]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(lines) for _plan, lines in self.plans)


@dataclass
class Run:
    """What a run did (or, dry, would do)."""

    dry_run: bool
    sent: list[Digest] = field(default_factory=list)
    nothing_new: int = 0
    invalid: list[User] = field(default_factory=list)
    failed: list[tuple[User, str]] = field(default_factory=list)


def _users(plan_slug: str) -> list[User]:
    memberships = (
        Membership.objects.filter(plan__closed_at__isnull=True)
        .select_related("plan")
        .prefetch_related("areas")
        .order_by("plan__name", "pk")
    )
    if plan_slug:
        memberships = memberships.filter(plan__slug=plan_slug)
    return list(
        User.objects.filter(is_active=True, email_reminders=True)
        .filter(memberships__in=memberships)
        .distinct()
        .order_by("username")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
    )


def digest_for(user: User, today: date) -> Digest:
    """The items new to ``user`` on ``today``, per plan, in the user's language."""
    told = set(ReminderSent.objects.filter(user=user).values_list("plan_id", "key", "urgency"))
    by_plan: dict[int, list[Membership]] = defaultdict(list)
    for membership in user.memberships.all():
        by_plan[membership.plan_id].append(membership)
    digest = Digest(user=user)
    with translation.override(mail.language_of(user.language)):
        for memberships in by_plan.values():
            access = plan_access_for(memberships)
            lines = []
            for item in lists.due_items(access, today):
                urgency = item.urgency(today)
                if (access.plan.pk, item.key, urgency.value) not in told:
                    lines.append(Line(item=item, urgency=urgency, link=mail.absolute(item.url)))
            if lines:
                digest.plans.append((access.plan, lines))
    return digest


def _record(digest: Digest) -> None:
    now = timezone.now()
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(
                user=digest.user,
                plan=plan,
                key=line.item.key,
                urgency=line.urgency.value,
                sent_at=now,
            )
            for plan, lines in digest.plans
            for line in lines
        ],
        ignore_conflicts=True,
    )


def reminders_send(
    *,
    today: date,
    dry_run: bool = False,
    plan_slug: str = "",
    progress: Callable[[str], None] = lambda _line: None,
) -> Run:
    """Build and send every user's digest for ``today``. ``dry_run``: build them only (no
    mail, nothing recorded). ``plan_slug``: only that plan's items. A digest is recorded as
    told only once the mail server has taken it, so a failed one is tried again next run.
    ``progress`` receives a line per user."""
    run = Run(dry_run=dry_run)
    for user in _users(plan_slug):
        if not mail.is_valid_email(user.email):
            run.invalid.append(user)
            progress(
                f"{user.username}: ugyldig eller ingen e-mailadresse »{user.email}« – sprunget over"
            )
            continue
        digest = digest_for(user, today)
        if not digest.count:
            run.nothing_new += 1
            continue
        if dry_run:
            run.sent.append(digest)
            progress(describe(digest))
            continue
        message = mail.build(
            template="digest",
            context={"user": user, "digest": digest, "today": today},
            to=user.email,
            language=user.language,
        )
        try:
            message.send()
        except Exception as exc:
            mail.logger.exception("Reminder digest to %s could not be sent", user.email)
            run.failed.append((user, f"{exc.__class__.__name__}: {exc}"))
            progress(f"{user.username} <{user.email}>: FEJL – {exc.__class__.__name__}: {exc}")
            continue
        _record(digest)
        run.sent.append(digest)
        progress(f"{user.username} <{user.email}>: {digest.count} punkt(er) sendt")
    return run


def describe(digest: Digest) -> str:
    """Who would get what: the user, the address and the items (``--dry-run``)."""
    user = digest.user
    lines = [f"{user.username} <{user.email}> ({user.language}): {digest.count} punkt(er)"]
    for plan, items in digest.plans:
        lines.append(f"  {plan.name}:")
        for line in items:
            state = "overskredet" if line.is_overdue else "skal gøres"
            lines.append(
                f"    - {line.item.title} (frist {line.item.deadline:%d.%m.%Y}, {state}) "
                f"{line.link}"
            )
    return "\n".join(lines)
