from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "helhedsplan.accounts"
    verbose_name = _("Brugere og roller")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from helhedsplan.lib.security import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="session_clock")
