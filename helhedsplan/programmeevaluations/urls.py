from django.urls import path  # noqa: F401

app_name = "programmeevaluations"

urlpatterns: list = []  # type: ignore[type-arg]
