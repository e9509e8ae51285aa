from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.accounts.models import User
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.meetings.models import Meeting
from helhedsplan.notifications import services
from helhedsplan.notifications.feed import user_feed
from helhedsplan.notifications.forms import EmailSettingsForm
from helhedsplan.notifications.models import CalendarFeed
from helhedsplan.reports.http import download


def _page(
    request: HttpRequest, user: User, form: EmailSettingsForm, **context: object
) -> HttpResponse:
    has_feed = CalendarFeed.objects.filter(user=user).exists()
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_feed": has_feed, **context},
    )


def _me(request: HttpRequest) -> User:
    """The logged-in user as a model row (``request.user`` is a lazy wrapper)."""
    return User.objects.get(pk=cast("int", request.user.pk))  # login_required: never None


def _settings_form(user: User, data: Any) -> EmailSettingsForm:
    initial = {
        "email": user.email,
        "language": user.language,
        "email_reminders": user.email_reminders,
    }
    form = EmailSettingsForm(data, initial=initial)
    concurrency.carry_version(form, services.user_email_settings_version(user))
    return form


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The user's own e-mail address, e-mail language, reminders and calendar link."""
    user = _me(request)
    form = _settings_form(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != concurrency.VERSION_FIELD}
        try:
            services.user_email_settings_update(
                user=user, **values, version=concurrency.submitted_version(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Dine indstillinger er gemt."))
            return redirect("notifications:settings")
    return _page(request, user, form)


@login_required
@require_POST
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Make a new calendar link (shown once: only its hash is kept) or revoke it."""
    user = _me(request)
    form = EmailSettingsForm(
        initial={
            "email": user.email,
            "language": user.language,
            "email_reminders": user.email_reminders,
        }
    )
    if request.POST.get("action") == "revoke":
        if services.calendar_feed_revoke(user=user):
            messages.success(request, _("Kalenderlinket er slettet: det virker ikke længere."))
        return redirect("notifications:settings")
    token = services.calendar_feed_create(user=user)
    feed_url = request.build_absolute_uri(
        reverse("notifications:calendar_feed", kwargs={"token": token})
    )
    # Rendered, not redirected: the link exists only in this answer.
    return _page(request, user, form, feed_url=feed_url)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's calendar (iCalendar) at their secret link; 404 for an unknown or revoked
    one. No login: a calendar client cannot log in, the token is the key."""
    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404
    return download(user_feed(user).encode(), fmt="ics", filename="helhedsplan.ics")


@plan_view(None, post="meetings.edit")
def meeting_invite(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    """E-mail the invitation with the agenda and an .ics file to the body's members."""
    meeting = get_object_or_404(Meeting, plan=access.plan, pk=pk)
    try:
        result = services.meeting_invitation_send(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(meeting)
    messages.success(
        request,
        _("Indkaldelsen er sendt til %(count)s: %(names)s.")
        % {"count": len(result.sent), "names": ", ".join(p.name for p in result.sent)},
    )
    if result.without_email:
        messages.warning(
            request,
            _("Uden e-mailadresse (ikke indkaldt): %(names)s.")
            % {"names": ", ".join(p.name for p in result.without_email)},
        )
    if result.failed:
        messages.error(
            request,
            _("Mailserveren afviste indkaldelsen til: %(names)s. Prøv igen senere.")
            % {"names": ", ".join(p.name for p in result.failed)},
        )
    return redirect(meeting)
