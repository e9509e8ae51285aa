from django.urls import path

from helhedsplan.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("rediger/", views.plan_edit, name="edit"),
    path("ramme/", views.framework, name="framework"),
    path("afslut/", views.plan_close, name="close"),
    path("slutstatus/<int:pk>/", views.final_report_file, name="final_report"),
    path("omraader/<slug:area>/", views.area_detail, name="area"),
    path("indsatsomraader/<str:code>/", views.focus_area_detail, name="focus_area"),
    path("indsatsomraader/<str:code>/rediger/", views.focus_area_edit, name="focus_area_edit"),
]
