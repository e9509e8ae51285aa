from django.urls import path

from helhedsplan.duties import views

app_name = "duties"

urlpatterns = [
    path("det-skal-goeres/", views.duty_list, name="list"),
]
