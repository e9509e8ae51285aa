"""Notifications: an e-mail to those who must act when something reaches them.

- an agreement version is submitted: the plan's Landsbyggefonden users;
- LBF decides on it: the plan's secretariat users;
- a status report is sent to LBF (``notify_status_report_shared``, called by the status
  report's service): the plan's Landsbyggefonden users.

Unlike the digest these are not opt-out (``User.email_reminders`` is about the digest): every
active user in the role with a valid address gets one, in their language. They are sent
after the transaction commits (``transaction.on_commit``), so a rolled-back submission
mails no one, and a failing mail server is logged and never fails what they follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from helhedsplan.accounts.access import notified_users
from helhedsplan.accounts.models import User
from helhedsplan.notifications import mail

if TYPE_CHECKING:
    from helhedsplan.agreements.models import AgreementVersion
    from helhedsplan.plans.models import Plan
    from helhedsplan.statusreports.models import StatusReport


def recipients(plan: Plan, event: str, *, exclude: Any = None) -> list[User]:
    """The users told of ``event`` on ``plan`` (``accounts.access.NOTIFIED``) with a valid
    e-mail address, but ``exclude`` (who did what the mail is about)."""
    return [
        u
        for u in notified_users(plan, event)
        if mail.is_valid_email(u.email) and (exclude is None or u.pk != exclude.pk)
    ]


def _send_later(template: str, users: list[User], context: dict[str, Any]) -> None:
    def send() -> None:
        for user in users:
            message = mail.build(
                template=template,
                context={**context, "user": user},
                to=user.email,
                language=user.language,
            )
            mail.send_quietly(message, what=template)

    transaction.on_commit(send)


def notify_version_submitted(version: AgreementVersion) -> None:
    """LBF's users: a version of the strategic agreement waits for their decision."""
    _send_later(
        "version_submitted",
        recipients(version.plan, "agreement.submitted"),
        {
            "plan": version.plan,
            "number": version.number,
            "link": mail.absolute(version.get_absolute_url()),
        },
    )


def notify_version_decided(version: AgreementVersion, *, actor: Any = None) -> None:
    """The secretariat's users (but the one who recorded it): LBF approved or returned."""
    _send_later(
        "version_decided",
        recipients(version.plan, "agreement.decided", exclude=actor),
        {
            "plan": version.plan,
            "number": version.number,
            "approved": version.status == "approved",
            "remarks": version.lbf_remarks,
            "link": mail.absolute(version.get_absolute_url()),
        },
    )


def notify_status_report_shared(report: StatusReport) -> None:
    """LBF's users: a status report was sent to them (its released copy)."""
    _send_later(
        "status_report_shared",
        recipients(report.plan, "statusreport.shared"),
        {
            "plan": report.plan,
            "report": report,  # its period label in the recipient's language
            "link": mail.absolute(report.get_absolute_url()),
        },
    )
