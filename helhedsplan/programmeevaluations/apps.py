from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeEvaluationsConfig(AppConfig):
    name = "helhedsplan.programmeevaluations"
    label = "programmeevaluations"
    verbose_name = _("Helhedsevalueringer")

    def ready(self) -> None:
        # The due list's source of the programme evaluations registers itself.
        from helhedsplan.programmeevaluations import duties  # noqa: F401
