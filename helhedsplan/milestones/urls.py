from django.urls import path  # noqa: F401

app_name = "milestones"

urlpatterns: list = []  # type: ignore[type-arg]
