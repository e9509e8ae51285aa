"""Project-wide mechanisms that need the app registry: the CPR guard on every model, and
every domain model's registration with the audit trail; and on PostgreSQL the list dumper
of ``lib.postgres`` on every connection."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.db.backends.signals import connection_created


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
        connection_created.connect(_on_postgresql_lists, dispatch_uid="lib.postgres")


def _on_postgresql_lists(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        from helhedsplan.lib.postgres import install

        install(connection.connection.adapters)
