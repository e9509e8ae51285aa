"""The LBF workflow for the strategic agreement; the board's for the sub-agreements.

Strategic agreement (LBF decides, ``version_decide``):
draft --submit--> submitted --approve--> approved (in force from its date)
                            --return---> returned --(edit, submit again)--> submitted
Sub-agreement (the board decides, ``sub_agreement_version_decide``; submitting is optional):
draft | submitted | returned --approve (a board decision)--> approved
                             --return (a board decision)---> returned
An approved or submitted version is never edited; a change starts a new draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.agreements import changes
from helhedsplan.agreements.models import (
    SECTION_KEYS,
    AgreementSection,
    AgreementVersion,
    PlanAttachment,
    SubAgreementVersion,
    VersionBase,
    VersionStatus,
)
from helhedsplan.audit.context import audit_reason
from helhedsplan.files.services import stored_file_create
from helhedsplan.frameworks import catalogue
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings.models import Meeting
from helhedsplan.meetings.services import decision_create
from helhedsplan.notifications import notify
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, Plan

# Sections that must have text before a version can be submitted: the 2015-18 framework's
# (all of them). Sections 5 and 7 carry tables generated from the criteria and the funding,
# but their introductions are required too, as LBF's template has them. A plan's own are
# its framework's ``required_section_keys()``.
REQUIRED_SECTIONS = frozenset(key for key, _title in SECTION_KEYS)


def _framework(plan: Plan) -> catalogue.Framework:
    try:
        return catalogue.get(plan.framework)
    except catalogue.UnknownFramework:
        raise ValidationError(
            _("Planens bevillingsramme »%(code)s« findes ikke i rammekataloget.")
            % {"code": plan.framework},
            code="unknown_framework",
        ) from None


def _not_editable(version: VersionBase) -> ValidationError:
    return ValidationError(
        _(
            "Version %(number)s er %(status)s og kan ikke ændres. Opret en ny kladde for at "
            "foreslå ændringer."
        )
        % {"number": version.number, "status": version.get_status_display().lower()},
        code="version_not_editable",
    )


@transaction.atomic
def agreement_version_create(
    *, plan: Plan, sections: dict[str, str], actor: Any = None, change_note: str = ""
) -> AgreementVersion:
    """A new draft with the sections of the plan's framework (``frameworks.catalogue``);
    sections not given are copied from the latest version."""
    framework = _framework(plan)
    latest = AgreementVersion.objects.filter(plan=plan).order_by("-number").first()
    if (
        latest is not None
        and AgreementVersion.objects.filter(
            plan=plan,
            status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED],
        ).exists()
    ):
        raise ValidationError(
            _("Der er allerede en version under behandling. Afslut den, før en ny oprettes."),
            code="open_version_exists",
        )
    previous = {s.key: s for s in latest.sections.all()} if latest else {}
    version = AgreementVersion(
        plan=plan,
        number=(latest.number + 1) if latest else 1,
        created_by=actor,
        change_note=change_note,
    )
    version.full_clean()
    version.save()
    for order, (key, title) in enumerate(framework.section_keys()):
        body = sections.get(key, previous[key].body if key in previous else "")
        section = AgreementSection(version=version, key=key, title=title, body=body, order=order)
        section.full_clean()
        section.save()
    return version


@transaction.atomic
def agreement_section_update(
    *, section: AgreementSection, body: str, opened_version: str | None = None
) -> AgreementSection:
    """``opened_version``: the section's token when the form was opened (lib.concurrency);
    a section changed since is refused (code ``stale_edit``)."""
    version = AgreementVersion.objects.select_for_update().get(pk=section.version_id)
    if not version.is_editable:
        raise _not_editable(version)
    section = concurrency.lock_and_check(
        section, opened_version, what=_("Afsnittet »%(heading)s«") % {"heading": section.heading}
    )
    section.body = body
    section.full_clean()
    section.save(update_fields=["body"])
    return section


@transaction.atomic
def agreement_version_submit(*, version: AgreementVersion) -> AgreementVersion:
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise _not_editable(version)
    required = _framework(version.plan).required_section_keys()
    empty = [s.heading for s in version.sections.all() if s.key in required and not s.body.strip()]
    if empty:
        raise ValidationError(
            _("Versionen kan ikke indsendes: disse afsnit er tomme: %(sections)s.")
            % {"sections": "; ".join(empty)},
            code="section_empty",
        )
    changes.check_conflicts(version)
    version.status, version.submitted_at = VersionStatus.SUBMITTED, timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    notify.notify_version_submitted(version)  # LBF's users, once this commits
    return version


def _check_decider(*, may_decide: bool, letter_required: bool, letter: UploadedFile | None) -> None:
    """``may_decide``: the actor decides or records decisions (``PlanAccess.may_decide_version``);
    ``letter_required``: they record LBF's decision, so LBF's letter comes with it
    (``PlanAccess.decision_needs_letter``)."""
    if not may_decide:
        raise ValidationError(
            _(
                "Kun Landsbyggefonden – eller sekretariatet med Landsbyggefondens brev – kan "
                "godkende eller returnere en version."
            ),
            code="not_allowed_to_decide",
        )
    if letter_required and letter is None:
        raise ValidationError(
            _("Vedhæft Landsbyggefondens brev, når sekretariatet registrerer afgørelsen."),
            code="lbf_letter_required",
        )


V = TypeVar("V", AgreementVersion, SubAgreementVersion)

# A sub-agreement version the board may still decide on: anything not approved.
BOARD_DECIDABLE = frozenset({VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED})


@transaction.atomic
def version_decide(
    *,
    version: V,
    may_decide: bool,
    letter_required: bool,
    approve: bool,
    remarks: str = "",
    in_force_from: date | None = None,
    letter: UploadedFile | None = None,
    actor: Any = None,
) -> V:
    """Record LBF's decision on an agreement or sub-agreement version (for ``may_decide``
    and ``letter_required`` see ``_check_decider``).

    Every check runs before anything is stored, the letter included, so a refused
    decision leaves no file behind.
    """
    if isinstance(version, SubAgreementVersion):
        # The board keeps the sub-agreements current; LBF reads them but does not approve
        # them (the seed's front part).
        raise ValidationError(
            _(
                "Delaftaler godkendes af bestyrelsen, ikke af Landsbyggefonden. Registrér "
                "bestyrelsens beslutning på delaftalens side."
            ),
            code="sub_agreement_board_decides",
        )
    version = type(version).objects.select_for_update().get(pk=version.pk)
    _check_decider(may_decide=may_decide, letter_required=letter_required, letter=letter)
    if version.status != VersionStatus.SUBMITTED:
        raise ValidationError(
            _(
                "Kun en indsendt version kan godkendes eller returneres; "
                "version %(number)s er %(status)s."
            )
            % {"number": version.number, "status": version.get_status_display().lower()},
            code="version_not_submitted",
        )
    if not approve and not remarks.strip():
        raise ValidationError(
            _("Skriv Landsbyggefondens bemærkninger, når en version returneres."),
            code="remarks_required",
        )
    version.status = VersionStatus.APPROVED if approve else VersionStatus.RETURNED
    version.decided_at, version.decided_by, version.lbf_remarks = timezone.now(), actor, remarks
    if approve:
        version.in_force_from = in_force_from or timezone.localdate()
        if isinstance(version, AgreementVersion):
            changes.check_conflicts(version)
    if letter is not None:
        plan = version.plan if isinstance(version, AgreementVersion) else version.focus_area.plan
        version.lbf_letter = stored_file_create(
            plan=plan, upload=letter, allowed={"pdf"}, actor=actor
        )
    version.full_clean()
    with audit_reason(remarks):
        version.save()
    if approve and isinstance(version, AgreementVersion):
        # Its text changes apply now if it is in force today; later ones by the daily
        # ``apply_agreement_changes``. Its targets need nothing: the scorecard reads dates.
        changes.agreement_changes_apply(plan=version.plan)
    if isinstance(version, AgreementVersion):
        notify.notify_version_decided(version, actor=actor)  # the secretariat, after commit
    return version


@transaction.atomic
def sub_agreement_version_create(
    *,
    focus_area: FocusArea,
    purpose: str,
    responsibilities: str,
    partners: str,
    last_reviewed: date | None = None,
    actor: Any = None,
    change_note: str = "",
) -> SubAgreementVersion:
    open_exists = SubAgreementVersion.objects.filter(
        focus_area=focus_area,
        status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED],
    ).exists()
    if open_exists:
        raise ValidationError(
            _("Der er allerede en version af delaftalen under behandling."),
            code="open_version_exists",
        )
    number = (
        SubAgreementVersion.objects.filter(focus_area=focus_area).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    version = SubAgreementVersion(
        focus_area=focus_area,
        number=number,
        purpose=purpose,
        responsibilities=responsibilities,
        partners=partners,
        last_reviewed=last_reviewed,
        created_by=actor,
        change_note=change_note,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def sub_agreement_version_update(
    *,
    version: SubAgreementVersion,
    purpose: str,
    responsibilities: str,
    partners: str,
    opened_version: str | None = None,
) -> SubAgreementVersion:
    """``opened_version``: the draft's token when the form was opened (lib.concurrency);
    a draft changed since is refused (code ``stale_edit``)."""
    version = SubAgreementVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise _not_editable(version)
    concurrency.check(
        concurrency.snapshot(version), opened_version,
        what=_("Delaftalen %(code)s, version %(number)s")
        % {"code": version.focus_area.code, "number": version.number},
    )  # fmt: skip
    version.purpose, version.responsibilities, version.partners = (
        purpose,
        responsibilities,
        partners,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def sub_agreement_version_submit(*, version: SubAgreementVersion) -> SubAgreementVersion:
    version = SubAgreementVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise _not_editable(version)
    missing = [
        str(label)
        for label, value in [
            (SubAgreementVersion._meta.get_field("purpose").verbose_name, version.purpose),
            (
                SubAgreementVersion._meta.get_field("responsibilities").verbose_name,
                version.responsibilities,
            ),
        ]
        if not value.strip()
    ]
    if missing:
        raise ValidationError(
            _("Delaftalen kan ikke indsendes: disse felter er tomme: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="section_empty",
        )
    version.status, version.submitted_at = VersionStatus.SUBMITTED, timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    return version


@transaction.atomic
def sub_agreement_version_decide(
    *,
    version: SubAgreementVersion,
    meeting: Meeting | None,
    approve: bool,
    may_decide: bool,
    body_kinds: frozenset[str] | None = None,
    remarks: str = "",
    in_force_from: date | None = None,
    actor: Any = None,
) -> SubAgreementVersion:
    """The board approves or returns a sub-agreement version, recorded as a board decision
    (a ``meetings.Decision`` on ``meeting``, concerning the version, whose text says what
    was decided). Approved, the version is in force from ``in_force_from``, or from the
    meeting's date.

    ``may_decide``: the actor decides for the board (``PlanAccess.may_decide_sub_agreement``:
    the secretariat records it for the board, or a board member); ``body_kinds``:
    ``PlanAccess.decision_body_kinds``. Codes: ``not_allowed_to_decide``,
    ``meeting_required``, ``meeting_not_board``, ``meeting_other_plan``,
    ``version_not_decidable``, ``remarks_required``, and ``decision_create``'s.
    """
    version = (
        SubAgreementVersion.objects.select_for_update()
        .select_related("focus_area__plan")
        .get(pk=version.pk)
    )
    fa = version.focus_area
    if not may_decide:
        raise ValidationError(
            _(
                "Kun bestyrelsen – eller sekretariatet på bestyrelsens vegne – kan godkende "
                "eller returnere en delaftale."
            ),
            code="not_allowed_to_decide",
        )
    if meeting is None:
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("Vælg det bestyrelsesmøde, hvor beslutningen blev truffet."),
                    code="meeting_required",
                )
            }
        )
    if meeting.plan_id != fa.plan_id:
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("Mødet hører ikke til planen."), code="meeting_other_plan"
                )
            }
        )
    if meeting.body.kind != Body.Kind.BOARD:
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("Delaftaler godkendes på et bestyrelsesmøde; %(meeting)s er ikke et.")
                    % {"meeting": meeting},
                    code="meeting_not_board",
                )
            }
        )
    if version.status not in BOARD_DECIDABLE:
        raise ValidationError(
            _("Version %(number)s er allerede godkendt af bestyrelsen.")
            % {"number": version.number},
            code="version_not_decidable",
        )
    remarks = remarks.strip()
    if not approve and not remarks:
        raise ValidationError(
            {
                "remarks": ValidationError(
                    _("Skriv bestyrelsens bemærkninger, når en delaftale returneres."),
                    code="remarks_required",
                )
            }
        )
    what = _("delaftale %(code)s %(name)s, version %(number)s") % {
        "code": fa.code,
        "name": fa.name,
        "number": version.number,
    }
    if approve:
        in_force_from = in_force_from or meeting.date
        text = _("Bestyrelsen godkender %(what)s, i kraft fra %(date)s.") % {
            "what": what,
            "date": fmt_date(in_force_from),
        }
    else:
        text = _("Bestyrelsen returnerer %(what)s.") % {"what": what}
    if remarks:
        text += " " + _("Bemærkninger: %(remarks)s") % {"remarks": remarks}
    decision = decision_create(
        meeting=meeting, text=text, concerns=version, actor=actor, body_kinds=body_kinds
    )
    version.status = VersionStatus.APPROVED if approve else VersionStatus.RETURNED
    version.decided_at, version.decided_by = timezone.now(), actor
    version.board_decision = decision
    if approve:
        version.in_force_from = in_force_from
    version.full_clean()
    with audit_reason(remarks):
        version.save()
    return version


@transaction.atomic
def sub_agreement_mark_reviewed(*, version: SubAgreementVersion, on: date) -> SubAgreementVersion:
    """The board's periodic review of a sub-agreement in force (no content change)."""
    version.last_reviewed = on
    version.full_clean()
    version.save(update_fields=["last_reviewed"])
    return version


@transaction.atomic
def plan_attachment_upload(
    *, plan: Plan, kind: str, upload: UploadedFile, note: str = "", actor: Any = None
) -> PlanAttachment:
    if _framework(plan).attachment(kind) is None:
        raise ValidationError(
            _(
                "»%(kind)s« er ikke et bilag i planens bevillingsramme (%(framework)s). "
                "Intet er gemt."
            )
            % {"kind": kind, "framework": plan.framework},
            code="attachment_not_in_framework",
        )
    attachment = PlanAttachment(plan=plan, kind=kind, note=note)
    attachment.full_clean(exclude=["stored_file"])
    attachment.stored_file = stored_file_create(plan=plan, upload=upload, actor=actor)
    attachment.save()
    return attachment
