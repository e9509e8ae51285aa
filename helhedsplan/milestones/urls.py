from django.urls import path

from helhedsplan.milestones import views

app_name = "milestones"

urlpatterns = [
    path("milepaele/", views.milestone_list, name="list"),
    path("milepaele/<int:pk>/rediger/", views.milestone_edit, name="edit"),
    path("milepaele/<int:pk>/naaet/", views.milestone_mark_done, name="mark_done"),
    path("milepaele/<int:pk>/slet/", views.milestone_delete, name="delete"),
]
