"""Installation-wide staff pages of the measurements app (accounts.access.staff_view)."""

from django.urls import path  # noqa: F401

app_name = "measurements_staff"

urlpatterns: list = []  # type: ignore[type-arg]
