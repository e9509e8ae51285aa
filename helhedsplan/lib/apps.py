"""Project-wide mechanisms that need the app registry: the CPR guard on every model, and
every domain model's registration with the audit trail."""

from __future__ import annotations

from django.apps import AppConfig, apps


class LibConfig(AppConfig):
    name = "helhedsplan.lib"
    label = "helhedsplan_lib"
    verbose_name = "Helhedsplan lib"

    def ready(self) -> None:
        from helhedsplan.lib.cpr import install_model_guard
        from helhedsplan.lib.models import register_audited

        domain_models = [
            model
            for config in apps.get_app_configs()
            if config.name.startswith("helhedsplan.")
            for model in config.get_models()
        ]
        # Every model of every helhedsplan app, present and future: a new text field is
        # guarded without anyone remembering to add a validator.
        install_model_guard(domain_models)
        # The one place models join the audit trail, with the options each declares.
        register_audited(domain_models)
