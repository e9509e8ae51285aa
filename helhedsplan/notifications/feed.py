"""Calendar events of the product: a meeting, a duty's deadline, and a user's whole feed.

The feed holds, for every plan where the user has a role, the plan's meetings (where the
role reads meetings: not Landsbyggefonden's), the plan's milestones (where the role reads the
milestone plan: not Landsbyggefonden's) and the deadline of every duty on the user's list
(``duties.lists.all_items``, also those not yet due; a milestone's own duty is its event, not
a second one), in the user's e-mail language.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from urllib.parse import urlsplit

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_access_for
from helhedsplan.accounts.models import Membership, User
from helhedsplan.duties import lists
from helhedsplan.duties.items import DueItem
from helhedsplan.lib import ical
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings.models import Meeting
from helhedsplan.milestones.due import KIND as MILESTONE_DUTY
from helhedsplan.milestones.models import Milestone
from helhedsplan.notifications import mail


def _uid_host() -> str:
    return urlsplit(mail.site_url()).hostname or "helhedsplan"


def meeting_event(meeting: Meeting) -> ical.Event:
    """The meeting as an all-day event (meetings have a date, not a time); its UID is the
    same in the invitation and the feed, so a client that has one updates it."""
    agenda = [f"{a.order}. {a.title}" for a in meeting.agenda.all()]
    description = "\n".join([str(meeting.display_title), *agenda]) if agenda else ""
    return ical.Event(
        uid=f"meeting-{meeting.pk}@{_uid_host()}",
        day=meeting.date,
        summary=f"{meeting.body.name}: {meeting.display_title}",
        description=description,
        url=mail.absolute(meeting.get_absolute_url()),
        location=meeting.location,
    )


def milestone_event(milestone: Milestone) -> ical.Event:
    """The milestone as an all-day event on its date; the UID stays while the milestone
    does, so a changed date moves the event in the user's calendar."""
    state = _("nået %(day)s") % {"day": fmt_date(milestone.done_on)} if milestone.done_on else ""
    lines = [
        _("Ansvarlig: %(owner)s") % {"owner": milestone.owner},
        _("Nået, når: %(done_when)s") % {"done_when": milestone.done_when},
    ]
    if milestone.timing_text:
        lines.append(_("Ifølge aftalen: %(timing)s") % {"timing": milestone.timing_text})
    summary = _("Milepæl: %(title)s") % {"title": milestone.title}
    return ical.Event(
        uid=f"milestone-{milestone.pk}@{_uid_host()}",
        day=milestone.due_on,
        summary=f"{summary} ({state})" if state else summary,
        description="\n".join(lines),
        url=mail.absolute(milestone.get_absolute_url() + f"#milepael-{milestone.pk}"),
    )


def deadline_event(access: PlanAccess, item: DueItem) -> ical.Event:
    return ical.Event(
        uid=f"due-{access.plan.pk}-{item.key}@{_uid_host()}",
        day=item.deadline,
        summary=_("Frist: %(title)s") % {"title": item.title},
        description=item.detail,
        url=mail.absolute(item.url),
    )


def user_feed(user: User, today: date | None = None) -> str:
    """The user's calendar (an iCalendar text)."""
    today = today or timezone.localdate()
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("plan")
        .prefetch_related("areas")
        .order_by("plan__name", "pk")
    )
    by_plan: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_plan[membership.plan_id].append(membership)
    events: list[ical.Event] = []
    with translation.override(mail.language_of(user.language)):
        for group in by_plan.values():
            access = plan_access_for(group)
            if access.can("meetings.view"):
                meetings = (
                    Meeting.objects.filter(plan=access.plan)
                    .select_related("plan", "body")
                    .prefetch_related("agenda")
                    .order_by("date", "pk")
                )
                events.extend(meeting_event(m) for m in meetings)
            milestones = access.can("milestones.view")
            if milestones:
                for milestone in Milestone.objects.filter(plan=access.plan).order_by(
                    "due_on", "pk"
                ):
                    milestone.plan = access.plan
                    events.append(milestone_event(milestone))
            events.extend(
                deadline_event(access, item)
                for item in lists.all_items(access, today)
                if not (milestones and item.kind == MILESTONE_DUTY)
            )
        name = _("Helhedsplan – %(name)s") % {"name": user.get_full_name() or user.username}
        return ical.calendar(events, stamp=timezone.now(), name=name)
