from django.urls import path

from helhedsplan.reports import views

app_name = "reports"

urlpatterns = [
    path("eksport/<slug:exporter>.<slug:fmt>", views.export, name="export"),
]
