"""Installation-wide staff pages of the lists app (accounts.access.staff_view)."""

from django.urls import path  # noqa: F401

app_name = "lists_staff"

urlpatterns: list = []  # type: ignore[type-arg]
