from django.urls import path

from helhedsplan.duties import views

app_name = "duties"

urlpatterns = [
    path("det-skal-goeres/", views.duty_list, name="list"),
    path("det-skal-goeres/udfoert/", views.duty_mark_done, name="mark_done"),
]
