from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpendingConfig(AppConfig):
    name = "helhedsplan.spending"
    label = "spending"
    verbose_name = _("Regnskab")

    def ready(self) -> None:
        # The accounts' source of the due list registers itself (duties.lists.source).
        from helhedsplan.spending import duties  # noqa: F401
