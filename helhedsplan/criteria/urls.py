from django.urls import path

from helhedsplan.criteria import views

app_name = "criteria"

urlpatterns = [
    path("succeskriterier/", views.scorecard, name="scorecard"),
    path("succeskriterier/import/", views.observation_import, name="import"),
    path("succeskriterier/godkendelser/", views.approvals, name="approvals"),
    path(
        "succeskriterier/observationer/<int:pk>/godkend/",
        views.observation_approve,
        name="approve",
    ),
    path(
        "succeskriterier/observationer/<int:pk>/returner/",
        views.observation_return,
        name="return",
    ),
    path("succeskriterier/maalinger/", views.measures, name="measures"),
    path("succeskriterier/maalinger/ny/", views.measure_create, name="measure_create"),
    path(
        "succeskriterier/maalinger/<slug:measure>/rediger/",
        views.measure_edit,
        name="measure_edit",
    ),
    # Before <str:code>/: "ny" is no criterion's code (services.RESERVED_CODES).
    path("succeskriterier/ny/", views.criterion_create, name="criterion_create"),
    path("succeskriterier/<str:code>/", views.criterion_detail, name="criterion"),
    path("succeskriterier/<str:code>/registrer/", views.observation_new, name="observation_new"),
    path("succeskriterier/<str:code>/maal/nyt/", views.target_create, name="target_create"),
    path(
        "succeskriterier/<str:code>/maal/saetning/", views.target_sentence, name="target_sentence"
    ),
    path("succeskriterier/<str:code>/maal/<int:pk>/", views.target_edit, name="target_edit"),
    path("succeskriterier/<str:code>/maal/<int:pk>/afslut/", views.target_end, name="target_end"),
    path(
        "succeskriterier/<str:code>/maal/<int:pk>/nulpunkt/",
        views.target_set_from_baseline,
        name="target_set_baseline",
    ),
]
