from django.urls import path

from helhedsplan.spending import views

app_name = "spending"

urlpatterns = [
    path("regnskab/", views.accounts, name="accounts"),
    path("regnskab/indlaes/", views.spending_import, name="import"),
    path("regnskab/kolonner/", views.accounts_columns, name="columns"),
    path("regnskab/<int:year>/forbrug/", views.spending_edit, name="edit"),
    path("regnskab/<int:year>/godkend/", views.accounts_close, name="close"),
    path("regnskab/<int:year>/rettelse/", views.correction_add, name="correction_add"),
    path("regnskab/<int:year>/erklaering/", views.auditor_statement, name="statement"),
]
