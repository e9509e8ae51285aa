"""Changing the accounts: registering a year's spending, the XLSX column mapping, closing a
year with the auditor's statement, and correcting a closed year with a reason.

A closed year (one with an ``AccountsClosing``) is never edited: registering or importing
spending for it is refused (code ``year_closed``); it changes only by a correction. There is
no reopening: an approved year stays approved (a wrong figure is corrected, with a reason,
and the correction is in the audit trail and on the accounts page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helhedsplan.audit.context import audit_reason
from helhedsplan.files.services import stored_file_create
from helhedsplan.finance.models import (
    DEFAULT_ACCOUNTS_COLUMNS,
    BudgetLine,
    FinanceSettings,
    FundingSource,
)

# The plan's XLSX settings have one reader, finance's (re-exported for the accounts' code).
from helhedsplan.finance.services import finance_settings_for as finance_settings_for
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.plans.models import Plan
from helhedsplan.spending.models import AccountsClosing, ActualSpending, SpendingCorrection

# What each logical column of the accounts XLSX holds (the form's labels).
ACCOUNTS_COLUMN_LABELS = {
    "line": gettext_lazy("budgetpost"),
    "year": gettext_lazy("år"),
    "source": gettext_lazy("finansieringskilde"),
    "amount": gettext_lazy("forbrug i kroner"),
}


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def lock_plan(plan: Plan) -> None:
    """Serialise the writes of one plan's accounts (a closing and a registration at once)."""
    Plan.objects.select_for_update().filter(pk=plan.pk).order_by().exists()


def is_closed(plan: Plan, year: int) -> bool:
    return AccountsClosing.objects.filter(plan=plan, year=year).exists()


def closed_message(year: int) -> str:
    return _(
        "Regnskabet for %(year)s er godkendt, og året er lukket: forbruget ændres ikke. "
        "Ret det med en rettelse med begrundelse. Intet er gemt."
    ) % {"year": year}


def _check_year(plan: Plan, year: int) -> None:
    if year not in plan.years:
        raise ValidationError(
            _("%(year)s ligger uden for planens periode (%(first)s-%(last)s). Intet er gemt.")
            % {"year": year, "first": plan.start_date.year, "last": plan.end_date.year},
            code="year_outside_plan",
        )


# --- the column mapping ---------------------------------------------------------------------


def accounts_header(settings: FinanceSettings, key: str) -> str:
    """The header text of a logical column of the accounts XLSX for the plan."""
    return str((settings.accounts_columns or {}).get(key) or DEFAULT_ACCOUNTS_COLUMNS[key])


def accounts_columns_version(settings: FinanceSettings) -> str:
    return concurrency.version_of(settings if settings.pk else None, fields=["accounts_columns"])


@transaction.atomic
def accounts_columns_update(
    *, plan: Plan, columns: Mapping[str, str], version: str | None = None
) -> FinanceSettings:
    """Set the header texts of the accounts XLSX; the settings are made on first use.

    Codes: unknown_column, empty_header, duplicate_header, and stale_edit when the mapping
    changed since the form was opened at ``version`` (``concurrency.NEW`` while only the
    defaults exist)."""
    stored = FinanceSettings.objects.select_for_update().filter(plan=plan).order_by().first()
    concurrency.check(
        concurrency.snapshot(stored, fields=["accounts_columns"]) if stored else None,
        version,
        what=_("Kolonneoverskrifterne i regnskabet"),
    )
    if set(columns) - set(DEFAULT_ACCOUNTS_COLUMNS):
        raise ValidationError(_("Ukendt kolonne."), code="unknown_column")
    mapping = {key: str(columns.get(key, "")).strip() for key in DEFAULT_ACCOUNTS_COLUMNS}
    for key, header in mapping.items():
        if not header:
            raise ValidationError(
                {
                    f"col_{key}": ValidationError(
                        _("Kolonnen for %(column)s skal have en overskrift.")
                        % {"column": ACCOUNTS_COLUMN_LABELS[key]},
                        code="empty_header",
                    )
                }
            )
    lowered = [h.casefold() for h in mapping.values()]
    if len(set(lowered)) != len(lowered):
        raise ValidationError(
            _("To kolonner har samme overskrift. Intet er gemt."), code="duplicate_header"
        )
    settings = stored or FinanceSettings(plan=plan)
    if settings.pk and settings.accounts_columns == mapping:
        return settings
    settings.accounts_columns = mapping
    settings.full_clean()
    settings.save()
    return settings


# --- registering a year's spending ----------------------------------------------------------


def _cell_label(row: ActualSpending) -> str:
    return f"{row.line.name}, {row.source.name}"


def _spending_parts(rows: Iterable[ActualSpending]) -> list[concurrency.Part]:
    return concurrency.snapshot_many(
        rows, label=_cell_label, what_rows=_("de registrerede beløb"), fields=["amount"]
    )


def spending_version(rows: Iterable[ActualSpending]) -> str:
    """The token of a year's registered spending (``selectors.spending_cells``' values)."""
    return concurrency.token(_spending_parts(rows))


@transaction.atomic
def spending_amounts_set(
    *,
    plan: Plan,
    year: int,
    cells: Mapping[tuple[int, int], Decimal | None],
    version: str | None = None,
    user: Any = None,
) -> int:
    """Set the spending of ``year`` per (line id, source id), in kroner; all or nothing.

    ``None`` removes a cell's registration; cells not given are kept. Returns how many
    cells changed. Codes: year_outside_plan, year_closed (the year's accounts are
    approved: correct them instead), unknown_cell (a line or source not the plan's),
    negative_amount (negative amounts are corrections only), stale_edit.
    """
    lock_plan(plan)
    _check_year(plan, year)
    existing = {
        (r.line_id, r.source_id): r
        for r in ActualSpending.objects.select_for_update(of=("self",))
        .filter(line__plan=plan, year=year)
        .select_related("line", "source")
        .order_by()
    }
    concurrency.check(
        _spending_parts(existing.values()),
        version,
        what=_("Regnskabet for %(year)s") % {"year": year},
    )
    if is_closed(plan, year):
        raise ValidationError(closed_message(year), code="year_closed")
    lines = {line.pk: line for line in BudgetLine.objects.filter(plan=plan)}
    sources = {source.pk: source for source in FundingSource.objects.filter(plan=plan)}
    for (line_id, source_id), amount in cells.items():
        if line_id not in lines or source_id not in sources:
            raise ValidationError(
                _("Ukendt budgetpost eller finansieringskilde. Intet er gemt."),
                code="unknown_cell",
            )
        if amount is not None and amount < 0:
            raise ValidationError(
                _(
                    "Forbruget for %(line)s, %(source)s må ikke være negativt (%(amount)s kr.). "
                    "Negative beløb er rettelser af et godkendt år. Intet er gemt."
                )
                % {
                    "line": lines[line_id].name,
                    "source": sources[source_id].name,
                    "amount": fmt_number(amount),
                },
                code="negative_amount",
            )
    return _write(existing, cells, year, _actor(user))


def _write(
    existing: dict[tuple[int, int], ActualSpending],
    cells: Mapping[tuple[int, int], Decimal | None],
    year: int,
    actor: Any,
) -> int:
    changed = 0
    now = timezone.now()
    for (line_id, source_id), amount in cells.items():
        found = existing.get((line_id, source_id))
        if amount is None:
            if found is not None:
                found.delete()
                changed += 1
            continue
        if found is not None and found.amount == amount:
            continue
        row = found or ActualSpending(line_id=line_id, source_id=source_id, year=year)
        row.amount, row.registered_by, row.registered_at = amount, actor, now
        row.full_clean(validate_constraints=False)
        row.save()
        changed += 1
    return changed


# --- closing a year -------------------------------------------------------------------------


@transaction.atomic
def accounts_close(
    *,
    plan: Plan,
    year: int,
    statement: UploadedFile | None,
    note: str = "",
    user: Any = None,
    today: date | None = None,
) -> AccountsClosing:
    """Approve the accounts of ``year`` with the auditor's statement (a PDF): the year is
    closed. Codes: year_outside_plan, year_not_ended, already_closed, statement_missing,
    and the files module's (file_type_not_allowed for anything but a PDF, ...)."""
    today = today or timezone.localdate()
    lock_plan(plan)
    _check_year(plan, year)
    if year >= today.year:
        raise ValidationError(
            _(
                "Regnskabsåret %(year)s er ikke slut; regnskabet kan godkendes fra 1. januar "
                "%(next)s. Intet er gemt."
            )
            % {"year": year, "next": year + 1},
            code="year_not_ended",
        )
    if is_closed(plan, year):
        raise ValidationError(
            _("Regnskabet for %(year)s er allerede godkendt.") % {"year": year},
            code="already_closed",
        )
    if statement is None:
        raise ValidationError(
            {
                "statement": ValidationError(
                    _("Vedlæg revisors erklæring som PDF."), code="statement_missing"
                )
            }
        )
    actor = _actor(user)
    closing = AccountsClosing(plan=plan, year=year, approved_by=actor, note=note.strip())
    closing.full_clean(exclude=["auditor_statement"])
    try:
        stored = stored_file_create(plan=plan, upload=statement, allowed={"pdf"}, actor=actor)
    except ValidationError as exc:
        raise ValidationError({"statement": exc.error_list}) from None
    closing.auditor_statement = stored
    closing.full_clean()
    closing.save()
    return closing


# --- correcting a closed year ---------------------------------------------------------------


@transaction.atomic
def spending_correction_add(
    *,
    plan: Plan,
    line: BudgetLine,
    source: FundingSource,
    year: int,
    amount: Decimal,
    reason: str,
    user: Any = None,
) -> SpendingCorrection:
    """Correct a closed year's spending on one line and source by ``amount`` (kroner; may be
    negative, not zero), with the reason, which the audit entry carries.

    Codes: unknown_cell, year_outside_plan, year_open (the year is not closed: register the
    spending instead), zero_amount, reason_required, negative_result (the line and source
    would have spent less than nothing)."""
    lock_plan(plan)
    if line.plan_id != plan.pk or source.plan_id != plan.pk:
        raise ValidationError(
            _("Ukendt budgetpost eller finansieringskilde. Intet er gemt."), code="unknown_cell"
        )
    _check_year(plan, year)
    if not is_closed(plan, year):
        raise ValidationError(
            _(
                "Regnskabet for %(year)s er ikke godkendt: ret forbruget, hvor det registreres. "
                "Rettelser med begrundelse gælder kun godkendte år. Intet er gemt."
            )
            % {"year": year},
            code="year_open",
        )
    errors: dict[str, ValidationError] = {}
    if amount == 0:
        errors["amount"] = ValidationError(
            _("En rettelse skal ændre forbruget: beløbet må ikke være 0."), code="zero_amount"
        )
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ValidationError(
            _("Skriv begrundelsen for rettelsen."), code="reason_required"
        )
    if errors:
        raise ValidationError(errors)
    registered = (
        ActualSpending.objects.filter(line=line, source=source, year=year)
        .values_list("amount", flat=True)
        .first()
    ) or Decimal(0)
    earlier = sum(
        SpendingCorrection.objects.filter(
            plan=plan, line=line, source=source, year=year
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    result = registered + earlier + amount
    if result < 0:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _(
                        "Rettelsen gør forbruget for %(line)s, %(source)s i %(year)s negativt "
                        "(%(result)s kr.). Intet er gemt."
                    )
                    % {
                        "line": line.name,
                        "source": source.name,
                        "year": year,
                        "result": fmt_number(result),
                    },
                    code="negative_result",
                )
            }
        )
    correction = SpendingCorrection(
        plan=plan,
        line=line,
        source=source,
        year=year,
        amount=amount,
        reason=reason,
        corrected_by=_actor(user),
    )
    with audit_reason(reason):
        correction.full_clean()
        correction.save()
    return correction
