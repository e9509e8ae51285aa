from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "helhedsplan.lists"
    label = "lists"
    verbose_name = _("Regeringens lister over udsatte boligområder")

    def ready(self) -> None:
        from helhedsplan.lists import checks  # noqa: F401  (registers the rule-set check)
