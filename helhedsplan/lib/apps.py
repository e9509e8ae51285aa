"""Project-wide mechanisms that need the app registry: the CPR guard on every model."""

from __future__ import annotations

from django.apps import AppConfig, apps


class LibConfig(AppConfig):
    name = "helhedsplan.lib"
    label = "helhedsplan_lib"
    verbose_name = "Helhedsplan lib"

    def ready(self) -> None:
        from helhedsplan.lib.cpr import install_model_guard

        # Every model of every helhedsplan app, present and future: a new text field is
        # guarded without anyone remembering to add a validator.
        install_model_guard(
            model
            for config in apps.get_app_configs()
            if config.name.startswith("helhedsplan.")
            for model in config.get_models()
        )
