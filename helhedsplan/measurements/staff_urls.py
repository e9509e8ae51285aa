"""Installation-wide staff pages of the measurements app (accounts.access.staff_view)."""

from django.urls import path

from helhedsplan.measurements import staff_views

app_name = "measurements_staff"

STAFF = "administration/indikatorer/"

urlpatterns = [
    path(STAFF, staff_views.indicator_list, name="indicators"),
    path(f"{STAFF}ny/", staff_views.indicator_create, name="indicator_create"),
    path(f"{STAFF}<int:pk>/rediger/", staff_views.indicator_edit, name="indicator_edit"),
    path(f"{STAFF}<int:pk>/slet/", staff_views.indicator_delete, name="indicator_delete"),
]
