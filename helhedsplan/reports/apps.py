from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "helhedsplan.reports"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        # Each app's exports.py registers its exporters (reports.exporters.registry).
        autodiscover_modules("exports")
