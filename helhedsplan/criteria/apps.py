from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "helhedsplan.criteria"
    verbose_name = _("Succeskriterier")

    def ready(self) -> None:
        from helhedsplan.criteria import pages  # noqa: F401 (registers the scorecard's grid)
