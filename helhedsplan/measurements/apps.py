from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "helhedsplan.measurements"
    label = "measurements"
    verbose_name = _("Centralt genererede målinger")
