from django.urls import path

from helhedsplan.lists import views

app_name = "lists"

urlpatterns = [
    path("lister/", views.overview, name="overview"),
]
