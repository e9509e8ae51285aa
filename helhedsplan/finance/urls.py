from django.urls import path

from helhedsplan.finance import views

app_name = "finance"

urlpatterns = [
    path("finansiering/", views.funding_edit, name="funding_edit"),
]
