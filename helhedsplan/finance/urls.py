from django.urls import path

from helhedsplan.finance import views

app_name = "finance"

urlpatterns = [
    path("finansiering/", views.funding_edit, name="funding_edit"),
    path("finansiering/ny-kilde/", views.funding_source_add, name="funding_source_add"),
    path("finansiering/<int:pk>/fjern/", views.funding_source_remove, name="funding_source_remove"),
    path("budget/", views.budget, name="budget"),
    path("budget/rediger/", views.budget_edit, name="budget_edit"),
    path("budget/poster/", views.budget_lines, name="budget_lines"),
    path("budget/poster/<int:pk>/", views.budget_line_edit, name="budget_line_edit"),
    path("budget/poster/<int:pk>/flyt/", views.budget_line_move, name="budget_line_move"),
    path("budget/poster/<int:pk>/fjern/", views.budget_line_remove, name="budget_line_remove"),
    path("budget/indlaes/", views.budget_import, name="budget_import"),
    path("budget/indstillinger/", views.budget_settings, name="budget_settings"),
]
