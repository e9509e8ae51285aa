"""The year's accounts against the budget as XLSX and CSV (``?aar=``): the rows the import
reads back (the plan's mapped columns) with the budget and the variance beside them."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.reports.exporters import INTERNAL, Exporter, register
from helhedsplan.reports.rows import Rows
from helhedsplan.spending.accounts_file import accounts_rows
from helhedsplan.spending.selectors import accounts_years


@register
class AccountsExporter(Exporter):
    """The accounts of a year per line and funding source: for the secretariat's work, the
    board and the auditor (re-importable while the year is open)."""

    identifier = "regnskab"
    title = _lazy("Regnskab")
    permission = "spending.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv")

    def resolve(self) -> None:
        self.year = accounts_years(self.plan).pick(self.params.get("aar", ""))

    def output(self) -> Rows:
        return accounts_rows(self.plan, self.year)

    def filename(self, fmt: str) -> str:
        return f"regnskab-{self.plan.slug}-{self.year}.{fmt}"
