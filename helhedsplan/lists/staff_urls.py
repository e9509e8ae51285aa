"""Installation-wide staff pages of the lists app (accounts.access.staff_view)."""

from django.urls import path

from helhedsplan.lists import staff_views as views

app_name = "lists_staff"

urlpatterns = [
    path("administration/lister/", views.staff_rule_sets, name="rule_sets"),
    path("administration/lister/landstal/", views.staff_thresholds, name="thresholds"),
]
