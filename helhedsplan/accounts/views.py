from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helhedsplan.accounts import selectors, services
from helhedsplan.accounts.access import PlanAccess, plan_view, staff_view
from helhedsplan.accounts.forms import (
    ApiTokenForm,
    InvitationAcceptForm,
    InvitationForm,
    MembershipAreasForm,
    StaffPlanForm,
)
from helhedsplan.accounts.models import ApiToken, Invitation, Membership, Role, User
from helhedsplan.frameworks import catalogue
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.plans.models import Plan

# The demo logins in the order of the roles, shown on the login page when the demo exists.
DEMO_USERNAMES: dict[str, Role] = {
    "sekretariat": Role.SECRETARIAT,
    "koordinator": Role.COORDINATOR,
    "kommune": Role.MUNICIPAL,
    "bestyrelse": Role.BOARD,
    "lbf": Role.LBF,
    "revisor": Role.AUDITOR,
}
DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password, demo users only


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not settings.DEMO_LOGIN_ALLOWED:
            return context  # the published password would be refused: do not publish it
        present = set(
            User.objects.filter(is_demo=True, username__in=DEMO_USERNAMES).values_list(
                "username", flat=True
            )
        )
        context["demo_logins"] = [
            (username, role.label)
            for username, role in DEMO_USERNAMES.items()
            if username in present
        ]
        context["demo_password"] = DEMO_PASSWORD
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password; the old one is asked, the validators apply."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _base_url(request: HttpRequest) -> str:
    """The address links in e-mails begin with, where settings.SITE_URL does not say."""
    return request.build_absolute_uri("/").rstrip("/")


def _actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


# Invitations: the link in the e-mail.


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens: a new user sets name and password; an existing
    user logs in and takes the role. An unknown link answers 404, a used, revoked or expired
    one 410, each with a page that says so; neither writes anything."""
    try:
        invitation = services.invitation_for_token(token)
        services.check_answerable(invitation)
    except ValidationError as exc:
        status = 404 if exc.code == "invalid_token" else 410
        return render(request, "accounts/invitation_invalid.html", {"error": exc}, status=status)
    existing = services.user_for_email(invitation.email)
    form = InvitationAcceptForm(request.POST or None) if existing is None else None
    if request.method == "POST" and (form is None or form.is_valid()):
        fields = form.cleaned_data if form is not None else {}
        try:
            membership = services.invitation_accept(
                token=token,
                user=request.user if request.user.is_authenticated else None,
                first_name=fields.get("first_name", ""),
                last_name=fields.get("last_name", ""),
                password=fields.get("password", ""),
            )
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect(request.path)
            add_service_errors(form, exc)
        else:
            plan_url = membership.plan.get_absolute_url()
            if request.user.is_authenticated and request.user.pk == membership.user_id:
                messages.success(request, _("Du har nu rollen på planen."))
                return redirect(plan_url)
            messages.success(request, _("Din bruger er oprettet. Log ind med din e-mailadresse."))
            return redirect(f"{reverse('login')}?{urlencode({'next': plan_url})}")
    context = {
        "invitation": invitation,
        "form": form,
        "existing": existing,
        "login_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "accounts/invitation_accept.html", context)


# The plan's users (the secretariat).


@plan_view("users.manage")
def plan_users(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    context = {
        "access": access,
        "nav": "users",
        "users": selectors.plan_users(access.plan),
        "invitations": selectors.plan_invitations(access.plan),
    }
    return render(request, "accounts/plan_users.html", context)


@plan_view("users.manage", post="users.manage")
def plan_user_invite(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = InvitationForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.user_invite(
                plan=access.plan,
                invited_by=_actor(request),
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Invitationen er sendt til %s.") % invitation.email)
            return redirect("accounts:plan_users", slug=access.plan.slug)
    cancel = reverse("accounts:plan_users", kwargs={"slug": access.plan.slug})
    return render(
        request,
        "accounts/simple_form.html",
        {
            "access": access,
            "nav": "users",
            "form": form,
            "cancel": cancel,
            "title": _("Inviter en bruger"),
        },
    )


@plan_view("users.manage", post="users.manage")
def plan_membership_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    """A coordinator's areas (the other roles have nothing to change but their removal)."""
    membership = get_object_or_404(
        Membership.objects.select_related("user", "plan"),
        plan=access.plan,
        pk=pk,
        role=Role.COORDINATOR,
    )
    form = MembershipAreasForm(
        request.POST if request.method == "POST" else None,  # no box ticked: an empty POST
        plan=access.plan,
        initial={"areas": list(membership.areas.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update_areas(
                membership=membership, areas=form.cleaned_data["areas"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Koordinatorens områder er gemt."))
            return redirect("accounts:plan_users", slug=access.plan.slug)
    cancel = reverse("accounts:plan_users", kwargs={"slug": access.plan.slug})
    title = _("Områder for %(user)s") % {"user": membership.user}
    return render(
        request,
        "accounts/simple_form.html",
        {"access": access, "nav": "users", "form": form, "cancel": cancel, "title": title},
    )


def _already_removed(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """A removal posted twice (a second click, the back button): nothing to do, say so. The
    page of a role that does not exist is 404."""
    if request.method != "POST":
        raise Http404
    messages.info(request, _("Rollen er allerede fjernet."))
    return redirect("accounts:plan_users", slug=access.plan.slug)


@plan_view("users.manage", post="users.manage")
def plan_membership_remove(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    membership = (
        Membership.objects.select_related("user", "plan").filter(plan=access.plan, pk=pk).first()
    )
    if membership is None:
        return _already_removed(request, access)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(user)s har ikke længere rollen %(role)s.")
                % {"user": membership.user, "role": membership.get_role_display()},
            )
        return redirect("accounts:plan_users", slug=access.plan.slug)
    return render(
        request,
        "accounts/confirm_remove.html",
        {"access": access, "nav": "users", "subject": membership.user, "roles": [membership]},
    )


@plan_view("users.manage", post="users.manage")
def plan_user_remove(request: HttpRequest, access: PlanAccess, user: int) -> HttpResponse:
    """Every role the user holds on the plan."""
    memberships = list(
        Membership.objects.filter(plan=access.plan, user_id=user).select_related("user")
    )
    if not memberships:
        return _already_removed(request, access)
    member = memberships[0].user
    if request.method == "POST":
        try:
            services.plan_user_remove(plan=access.plan, user=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(user)s har ikke længere roller på planen.") % {"user": member}
            )
        return redirect("accounts:plan_users", slug=access.plan.slug)
    return render(
        request,
        "accounts/confirm_remove.html",
        {"access": access, "nav": "users", "subject": member, "roles": memberships},
    )


def _invitation_action(request: HttpRequest, invitation: Invitation, action: str) -> None:
    try:
        if action == "revoke":
            services.invitation_revoke(invitation=invitation, by=_actor(request))
            messages.success(request, _("Invitationen til %s er tilbagekaldt.") % invitation.email)
        else:
            services.invitation_resend(
                invitation=invitation, by=_actor(request), base_url=_base_url(request)
            )
            messages.success(request, _("Invitationen er sendt igen til %s.") % invitation.email)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


@plan_view(None, post="users.manage")
def plan_invitation_revoke(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, plan=access.plan, pk=pk)
    _invitation_action(request, invitation, "revoke")
    return redirect("accounts:plan_users", slug=access.plan.slug)


@plan_view(None, post="users.manage")
def plan_invitation_resend(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, plan=access.plan, pk=pk)
    _invitation_action(request, invitation, "resend")
    return redirect("accounts:plan_users", slug=access.plan.slug)


# The installation's staff: every plan, every user.


@staff_view
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff/home.html", {"plans": selectors.staff_plans()})


@staff_view
def staff_plan_create(request: HttpRequest) -> HttpResponse:
    form = StaffPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.plan_create_with_invitation(
                invited_by=_actor(request),
                base_url=_base_url(request),
                secretariat_email=form.cleaned_data["secretariat_email"],
                **{k: v for k, v in form.cleaned_data.items() if k != "secretariat_email"},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Planen er oprettet, og invitationen er sendt til %s.") % invitation.email,
            )
            return redirect("accounts:staff_plan", slug=invitation.plan.slug)
    return render(
        request,
        "accounts/staff/form.html",
        {"form": form, "title": _("Ny plan"), "cancel": reverse("accounts:staff_home")},
    )


@staff_view
def staff_plan(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("municipality"), slug=slug)
    context = {
        "plan": plan,
        "framework": dict(catalogue.choices()).get(plan.framework, plan.framework),
        "users": selectors.plan_users(plan),
        "invitations": selectors.plan_invitations(plan),
    }
    return render(request, "accounts/staff/plan.html", context)


@staff_view
def staff_users(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return render(
        request,
        "accounts/staff/users.html",
        {"users": selectors.staff_users(query), "q": query},
    )


@staff_view
def staff_user_invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, initial={"plan": request.GET.get("plan")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            invitation = services.user_invite(
                invited_by=_actor(request), base_url=_base_url(request), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Invitationen er sendt til %s.") % invitation.email)
            return redirect("accounts:staff_plan", slug=invitation.plan.slug)
    return render(
        request,
        "accounts/staff/form.html",
        {"form": form, "title": _("Inviter en bruger"), "cancel": reverse("accounts:staff_users")},
    )


@staff_view
@require_POST
def staff_user_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        if active:
            services.user_reactivate(user=user, by=_actor(request))
            messages.success(request, _("%s kan logge ind igen.") % user)
        else:
            services.user_deactivate(user=user, by=_actor(request))
            messages.success(request, _("%s er deaktiveret og kan ikke logge ind.") % user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(
        f"{reverse('accounts:staff_users')}?{urlencode({'q': request.POST.get('q', '')})}"
    )


@staff_view
@require_POST
def staff_invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("plan"), pk=pk)
    _invitation_action(request, invitation, action)
    return redirect("accounts:staff_plan", slug=invitation.plan.slug)


@staff_view
@require_POST
def staff_membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff take a role on any plan (the plan's last secretariat role stays)."""
    membership = get_object_or_404(Membership.objects.select_related("user", "plan"), pk=pk)
    try:
        services.membership_remove(membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(user)s har ikke længere rollen %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display()},
        )
    return redirect("accounts:staff_plan", slug=membership.plan.slug)


# The user's own API tokens (outside any plan).


def _me_id(request: HttpRequest) -> int:
    return cast("int", request.user.pk)  # login_required: never None


def _api_tokens_page(
    request: HttpRequest, form: ApiTokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    tokens = ApiToken.objects.filter(user_id=_me_id(request)).order_by("-created_at", "-pk")
    context = {"form": form, "tokens": tokens, "secret": secret}
    return render(request, "accounts/api_tokens.html", context, status=status)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens, and a form for a new one (its secret shown once, here)."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.api_token_create(
                user=User.objects.get(pk=_me_id(request)), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Nøglen er lavet. Kopier den nu: den vises kun denne gang.")
            )
            # Rendered, not redirected: the secret exists only in this answer.
            return _api_tokens_page(request, ApiTokenForm(), secret=secret)
    return _api_tokens_page(request, form)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's answers 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user_id=_me_id(request))
    services.api_token_revoke(token=token)
    messages.success(request, _("Nøglen »%(name)s« er tilbagekaldt.") % {"name": token.name})
    return redirect("accounts:api_tokens")
