from django.urls import path

from helhedsplan.programmeevaluations import views

app_name = "programmeevaluations"

E = "helhedsevaluering/<int:pk>/"

urlpatterns = [
    path("helhedsevaluering/", views.evaluation_list, name="list"),
    path("helhedsevaluering/ny/", views.evaluation_create, name="create"),
    path(E, views.evaluation_detail, name="detail"),
    path(f"{E}rediger/", views.evaluation_edit, name="edit"),
    path(f"{E}rapport/", views.report_upload, name="report_upload"),
    path(f"{E}rapport/fil/", views.report_file, name="report_file"),
    path(f"{E}spoergsmaal/ny/", views.question_add, name="question_add"),
    path(f"{E}spoergsmaal/<int:item>/", views.question_edit, name="question_edit"),
    path(f"{E}spoergsmaal/<int:item>/fjern/", views.question_remove, name="question_remove"),
    path(f"{E}resultater/ny/", views.finding_add, name="finding_add"),
    path(f"{E}resultater/<int:item>/", views.finding_edit, name="finding_edit"),
    path(f"{E}resultater/<int:item>/fjern/", views.finding_remove, name="finding_remove"),
    path(f"{E}resultater/<int:item>/opfoelgning/", views.follow_up_add, name="follow_up_add"),
    path(f"{E}opfoelgning/<int:item>/fjern/", views.follow_up_remove, name="follow_up_remove"),
]
