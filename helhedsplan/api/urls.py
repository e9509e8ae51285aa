from django.urls import path

from helhedsplan.api import views

app_name = "api"

urlpatterns = [
    path("plans/<slug:slug>/scorecard", views.scorecard, name="scorecard"),
    path("plans/<slug:slug>/lists", views.lists, name="lists"),
]
