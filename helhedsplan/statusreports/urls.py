from django.urls import path

from helhedsplan.statusreports import views

app_name = "statusreports"

urlpatterns = [
    path("statusrapporter/", views.report_list, name="list"),
    path("statusrapporter/<int:pk>/", views.report_detail, name="detail"),
]
