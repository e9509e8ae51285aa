from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "helhedsplan.criteria"
    verbose_name = _("Succeskriterier")
