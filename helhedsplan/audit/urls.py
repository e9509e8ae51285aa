from django.urls import path

from helhedsplan.audit import views

app_name = "audit"

urlpatterns = [
    path("revisionsspor/", views.plan_audit, name="plan"),
    path("revisionsspor/<int:ct>/<str:pk>/", views.object_audit, name="object"),
]
