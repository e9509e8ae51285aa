from django.urls import path  # noqa: F401

app_name = "national"

urlpatterns: list = []  # type: ignore[type-arg]
