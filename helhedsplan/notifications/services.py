"""Writes of the notifications app: a user's e-mail settings and calendar link, and the
meeting invitation (an e-mail per member of the body, with the agenda and an .ics file)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helhedsplan.accounts.models import User
from helhedsplan.audit.services import audit_event
from helhedsplan.lib import concurrency, ical
from helhedsplan.meetings.models import Meeting
from helhedsplan.meetings.selectors import members_on
from helhedsplan.notifications import mail
from helhedsplan.notifications.feed import meeting_event
from helhedsplan.notifications.models import CalendarFeed
from helhedsplan.organisation.models import Person


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


# A user's own settings.


SETTINGS_FIELDS = ("email", "language", "email_reminders")


def user_email_settings_version(user: User) -> str:
    """The token the settings form carries (lib.concurrency): two open tabs do not overwrite
    each other unseen."""
    return concurrency.version_of(user, fields=SETTINGS_FIELDS)


@transaction.atomic
def user_email_settings_update(
    *, user: User, email: str, language: str, email_reminders: bool, version: str | None = None
) -> User:
    """The user's address, e-mail language and reminder digest (opt-out). ``version``: the
    settings' token when the form was opened (``stale_edit`` if they changed since). Refused:
    an invalid address (``invalid_email``), an unknown language (``unknown_language``)."""
    user = concurrency.lock_and_check(
        user, version, what=_("Dine indstillinger"), fields=SETTINGS_FIELDS
    )
    email = email.strip()
    if email and not mail.is_valid_email(email):
        raise ValidationError(
            {
                "email": ValidationError(
                    _("»%(email)s« er ikke en gyldig e-mailadresse.") % {"email": email},
                    code="invalid_email",
                )
            }
        )
    if language not in mail.LANGUAGES:
        raise ValidationError(
            {"language": ValidationError(_("Ukendt sprog."), code="unknown_language")}
        )
    user.email, user.language, user.email_reminders = email, language, email_reminders
    user.full_clean()
    user.save(update_fields=["email", "language", "email_reminders"])
    return user


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """A new secret calendar link for ``user`` (the old one, if any, stops working); the
    token, which is kept only hashed, so it is shown once."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.token_hash = _token_hash(token)
    feed.created_at = timezone.now()
    feed.full_clean()
    feed.save()
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """The link stops working; False if the user had none."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_user(token: str) -> User | None:
    """The active user whose calendar link ``token`` is; None for an unknown or revoked one."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed is not None else None


# The meeting invitation.


@dataclass
class InvitationResult:
    sent: list[Person] = field(default_factory=list)
    without_email: list[Person] = field(default_factory=list)
    failed: list[Person] = field(default_factory=list)


def _language_by_email(addresses: list[str]) -> dict[str, str]:
    """A person who is also a user gets the mail in the user's language."""
    found: dict[str, str] = {}
    for email, language in User.objects.filter(email__in=addresses, is_active=True).values_list(
        "email", "language"
    ):
        found.setdefault(email.lower(), language)
    return found


@transaction.atomic
def meeting_invitation_send(*, meeting: Meeting, actor: Any = None) -> InvitationResult:
    """E-mail the invitation to every member of the meeting's body on the meeting's date
    (``meetings.selectors.members_on``): the agenda in the mail and the meeting as an .ics
    file (METHOD:PUBLISH: the product collects no replies). Audited as
    ``meeting.invitation_sent`` with the addresses it went to.

    Refused (nothing sent, nothing written): no member with a valid address
    (``no_recipients``). A member the mail server refuses is in ``failed``; the others get
    theirs."""
    meeting = (
        Meeting.objects.select_related("plan", "body").prefetch_related("agenda").get(pk=meeting.pk)
    )
    members = list(members_on(meeting.body, meeting.date))
    result = InvitationResult()
    with_email: list[Person] = []
    for person in members:
        (with_email if mail.is_valid_email(person.email) else result.without_email).append(person)
    if not with_email:
        raise ValidationError(
            _(
                "Indkaldelsen er ikke sendt: ingen af medlemmerne af %(body)s den %(date)s har "
                "en gyldig e-mailadresse. Tilføj dem på organisationens side."
            )
            % {"body": meeting.body.name, "date": f"{meeting.date:%d.%m.%Y}"},
            code="no_recipients",
        )
    languages = _language_by_email([p.email for p in with_email])
    agenda = list(meeting.agenda.all())
    link = mail.absolute(meeting.get_absolute_url())
    for person in with_email:
        language = languages.get(person.email.lower(), "da")
        with translation.override(mail.language_of(language)):
            ics = ical.calendar([meeting_event(meeting)], stamp=timezone.now(), method="PUBLISH")
        message = mail.build(
            template="meeting_invitation",
            context={"meeting": meeting, "person": person, "agenda": agenda, "link": link},
            to=person.email,
            language=language,
            attachments=[mail.Attachment("indkaldelse.ics", ics, "text/calendar")],
        )
        if mail.send_quietly(message, what="meeting_invitation"):
            result.sent.append(person)
        else:
            result.failed.append(person)
    if result.sent:
        audit_event(
            instance=meeting,
            event="meeting.invitation_sent",
            actor=actor,
            changes={"recipients": ["", ", ".join(p.email for p in result.sent)]},
        )
    return result
