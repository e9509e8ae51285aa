"""Sending one e-mail: rendered in the recipient's language, plain text with an HTML
alternative, links absolute (``settings.SITE_URL``). Django's e-mail framework: the console
backend unless ``EMAIL_HOST`` names an SMTP server (settings.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation

from helhedsplan.accounts.services import DEFAULT_SITE_URL

logger = logging.getLogger("helhedsplan.notifications")

LANGUAGES = frozenset({"da", "en"})


def site_url() -> str:
    """The address links in e-mails begin with (no trailing slash)."""
    return settings.SITE_URL or DEFAULT_SITE_URL


def absolute(path: str) -> str:
    """``path`` (a URL the product made, "/planer/...") as a link a mail client can open."""
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + path


def is_valid_email(address: str) -> bool:
    if not address:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def language_of(code: str) -> str:
    return code if code in LANGUAGES else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


def build(
    *,
    template: str,
    context: Mapping[str, Any],
    to: str,
    language: str,
    attachments: Iterable[Attachment] = (),
) -> EmailMultiAlternatives:
    """The message of ``notifications/email/<template>_{subject,body}.txt`` and ``_body.html``,
    rendered in ``language``."""
    with translation.override(language_of(language)):
        context = {"site_url": site_url(), **context}
        subject = " ".join(
            render_to_string(f"notifications/email/{template}_subject.txt", context).split()
        )
        text = render_to_string(f"notifications/email/{template}_body.txt", context)
        html = render_to_string(f"notifications/email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, None, [to])
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_quietly(message: EmailMultiAlternatives, *, what: str) -> bool:
    """Send; a failing mail server is logged, not raised (a notification must not fail the
    submission or decision it follows). True if the server took the message."""
    try:
        message.send()
    except Exception:
        logger.exception("E-mail (%s) to %s could not be sent", what, ", ".join(message.to))
        return False
    return True
