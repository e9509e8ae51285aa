from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditPackageConfig(AppConfig):
    name = "helhedsplan.auditpackage"
    label = "auditpackage"
    verbose_name = _("Revisionens dokumentation")
