"""The user's own settings and calendar link (outside any plan), and the meeting invitation
(under /planer/<slug>/moeder/). One module, so all are in the ``notifications`` namespace."""

from django.urls import path

from helhedsplan.notifications import views

app_name = "notifications"

urlpatterns = [
    path("min-profil/", views.settings_page, name="settings"),
    path("min-profil/kalender/", views.calendar_link, name="calendar_link"),
    # The secret link a calendar client subscribes to: no login, the token is the key.
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "planer/<slug:slug>/moeder/<int:pk>/indkaldelse/",
        views.meeting_invite,
        name="meeting_invite",
    ),
]
