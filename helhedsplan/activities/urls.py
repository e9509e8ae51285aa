from django.urls import path

from helhedsplan.activities import views

app_name = "activities"

urlpatterns = [
    path("aktiviteter/", views.activity_list, name="list"),
    # Before <slug:activity>/: "ny" is no activity's slug (services.RESERVED_SLUGS).
    path("aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<slug:activity>/", views.activity_detail, name="detail"),
    path("aktiviteter/<slug:activity>/rediger/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<slug:activity>/afslut/", views.activity_end, name="activity_end"),
    path(
        "aktiviteter/<slug:activity>/evaluering/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path("evalueringer/<int:pk>/dokumentation/", views.evaluation_file, name="evaluation_file"),
    path("aktivitetsskema/", views.activity_plan_view, name="plan"),
    path("aktivitetsskema/indlaes/", views.activity_plan_import, name="plan_import"),
    path("aktivitetsskema/indstillinger/", views.delivery_settings, name="settings"),
    path("registreringer/", views.registration_list, name="registrations"),
    path("registreringer/ny/", views.registration_create, name="registration_create"),
    path("registreringer/<int:pk>/", views.registration_edit, name="registration_edit"),
    path("aktiviteter-og-succeskriterier/", views.criteria_support, name="criteria_support"),
    path("leverancemaaling/", views.delivery, name="delivery"),
    path("leverancemaaling/kvartaler/", views.quarters, name="quarters"),
]
