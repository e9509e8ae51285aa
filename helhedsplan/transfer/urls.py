from django.urls import path

from helhedsplan.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.staff_import, name="staff_import"),
]
