from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpendingConfig(AppConfig):
    name = "helhedsplan.spending"
    label = "spending"
    verbose_name = _("Regnskab")
