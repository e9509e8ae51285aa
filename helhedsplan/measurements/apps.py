from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_catalogue(sender: AppConfig, **kwargs: Any) -> None:
    from helhedsplan.measurements.services import list_indicators_ensure

    list_indicators_ensure()


class MeasurementsConfig(AppConfig):
    name = "helhedsplan.measurements"
    label = "measurements"
    verbose_name = _("Centralt genererede målinger")

    def ready(self) -> None:
        # The list criteria's indicators after every migrate and flush (see
        # services.list_indicators_ensure).
        post_migrate.connect(_ensure_catalogue, sender=self)
