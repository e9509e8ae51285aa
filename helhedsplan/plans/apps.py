from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "helhedsplan.plans"
    verbose_name = _("Helhedsplaner")

    def ready(self) -> None:
        from helhedsplan.plans import closing, fragments

        fragments.connect()

        # A closed plan is read-only at the data layer (plans.closing): every audited model
        # of every helhedsplan app, present and future.
        closing.install(
            [
                model
                for config in apps.get_app_configs()
                if config.name.startswith("helhedsplan.")
                for model in config.get_models()
            ]
        )
