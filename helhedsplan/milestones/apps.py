from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    name = "helhedsplan.milestones"
    label = "milestones"
    verbose_name = _("Milepæle")

    def ready(self) -> None:
        # Registers the milestones' source of "Det skal gøres" (duties.lists.source).
        from helhedsplan.milestones import due  # noqa: F401
