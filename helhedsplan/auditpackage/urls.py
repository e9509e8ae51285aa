from django.urls import path  # noqa: F401

app_name = "auditpackage"

urlpatterns: list = []  # type: ignore[type-arg]
