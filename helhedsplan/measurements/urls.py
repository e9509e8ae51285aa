from django.urls import path

from helhedsplan.measurements import views

app_name = "measurements"

urlpatterns = [
    path("maalinger/", views.values, name="values"),
    path("maalinger/importer/", views.import_page, name="import"),
    path("maalinger/indstillinger/", views.settings_page, name="settings"),
]
