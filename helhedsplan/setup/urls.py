from django.urls import path

from helhedsplan.setup import views

app_name = "setup"

urlpatterns = [
    path("opsaetning/", views.overview, name="overview"),
    path("opsaetning/plan/", views.details, name="details"),
    path("opsaetning/parter/", views.parties, name="parties"),
    path("opsaetning/parter/tilknyt/", views.party_link, name="party_link"),
    path("opsaetning/parter/<int:pk>/", views.party_edit, name="party_edit"),
    path("opsaetning/parter/<int:pk>/fjern/", views.party_unlink, name="party_unlink"),
    path("opsaetning/omraader/", views.areas, name="areas"),
    path("opsaetning/omraader/<slug:area>/", views.area_edit, name="area_edit"),
    path(
        "opsaetning/omraader/<slug:area>/afdelinger/",
        views.department_add,
        name="department_add",
    ),
    path(
        "opsaetning/omraader/<slug:area>/afdelinger/<int:pk>/fjern/",
        views.department_remove,
        name="department_remove",
    ),
    path("opsaetning/omraader/<slug:area>/delomraader/", views.sub_area_add, name="sub_area_add"),
    path(
        "opsaetning/omraader/<slug:area>/delomraader/<int:pk>/fjern/",
        views.sub_area_remove,
        name="sub_area_remove",
    ),
    path("opsaetning/omraader/<slug:area>/beboere/", views.population_set, name="population_set"),
    path("opsaetning/indsatsomraader/", views.focus_areas, name="focus_areas"),
    path(
        "opsaetning/indsatsomraader/<str:code>/ramme/",
        views.focus_area_framework,
        name="focus_area_framework",
    ),
]
