from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from helhedsplan.accounts.models import Role, User

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
