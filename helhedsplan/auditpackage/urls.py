from django.urls import path

from helhedsplan.auditpackage import views

app_name = "auditpackage"

urlpatterns = [
    path("revision/", views.year, name="year"),
]
