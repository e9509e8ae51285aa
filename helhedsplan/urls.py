from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from helhedsplan.accounts.views import LoginView, PasswordChangeDoneView, PasswordChangeView
from helhedsplan.plans import views as plan_views

plan_patterns = [
    path("", include("helhedsplan.plans.urls")),
    path("", include("helhedsplan.finance.urls")),
    path("", include("helhedsplan.audit.urls")),
    path("", include("helhedsplan.criteria.urls")),
    path("", include("helhedsplan.organisation.urls")),
    path("", include("helhedsplan.meetings.urls")),
    path("", include("helhedsplan.activities.urls")),
    path("", include("helhedsplan.agreements.urls")),
    path("", include("helhedsplan.reports.urls")),
    path("", include("helhedsplan.setup.urls")),
    path("", include("helhedsplan.statusreports.urls")),
    path("", include("helhedsplan.duties.urls")),
    path("", include("helhedsplan.spending.urls")),
    path("", include("helhedsplan.milestones.urls")),
    path("", include("helhedsplan.programmeevaluations.urls")),
    path("", include("helhedsplan.auditpackage.urls")),
    path("", include("helhedsplan.measurements.urls")),
    path("", include("helhedsplan.lists.urls")),
]

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("adgangskode/", PasswordChangeView.as_view(), name="password_change"),
    path("adgangskode/skiftet/", PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("administration/planer/importer/", include("helhedsplan.transfer.urls")),
    path("planer/<slug:slug>/", include(plan_patterns)),
    # The plan's users page (under /planer/<slug>/brugere/), the invitation link and the
    # staff pages (/administration/), in one namespace.
    path("", include("helhedsplan.accounts.urls")),
    # The user's own settings and calendar link, and the meeting invitation.
    path("", include("helhedsplan.notifications.urls")),
    # Installation-wide staff pages (accounts.access.staff_view).
    path(
        "administration/planer/<slug:slug>/genaabn/",
        plan_views.staff_reopen,
        name="staff_plan_reopen",
    ),
    path("api/v1/", include("helhedsplan.api.urls")),
    # Installation-wide pages of the national picture: the indicator catalogue and the
    # national figures of the lists (staff), LBF's national overview and the staff's view.
    path("", include("helhedsplan.measurements.staff_urls")),
    path("", include("helhedsplan.lists.staff_urls")),
    path("", include("helhedsplan.national.urls")),
]
