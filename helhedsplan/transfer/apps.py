from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "helhedsplan.transfer"
    label = "transfer"
    verbose_name = "Eksport og import af planer"
