from django.urls import path

from helhedsplan.lists import views, vision_views

app_name = "lists"

urlpatterns = [
    path("lister/", views.overview, name="overview"),
    path("lister/vision/", vision_views.vision_settings, name="vision"),
]
