"""Users and roles: the invitation link, the plan's users page (under /planer/<slug>/) and
the staff's pages (/administration/). One module, so all are in the ``accounts`` namespace.

/administration/planer/importer/ is left free for the plan import (a staff page of its own).
"""

from django.urls import path

from helhedsplan.accounts import views

app_name = "accounts"

PLAN = "planer/<slug:slug>/brugere/"
STAFF = "administration/"

urlpatterns = [
    # The user's own API tokens (next to their settings, /min-profil/).
    path("min-profil/api-noegler/", views.api_tokens, name="api_tokens"),
    path(
        "min-profil/api-noegler/<int:pk>/tilbagekald/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(PLAN, views.plan_users, name="plan_users"),
    path(f"{PLAN}inviter/", views.plan_user_invite, name="plan_user_invite"),
    path(f"{PLAN}roller/<int:pk>/", views.plan_membership_edit, name="plan_membership_edit"),
    path(
        f"{PLAN}roller/<int:pk>/fjern/", views.plan_membership_remove, name="plan_membership_remove"
    ),
    path(f"{PLAN}bruger/<int:user>/fjern/", views.plan_user_remove, name="plan_user_remove"),
    path(
        f"{PLAN}invitationer/<int:pk>/tilbagekald/",
        views.plan_invitation_revoke,
        name="plan_invitation_revoke",
    ),
    path(
        f"{PLAN}invitationer/<int:pk>/gensend/",
        views.plan_invitation_resend,
        name="plan_invitation_resend",
    ),
    path(STAFF, views.staff_home, name="staff_home"),
    path(f"{STAFF}planer/ny/", views.staff_plan_create, name="staff_plan_create"),
    path(f"{STAFF}planer/<slug:slug>/oversigt/", views.staff_plan, name="staff_plan"),
    path(f"{STAFF}brugere/", views.staff_users, name="staff_users"),
    path(f"{STAFF}brugere/inviter/", views.staff_user_invite, name="staff_user_invite"),
    path(
        f"{STAFF}brugere/<int:pk>/deaktiver/",
        views.staff_user_active,
        {"active": False},
        name="staff_user_deactivate",
    ),
    path(
        f"{STAFF}brugere/<int:pk>/genaktiver/",
        views.staff_user_active,
        {"active": True},
        name="staff_user_reactivate",
    ),
    path(
        f"{STAFF}roller/<int:pk>/fjern/",
        views.staff_membership_remove,
        name="staff_membership_remove",
    ),
    path(
        f"{STAFF}invitationer/<int:pk>/tilbagekald/",
        views.staff_invitation_action,
        {"action": "revoke"},
        name="staff_invitation_revoke",
    ),
    path(
        f"{STAFF}invitationer/<int:pk>/gensend/",
        views.staff_invitation_action,
        {"action": "resend"},
        name="staff_invitation_resend",
    ),
]
