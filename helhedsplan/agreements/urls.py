from django.urls import path

from helhedsplan.agreements import views

app_name = "agreements"

urlpatterns = [
    path("aftale/", views.agreement_overview, name="overview"),
    path("aftale/ny-version/", views.version_create, name="version_create"),
    path("aftale/sammenlign/", views.version_compare, name="compare"),
    path("aftale/version/<int:number>/", views.version_detail, name="version"),
    path("aftale/version/<int:number>/indsend/", views.version_submit, name="version_submit"),
    path("aftale/version/<int:number>/afgoer/", views.version_decide, name="version_decide"),
    path("aftale/version/<int:number>/afsnit/<str:key>/", views.section_edit, name="section_edit"),
    path("aftale/version/<int:number>/lbf-brev/", views.lbf_letter, name="lbf_letter"),
    path("bilag/", views.attachments, name="attachments"),
    path("bilag/fil/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("delaftaler/<str:code>/", views.sub_agreement_detail, name="sub_agreement"),
    path("delaftaler/<str:code>/rediger/", views.sub_agreement_edit, name="sub_agreement_edit"),
    path(
        "delaftaler/<str:code>/<int:number>/indsend/",
        views.sub_agreement_submit,
        name="sub_agreement_submit",
    ),
    path(
        "delaftaler/<str:code>/<int:number>/afgoer/",
        views.sub_agreement_decide,
        name="sub_agreement_decide",
    ),
    path(
        "delaftaler/<str:code>/<int:number>/gennemgaaet/",
        views.sub_agreement_reviewed,
        name="sub_agreement_reviewed",
    ),
]
