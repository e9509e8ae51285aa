from django.urls import path

from helhedsplan.lists import vision_views

app_name = "lists"

urlpatterns = [
    path("lister/vision/", vision_views.vision_settings, name="vision"),
]
