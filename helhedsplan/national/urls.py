from django.urls import path

from helhedsplan.national import views

app_name = "national"

urlpatterns = [
    path("landsoversigt/", views.overview, name="overview"),
    path("landsoversigt/eksport.xlsx", views.overview_export, name="overview_export"),
    path("administration/landsoversigt/", views.staff_overview, name="staff_overview"),
]
