from django.urls import path

from helhedsplan.finance import views

app_name = "finance"

urlpatterns = [
    path("finansiering/", views.funding_edit, name="funding_edit"),
    path("finansiering/ny-kilde/", views.funding_source_add, name="funding_source_add"),
    path("finansiering/<int:pk>/fjern/", views.funding_source_remove, name="funding_source_remove"),
]
