from django.urls import path

from helhedsplan.meetings import views

app_name = "meetings"

urlpatterns = [
    path("moeder/", views.meeting_list, name="list"),
    path("moeder/kalender/", views.calendar, name="calendar"),
    path("moeder/nyt/", views.meeting_create, name="create"),
    path("moeder/<int:pk>/", views.meeting_detail, name="detail"),
    path("moeder/<int:pk>/rediger/", views.meeting_edit, name="edit"),
    path("moeder/<int:pk>/referat/upload/", views.minutes_upload, name="minutes_upload"),
    path("moeder/<int:pk>/referat/fil/", views.minutes_file, name="minutes_file"),
    path("moeder/<int:pk>/beslutninger/ny/", views.decision_create, name="decision_create"),
    path("moeder/<int:pk>/vurdering/", views.assessment, name="assessment"),
    path("underretninger/", views.notices, name="notices"),
    path("underretninger/ny/", views.notice_create, name="notice_create"),
    path("konflikter/", views.disputes, name="disputes"),
    path("konflikter/ny/", views.dispute_create, name="dispute_create"),
    path("konflikter/<int:pk>/", views.dispute_detail, name="dispute"),
    path("konflikter/<int:pk>/haandtering/", views.dispute_handle, name="dispute_handle"),
    path("konflikter/<int:pk>/bestyrelsen/", views.dispute_escalate, name="dispute_escalate"),
    path("konflikter/<int:pk>/afgoerelse/", views.dispute_decide, name="dispute_decide"),
]
