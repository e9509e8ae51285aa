"""Writes of users and their roles on plans. Each is atomic and validated before saving."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helhedsplan.accounts.models import ApiToken, Invitation, Membership, Role, User
from helhedsplan.audit.services import audit_event
from helhedsplan.lib.numbers import Lang, format_datetime
from helhedsplan.plans.models import HousingArea, Municipality, Plan
from helhedsplan.plans.services import municipality_create, plan_create


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> User:
    """A user who can log in with ``password`` (stored hashed).

    Refused: a username in use (``unique``), an empty password (``password_required``)."""
    if not password:
        raise ValidationError(
            {"password": ValidationError(_("Angiv en adgangskode."), code="password_required")}
        )
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_demo=is_demo,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def membership_create(
    *, user: User, plan: Plan, role: str, areas: Iterable[HousingArea] = ()
) -> Membership:
    """Give ``user`` a role on ``plan``; a coordinator registers for ``areas`` only.

    Refused: the same role twice (``unique``), areas for a role other than coordinator
    (``areas_only_for_coordinators``), an area of another plan (``unknown_area``)."""
    areas = list(areas)
    if areas and role != Role.COORDINATOR:
        raise ValidationError(
            {
                "areas": ValidationError(
                    _("Kun koordinatorer har boligområder."), code="areas_only_for_coordinators"
                )
            }
        )
    if any(area.plan_id != plan.pk for area in areas):
        raise ValidationError({"areas": ValidationError(_("Ukendt område."), code="unknown_area")})
    membership = Membership(user=user, plan=plan, role=role)
    membership.full_clean()
    membership.save()
    if areas:
        membership.areas.set(areas)
    return membership


# Invitations: a link by e-mail to set a password (or, for an existing user, to log in) and
# take a role on a plan.


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _error(field: str | None, message: str, code: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_for_email(email: str) -> User | None:
    """The user an address belongs to: the one whose username is the address (as an accepted
    invitation makes them), else the one whose e-mail it is."""
    email = normalise_email(email)
    by_username = User.objects.filter(username__iexact=email).first()
    if by_username is not None:
        return by_username
    return User.objects.filter(email__iexact=email).order_by("pk").first()


def _check_areas(*, plan: Plan, role: str, areas: list[HousingArea]) -> None:
    if role == Role.COORDINATOR and not areas:
        raise _error(
            "areas",
            _("En koordinator skal have mindst ét boligområde at registrere for."),
            "coordinator_without_areas",
        )
    if areas and role != Role.COORDINATOR:
        raise _error(
            "areas", _("Kun koordinatorer har boligområder."), "areas_only_for_coordinators"
        )
    if any(area.plan_id != plan.pk for area in areas):
        raise _error("areas", _("Ukendt område: det hører ikke til planen."), "unknown_area")


DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def _send_invitation(invitation: Invitation, token: str, base_url: str = "") -> None:
    """The e-mail with the link, in the invitation's language. A refusal by the mail server
    is a ValidationError (``mail_failed``), so the invitation is not kept without its mail.
    The link begins with ``settings.SITE_URL``, else ``base_url`` (the request's address)."""
    site = settings.SITE_URL or base_url.rstrip("/") or DEFAULT_SITE_URL
    link = site + reverse("accounts:invitation_accept", kwargs={"token": token})
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "link": link,
            "role": invitation.get_role_display(),
            "plan": invitation.plan,
            "invited_by": invitation.invited_by,
            "expires": format_datetime(
                timezone.localtime(invitation.expires_at), lang=_lang(invitation.language)
            ),
            "existing_user": user_for_email(invitation.email) is not None,
        }
        subject = " ".join(
            render_to_string("accounts/email/invitation_subject.txt", context).split()
        )
        body = render_to_string("accounts/email/invitation_body.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except OSError as exc:  # smtplib's errors are OSErrors, as are refused connections
        raise _error(
            None,
            _("E-mailen til %(email)s kunne ikke sendes (%(error)s). Intet er gemt.")
            % {"email": invitation.email, "error": exc.__class__.__name__},
            "mail_failed",
        ) from exc


def _lang(code: str) -> Lang:
    return "en" if code == "en" else "da"


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    return token


@transaction.atomic
def user_invite(
    *,
    plan: Plan,
    email: str,
    role: str,
    areas: Iterable[HousingArea] = (),
    invited_by: User | None,
    language: str = "da",
    base_url: str = "",
) -> Invitation:
    """Invite ``email`` to take ``role`` on ``plan``: an e-mail with a link that is valid for
    ``settings.INVITATION_DAYS`` days. The link's token is stored hashed only. ``base_url``:
    the address the link begins with where ``settings.SITE_URL`` is not set.

    Refused (nothing written, nothing sent): an invalid address (``invalid_email``), one
    already invited and pending on the plan (``already_invited``), one whose user already
    holds the role there (``already_member``) or is deactivated (``user_inactive``), a
    coordinator without areas (``coordinator_without_areas``), areas for another role
    (``areas_only_for_coordinators``) or of another plan (``unknown_area``), a mail the
    server refuses (``mail_failed``)."""
    email = normalise_email(email)
    areas = list(areas)
    try:
        validate_email(email)
    except ValidationError:
        raise _error(
            "email",
            _("»%(email)s« er ikke en gyldig e-mailadresse.") % {"email": email},
            "invalid_email",
        ) from None
    if role not in Role.values:
        raise _error("role", _("Ukendt rolle."), "unknown_role")
    _check_areas(plan=plan, role=role, areas=areas)
    pending = [i for i in Invitation.objects.filter(plan=plan, email=email) if i.is_pending]
    if pending:
        raise _error(
            "email",
            _(
                "%(email)s er allerede inviteret til planen (som %(role)s) og har ikke svaret. "
                "Send invitationen igen eller tilbagekald den."
            )
            % {"email": email, "role": pending[0].get_role_display()},
            "already_invited",
        )
    existing = user_for_email(email)
    if existing is not None and not existing.is_active:
        raise _error(
            "email",
            _("Brugeren med adressen %(email)s er deaktiveret.") % {"email": email},
            "user_inactive",
        )
    if (
        existing is not None
        and Membership.objects.filter(user=existing, plan=plan, role=role).exists()
    ):
        raise _error(
            "email",
            _("%(email)s har allerede rollen %(role)s på planen.")
            % {"email": email, "role": Role(role).label},
            "already_member",
        )
    invitation = Invitation(
        plan=plan, email=email, role=role, language=language, invited_by=invited_by
    )
    token = _new_token(invitation)
    invitation.full_clean()
    invitation.save()
    if areas:
        invitation.areas.set(areas)
    _send_invitation(invitation, token, base_url)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link's token answers, whatever its state; refused: an unknown token
    (``invalid_token``)."""
    invitation = (
        Invitation.objects.select_related("plan", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise _error(
            None, _("Linket findes ikke. Tjek at hele linket er kopieret."), "invalid_token"
        )
    return invitation


def check_answerable(invitation: Invitation) -> None:
    """Refuse an invitation that can no longer be answered: ``invitation_used``,
    ``invitation_revoked``, ``invitation_expired``."""
    messages = {
        "accepted": (
            _("Invitationen er allerede brugt. Log ind som du plejer."),
            "invitation_used",
        ),
        "revoked": (
            _("Invitationen er trukket tilbage. Kontakt sekretariatet for en ny."),
            "invitation_revoked",
        ),
        "expired": (
            _("Invitationen er udløbet. Bed sekretariatet sende den igen."),
            "invitation_expired",
        ),
    }
    if invitation.state in messages:
        message, code = messages[invitation.state]
        raise _error(None, str(message), code)


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> Membership:
    """Answer an invitation: the role on the plan, for a new or an existing user.

    An address without a user: the user is created (username = the address, the password
    checked by Django's password validators). An address with a user: ``user`` must be that
    user, logged in (``login_required``, ``wrong_user``). Refused, nothing written: an unknown,
    used, revoked or expired link (``check_answerable``), a weak password."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_answerable(invitation)
    existing = user_for_email(invitation.email)
    if existing is not None:
        if user is None or not user.is_authenticated:
            raise _error(
                None,
                _(
                    "Der findes allerede en bruger med adressen %(email)s. Log ind for at tage "
                    "imod invitationen."
                )
                % {"email": invitation.email},
                "login_required",
            )
        if user.pk != existing.pk:
            raise _error(
                None,
                _("Invitationen er til %(email)s. Log ud og log ind som den bruger.")
                % {"email": invitation.email},
                "wrong_user",
            )
        member = existing
    else:
        if not first_name.strip():
            raise _error("first_name", _("Skriv dit fornavn."), "required")
        candidate = User(
            username=invitation.email,
            email=invitation.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as exc:
            raise ValidationError({"password": exc.error_list}) from None
        member = user_create(
            username=invitation.email,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=invitation.email,
        )
    membership = Membership.objects.filter(
        user=member, plan=invitation.plan, role=invitation.role
    ).first()
    if membership is None:
        membership = membership_create(
            user=member,
            plan=invitation.plan,
            role=invitation.role,
            areas=invitation.areas.all(),
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = member
    invitation.full_clean()
    invitation.save()
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User | None) -> Invitation:
    """The link stops working. Refused: an invitation already answered or revoked
    (``not_pending``); an expired one may be revoked."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise _error(
            None,
            _("Invitationen er allerede %(state)s.") % {"state": invitation.state_label.lower()},
            "not_pending",
        )
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User | None, base_url: str = "") -> Invitation:
    """A new link (the old one stops working) valid for the full period, sent again.
    Refused: an invitation answered or revoked (``not_pending``)."""
    invitation = Invitation.objects.select_for_update().select_related("plan").get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise _error(
            None,
            _("Invitationen er allerede %(state)s.") % {"state": invitation.state_label.lower()},
            "not_pending",
        )
    token = _new_token(invitation)
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation, token, base_url)
    return invitation


# Roles on a plan.


def _refuse_last_secretariat(plan: Plan, leaving: Iterable[Membership]) -> None:
    leaving_ids = {m.pk for m in leaving if m.role == Role.SECRETARIAT}
    if not leaving_ids:
        return
    remaining = (
        Membership.objects.filter(plan=plan, role=Role.SECRETARIAT, user__is_active=True)
        .exclude(pk__in=leaving_ids)
        .exists()
    )
    if not remaining:
        raise _error(
            None,
            _(
                "Planen skal have mindst én bruger i sekretariatet: den sidste "
                "sekretariatsrolle kan ikke fjernes. Giv først en anden rollen."
            ),
            "last_secretariat",
        )


@transaction.atomic
def membership_update_areas(*, membership: Membership, areas: Iterable[HousingArea]) -> Membership:
    """A coordinator's areas. Refused: none (``coordinator_without_areas``), areas for
    another role (``areas_only_for_coordinators``), of another plan (``unknown_area``)."""
    areas = list(areas)
    _check_areas(plan=membership.plan, role=membership.role, areas=areas)
    membership.areas.set(areas)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a role from a user on the plan (their registrations stay). Refused: the plan's
    last secretariat role (``last_secretariat``)."""
    plan = Plan.objects.select_for_update().get(pk=membership.plan_id)
    _refuse_last_secretariat(plan, [membership])
    membership.delete()


@transaction.atomic
def plan_user_remove(*, plan: Plan, user: User) -> int:
    """Take every role ``user`` holds on ``plan``; the number taken. Refused as
    ``membership_remove``."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    memberships = list(Membership.objects.filter(plan=plan, user=user))
    _refuse_last_secretariat(plan, memberships)
    for membership in memberships:
        membership.delete()
    return len(memberships)


# Users across the installation (staff).


@transaction.atomic
def user_deactivate(*, user: User, by: User | None) -> User:
    """The user can no longer log in; their roles and registrations stay. Refused: oneself
    (``deactivate_self``). Audited as ``user.deactivated``."""
    if by is not None and by.pk == user.pk:
        raise _error(None, _("Du kan ikke deaktivere dig selv."), "deactivate_self")
    return _set_active(user=user, active=False, by=by)


@transaction.atomic
def user_reactivate(*, user: User, by: User | None) -> User:
    """The user can log in again. Audited as ``user.reactivated``."""
    return _set_active(user=user, active=True, by=by)


def _set_active(*, user: User, active: bool, by: User | None) -> User:
    if user.is_active == active:
        return user
    user.is_active = active
    user.full_clean()
    user.save(update_fields=["is_active"])
    audit_event(
        instance=user,
        event="user.reactivated" if active else "user.deactivated",
        actor=by,
        changes={"is_active": [str(not active), str(active)]},
    )
    return user


@transaction.atomic
def plan_create_with_invitation(
    *,
    name: str,
    slug: str,
    municipality: Municipality | None,
    new_municipality: str = "",
    framework: str,
    lbf_case_number: str = "",
    start_date: date,
    end_date: date,
    secretariat_email: str,
    invited_by: User | None,
    language: str = "da",
    base_url: str = "",
) -> Invitation:
    """A new plan (``plans.services.plan_create``) and the invitation of its first
    secretariat user, together or not at all. The municipality: an existing one, or a new
    name (an existing name is reused). Refused as the two services refuse, and a
    municipality neither chosen nor named (``municipality_required``)."""
    if municipality is None:
        typed = new_municipality.strip()
        if not typed:
            raise _error(
                "municipality",
                _("Vælg en kommune, eller skriv navnet på en ny."),
                "municipality_required",
            )
        municipality = Municipality.objects.filter(name__iexact=typed).first()
        if municipality is None:
            municipality = municipality_create(name=typed)
    plan = plan_create(
        name=name,
        slug=slug,
        municipality=municipality,
        framework=framework,
        lbf_case_number=lbf_case_number,
        start_date=start_date,
        end_date=end_date,
    )
    try:
        return user_invite(
            plan=plan,
            email=secretariat_email,
            role=Role.SECRETARIAT,
            invited_by=invited_by,
            language=language,
            base_url=base_url,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "email" in exc.error_dict:
            raise ValidationError({"secretariat_email": exc.error_dict["email"]}) from None
        raise


# Personal API tokens (``Authorization: Bearer <token>``): the secret is shown once, only
# its SHA-256 is kept. Made and revoked by their user; each an entry in the audit trail.

API_TOKEN_PREFIX = "hp_"  # noqa: S105 - the prefix every token starts with, no secret
# How often a token's "last used" is written: not on every request of a busy client.
API_TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str, expires_on: date | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``: the row and the secret (shown once, never stored).
    ``expires_on``: the last day it works (None: until revoked). Refused: an empty name
    (``name_required``), an unknown scope (``unknown_scope``), a day in the past
    (``expires_in_past``)."""
    name = name.strip()
    if not name:
        raise _error("name", _("Giv nøglen et navn, så du kan kende den igen."), "name_required")
    if scope not in ApiToken.Scope.values:
        raise _error("scope", _("Ukendt adgang."), "unknown_scope")
    expires_at = None
    if expires_on is not None:
        if expires_on < timezone.localdate():
            raise _error("expires_on", _("Udløbsdatoen er overskredet."), "expires_in_past")
        expires_at = timezone.make_aware(datetime.combine(expires_on + timedelta(days=1), time()))
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[: len(API_TOKEN_PREFIX) + 6],
        token_hash=_token_hash(secret),
        scope=scope,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """The token stops working at once (401). Revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The active token (of an active user) whose secret this is; None for an unknown,
    revoked or expired one. Notes when it was used, at most once a minute (a plain update:
    no audit entry, using a token changes no domain data)."""
    if not secret.startswith(API_TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
