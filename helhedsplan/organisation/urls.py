from django.urls import path

from helhedsplan.organisation import views

app_name = "organisation"

urlpatterns = [
    path("organisation/", views.overview, name="overview"),
    path("organisation/organer/<slug:body>/", views.body_detail, name="body"),
    path(
        "organisation/organer/<slug:body>/medlemmer/nyt/",
        views.membership_create,
        name="membership_create",
    ),
    path("organisation/medlemskaber/<int:pk>/afslut/", views.membership_end, name="membership_end"),
    path("organisation/personer/ny/", views.person_create, name="person_create"),
    path("organisation/personer/<int:pk>/rediger/", views.person_edit, name="person_edit"),
    path("organisation/diagram/", views.chart_page, name="chart"),
    path("organisation/fra-ramme/", views.from_framework, name="from_framework"),
]
