from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "helhedsplan.agreements"
    verbose_name = _("Aftaler")

    def ready(self) -> None:
        from helhedsplan.agreements import contributions

        contributions.install()
