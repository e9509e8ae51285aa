from django.urls import path  # noqa: F401

app_name = "spending"

urlpatterns: list = []  # type: ignore[type-arg]
