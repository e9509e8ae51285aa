"""Changing the money. Every change is checked against LBF's rule before it is written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.finance.models import (
    DEFAULT_ACCOUNTS_COLUMNS,
    DEFAULT_BUDGET_COLUMNS,
    BudgetAmount,
    BudgetLine,
    FinanceSettings,
    FundingSource,
    Party,
)
from helhedsplan.finance.rules import MIN_LOCAL_SHARE, FundingSummary
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_number, fmt_percent
from helhedsplan.plans.models import FocusArea, Plan


def _check_rule(summary: FundingSummary) -> None:
    if summary.meets_minimum:
        return
    share = summary.local_share
    raise ValidationError(
        _(
            "Den lokale medfinansiering skal udgøre mindst %(minimum)s af det samlede "
            "budget (Landsbyggefondens krav). Med disse beløb er den %(share)s "
            "(%(local)s af %(total)s t.kr.). Intet er gemt."
        )
        % {
            "minimum": fmt_percent(MIN_LOCAL_SHARE, 0),
            "share": fmt_percent(share) if share is not None else "0\u00a0%",
            "local": fmt_number(summary.local),
            "total": fmt_number(summary.total),
        },
        code="local_share_below_minimum",
    )


def funding_version(sources: Iterable[FundingSource]) -> str:
    """The token of the plan's funding sources, as the funding form carries it."""
    return concurrency.token(_funding_parts(sources))


def _funding_parts(sources: Iterable[FundingSource]) -> list[concurrency.Part]:
    return concurrency.snapshot_many(
        sources, label=lambda s: s.name, what_rows=_("finansieringskilderne")
    )


@transaction.atomic
def funding_amounts_set(
    *,
    plan: Plan,
    amounts: dict[int, Decimal],
    version: str | None = None,
    parties: Mapping[int, tuple[str, int | None]] | None = None,
) -> list[FundingSource]:
    """Set the amounts of the plan's funding sources (by id), all or nothing, and (given
    ``parties``: id -> (party, housing organisation id or None)) who pays each.

    Raises ValidationError (code ``local_share_below_minimum``) when the result breaks the
    25 % rule, ``unknown_source`` for an id that is not one of the plan's sources, the
    party codes of ``_set_party``, and ``stale_edit`` when the sources changed since the
    form was opened at ``version``.
    """
    sources = {
        s.pk: s for s in FundingSource.objects.select_for_update().filter(plan=plan).order_by()
    }
    concurrency.check(_funding_parts(sources.values()), version, what=_("Finansieringen"))
    parties = parties or {}
    unknown = (set(amounts) | set(parties)) - set(sources)
    if unknown:
        raise ValidationError(_("Ukendt finansieringskilde."), code="unknown_source")
    before = {pk: _funding_state(source) for pk, source in sources.items()}
    for pk, (party, organisation_id) in parties.items():
        _set_party(sources[pk], party, organisation_id)
    for pk, amount in amounts.items():
        if amount < 0:
            raise ValidationError(
                _("Beløbet for %(name)s må ikke være negativt.") % {"name": sources[pk].name},
                code="negative_amount",
            )
        sources[pk].amount_tkr = amount
    _check_rule(_summarise(sources.values()))
    changed = [s for s in sources.values() if _funding_state(s) != before[s.pk]]
    for source in changed:
        source.full_clean()
        source.save(update_fields=["amount_tkr", "party", "housing_organisation"])
    return changed


def _funding_state(source: FundingSource) -> tuple[Any, ...]:
    return (source.kind, source.amount_tkr, source.order, source.party,
            source.housing_organisation_id)  # fmt: skip


# Which parties may pay a source of each kind: LBF's grant is LBF's; the local
# co-financing is the municipality's or a housing organisation's. "Unspecified" fits both
# (the seed names only "Lokal medfinansiering").
PARTIES_OF_KIND: dict[str, frozenset[str]] = {
    FundingSource.Kind.LBF: frozenset({Party.LBF, Party.UNSPECIFIED}),
    FundingSource.Kind.LOCAL: frozenset(
        {Party.MUNICIPALITY, Party.HOUSING_ORGANISATION, Party.UNSPECIFIED}
    ),
}


def _set_party(source: FundingSource, party: str, organisation_id: int | None) -> None:
    """Set who pays ``source``. Codes: unknown_party, party_kind_mismatch (LBF's grant paid
    by the municipality), organisation_required, organisation_not_in_plan."""
    if party not in Party.values:
        raise ValidationError(
            _("Ukendt part for %(name)s.") % {"name": source.name}, code="unknown_party"
        )
    if party not in PARTIES_OF_KIND[source.kind]:
        raise ValidationError(
            _("%(name)s er %(kind)s og kan ikke betales af %(party)s.")
            % {
                "name": source.name,
                "kind": str(source.get_kind_display()).lower(),
                "party": str(Party(party).label).lower(),
            },
            code="party_kind_mismatch",
        )
    if party != Party.HOUSING_ORGANISATION:
        organisation_id = None
    elif organisation_id is None:
        raise ValidationError(
            _("Vælg hvilken boligorganisation der betaler %(name)s.") % {"name": source.name},
            code="organisation_required",
        )
    elif not source.plan.housing_organisations.filter(pk=organisation_id).exists():
        raise ValidationError(
            _("Boligorganisationen bag %(name)s er ikke part i planen.") % {"name": source.name},
            code="organisation_not_in_plan",
        )
    source.party, source.housing_organisation_id = party, organisation_id


@dataclass(frozen=True)
class FundingLine:
    """One source as the setup and the demo write it. ``party`` "" keeps an existing
    source's party; a new source then gets LBF for LBF's grant, else "unspecified"."""

    kind: str
    name: str
    amount_tkr: Decimal
    party: str = ""
    housing_organisation_id: int | None = None


@transaction.atomic
def funding_budget_set(*, plan: Plan, lines: list[FundingLine]) -> list[FundingSource]:
    """Create or update the plan's funding sources by name, checking the rule on the result.

    Sources not named in ``lines`` are kept. Running it twice with the same lines changes
    nothing (the demo loader relies on that).
    """
    existing = {s.name: s for s in FundingSource.objects.select_for_update().filter(plan=plan)}
    before = {name: _funding_state(s) for name, s in existing.items()}
    for order, line in enumerate(lines):
        source = existing.setdefault(line.name, FundingSource(plan=plan, name=line.name))
        source.kind, source.amount_tkr, source.order = line.kind, line.amount_tkr, order
        party = line.party
        if not party and source.pk is None:
            party = Party.LBF if line.kind == FundingSource.Kind.LBF else Party.UNSPECIFIED
        if party:
            _set_party(source, party, line.housing_organisation_id)
        elif source.party not in PARTIES_OF_KIND[source.kind]:
            source.party, source.housing_organisation_id = Party.UNSPECIFIED, None
        source.full_clean(validate_constraints=False)
    _check_rule(_summarise(existing.values()))
    for name, source in existing.items():
        if before.get(name) != _funding_state(source):
            source.save()
    return list(existing.values())


@transaction.atomic
def funding_source_add(*, plan: Plan, line: FundingLine) -> FundingSource:
    """Add one more funding source after the plan's others, checking the rule on the whole.

    Raises ValidationError (code ``duplicate_name``) when the plan already has a source of
    that name, and ``local_share_below_minimum`` when the result breaks the 25 % rule.
    """
    existing = list(FundingSource.objects.select_for_update().filter(plan=plan).order_by())
    existing.sort(key=lambda s: (s.order, s.pk))
    if any(s.name == line.name for s in existing):
        raise ValidationError(
            _("Planen har allerede en finansieringskilde, der hedder %(name)s.")
            % {"name": line.name},
            code="duplicate_name",
        )
    lines = [
        FundingLine(s.kind, s.name, s.amount_tkr, s.party, s.housing_organisation_id)
        for s in existing
    ] + [line]
    sources = funding_budget_set(plan=plan, lines=lines)
    return next(s for s in sources if s.name == line.name)


@transaction.atomic
def funding_source_remove(*, source: FundingSource) -> None:
    """Remove a funding source, unless the plan's remaining funding breaks the 25 % rule.

    Raises ValidationError (code ``local_share_below_minimum``) and removes nothing then.
    Removing the last source leaves a plan without funding, which is allowed (it is set up
    again on the funding page).
    """
    rest = list(
        FundingSource.objects.select_for_update()
        .filter(plan_id=source.plan_id)
        .exclude(pk=source.pk)
    )
    if source.budget_amounts.exists() or _has_spending(source=source):
        raise ValidationError(
            _(
                "%(name)s kan ikke fjernes, fordi budgettet eller regnskabet har beløb på "
                "kilden. Fjern beløbene først. Intet er ændret."
            )
            % {"name": source.name},
            code="source_in_budget",
        )
    if rest:
        _check_rule(_summarise(rest))
    source.delete()


def _summarise(sources: Iterable[FundingSource]) -> FundingSummary:
    lbf = local = Decimal(0)
    for source in sources:
        if source.kind == FundingSource.Kind.LBF:
            lbf += source.amount_tkr
        else:
            local += source.amount_tkr
    return FundingSummary(lbf=lbf, local=local)


def _has_spending(**lookup: Any) -> bool:
    """Whether the accounts (the spending app) hold registered or corrected amounts."""
    from helhedsplan.spending.models import ActualSpending, SpendingCorrection

    return (
        ActualSpending.objects.filter(**lookup).exists()
        or SpendingCorrection.objects.filter(**lookup).exists()
    )


# --- the budget: lines ---------------------------------------------------------------------


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_line(
    plan: Plan, kind: str, name: str, focus_area: FocusArea | None, *, pk: int | None = None
) -> None:
    if not name:
        raise _field_error("name", _("Skriv budgetpostens navn."), "required")
    if kind == BudgetLine.Kind.ACTIVITIES and focus_area is None:
        raise _field_error(
            "focus_area",
            _("En budgetpost for aktiviteter hører til et indsatsområde: vælg det."),
            "focus_area_required",
        )
    if focus_area is not None and focus_area.plan_id != plan.pk:
        raise _field_error(
            "focus_area", _("Indsatsområdet hører ikke til planen."), "focus_area_not_in_plan"
        )
    same = BudgetLine.objects.filter(plan=plan, name__iexact=name)
    if (same.exclude(pk=pk) if pk else same).exists():
        raise _field_error(
            "name",
            _("Budgettet har allerede en post, der hedder %(name)s.") % {"name": name},
            "duplicate_name",
        )


@transaction.atomic
def budget_line_create(
    *, plan: Plan, kind: str, name: str, focus_area: FocusArea | None = None
) -> BudgetLine:
    """A new budget line after the plan's others. Codes: required, focus_area_required (a
    line of kind activities names its focus area), focus_area_not_in_plan, duplicate_name."""
    name = name.strip()
    _check_line(plan, kind, name, focus_area)
    last = BudgetLine.objects.filter(plan=plan).order_by("-order").first()
    line = BudgetLine(
        plan=plan, kind=kind, name=name, focus_area=focus_area,
        order=(last.order + 1) if last else 0,
    )  # fmt: skip
    line.full_clean()
    line.save()
    return line


def budget_line_version(line: BudgetLine) -> str:
    return concurrency.version_of(line, exclude=("order",))


@transaction.atomic
def budget_line_update(
    *,
    line: BudgetLine,
    kind: str,
    name: str,
    focus_area: FocusArea | None,
    version: str | None = None,
) -> BudgetLine:
    """Rename a line or change its kind or focus area. Codes: those of
    ``budget_line_create`` and stale_edit."""
    locked = concurrency.lock_and_check(
        line, version, what=_("Budgetposten %(name)s") % {"name": line.name}, exclude=("order",)
    )
    name = name.strip()
    _check_line(locked.plan, kind, name, focus_area, pk=locked.pk)
    locked.kind, locked.name, locked.focus_area = kind, name, focus_area
    locked.full_clean()
    locked.save(update_fields=["kind", "name", "focus_area"])
    return locked


@transaction.atomic
def budget_line_move(*, line: BudgetLine, up: bool) -> bool:
    """Move a line one place up or down among the plan's lines; False when it is already
    first (last). The lines are numbered 0, 1, 2 ... afterwards."""
    lines = list(BudgetLine.objects.select_for_update().filter(plan_id=line.plan_id).order_by())
    lines.sort(key=lambda row: (row.order, row.pk))
    at = next(i for i, row in enumerate(lines) if row.pk == line.pk)
    to = at - 1 if up else at + 1
    if not 0 <= to < len(lines):
        return False
    lines[at], lines[to] = lines[to], lines[at]
    for order, row in enumerate(lines):
        if row.order != order:
            row.order = order
            row.save(update_fields=["order"])
    return True


@transaction.atomic
def budget_line_remove(*, line: BudgetLine) -> None:
    """Remove a line that holds no money. Codes: line_has_amounts (the budget puts money on
    it), line_has_spending (the accounts do)."""
    locked = concurrency.lock(line)
    if locked.amounts.exists():
        raise ValidationError(
            _(
                "Budgetposten %(name)s kan ikke fjernes, fordi budgettet har beløb på den. Slet "
                "beløbene i budgettet først. Intet er ændret."
            )
            % {"name": locked.name},
            code="line_has_amounts",
        )
    if _has_spending(line=locked):
        raise ValidationError(
            _(
                "Budgetposten %(name)s kan ikke fjernes, fordi regnskabet har forbrug på den. "
                "Intet er ændret."
            )
            % {"name": locked.name},
            code="line_has_spending",
        )
    locked.delete()


# --- the budget: amounts -------------------------------------------------------------------

# A cell of the budget: (line id, funding source id, year).
Cell = tuple[int, int, int]


@dataclass(frozen=True)
class BudgetChange:
    created: int
    changed: int
    removed: int

    @property
    def total(self) -> int:
        return self.created + self.changed + self.removed


def _amounts_locked(plan: Plan) -> list[BudgetAmount]:
    return list(
        BudgetAmount.objects.select_for_update(of=("self",))
        .filter(line__plan=plan)
        .select_related("line", "source")
        .order_by()
    )


def _amount_parts(amounts: Iterable[BudgetAmount]) -> list[concurrency.Part]:
    return concurrency.snapshot_many(
        amounts,
        label=lambda a: f"{a.line.name} {a.year} {a.source.name}",
        what_rows=_("budgetbeløbene"),
        # A cell's line, source and year never change (a changed cell is a new row, and the
        # rows part names them): the amount alone keeps the token short on a large budget.
        fields=("amount",),
    )


def budget_version(plan: Plan) -> str:
    """The token of the plan's budget amounts, as the budget form carries it."""
    amounts = BudgetAmount.objects.filter(line__plan=plan).select_related("line", "source")
    return concurrency.token(_amount_parts(amounts))


def _cell_name(line: BudgetLine, year: int, source: FundingSource) -> str:
    return _("%(line)s, %(year)s, %(source)s") % {
        "line": line.name, "year": year, "source": source.name}  # fmt: skip


def budget_rule_check(summary: FundingSummary) -> None:
    """LBF's rule on the budget for the whole period (kroner): at least 25 % local."""
    if not summary.below_minimum:
        return
    share = summary.local_share
    raise ValidationError(
        _(
            "Den lokale medfinansiering skal udgøre mindst %(minimum)s af budgettet for hele "
            "perioden (Landsbyggefondens krav). Med disse beløb er den %(share)s (%(local)s "
            "af %(total)s kr.). Intet er gemt."
        )
        % {
            "minimum": fmt_percent(MIN_LOCAL_SHARE, 0),
            "share": fmt_percent(share),
            "local": fmt_number(summary.local),
            "total": fmt_number(summary.total),
        },
        code="local_share_below_minimum",
    )


@transaction.atomic
def budget_amounts_set(
    *, plan: Plan, cells: Mapping[Cell, Decimal | None], version: str | None = None
) -> BudgetChange:
    """Set budget amounts (kroner) by (line id, source id, year), all or nothing.

    An amount of None or 0 removes the cell (also in a year outside the period, e.g. after
    the period was shortened); cells not named are kept. Every bad cell is
    reported (a list of errors, each with its code): unknown_line, unknown_source,
    year_outside_period, negative_amount, too_many_decimals; then local_share_below_minimum
    when the budget for the whole period gives less than 25 % local co-financing (a year
    below 25 % is only a warning, see ``selectors.budget_grid``), and stale_edit when the
    budget changed since the form was opened at ``version``.
    """
    existing = _amounts_locked(plan)
    concurrency.check(_amount_parts(existing), version, what=_("Budgettet"))
    lines = {line.pk: line for line in BudgetLine.objects.filter(plan=plan)}
    sources = {source.pk: source for source in FundingSource.objects.filter(plan=plan)}
    years = set(plan.years)
    errors: list[ValidationError] = []
    for (line_id, source_id, year), amount in cells.items():
        line, source = lines.get(line_id), sources.get(source_id)
        if line is None:
            errors.append(ValidationError(_("Budgetposten findes ikke i planen."),
                                          code="unknown_line"))  # fmt: skip
            continue
        if source is None:
            errors.append(ValidationError(_("Finansieringskilden findes ikke i planen."),
                                          code="unknown_source"))  # fmt: skip
            continue
        where = _cell_name(line, year, source)
        if year not in years and amount:  # removing what lies outside is allowed
            errors.append(ValidationError(
                _("%(cell)s: %(year)s ligger uden for planens periode (%(first)s-%(last)s).")
                % {"cell": where, "year": year, "first": min(years), "last": max(years)},
                code="year_outside_period",
            ))  # fmt: skip
        if amount is not None and amount < 0:
            errors.append(ValidationError(
                _("%(cell)s: beløbet må ikke være negativt (%(amount)s kr.).")
                % {"cell": where, "amount": fmt_number(amount)},
                code="negative_amount",
            ))  # fmt: skip
        elif amount is not None and amount != amount.quantize(Decimal("0.01")):
            errors.append(ValidationError(
                _("%(cell)s: højst to decimaler (øre).") % {"cell": where},
                code="too_many_decimals",
            ))  # fmt: skip
    if errors:
        raise ValidationError(errors)
    result: dict[Cell, Decimal] = {(a.line_id, a.source_id, a.year): a.amount for a in existing}
    for cell, amount in cells.items():
        if amount:
            result[cell] = amount
        else:
            result.pop(cell, None)
    budget_rule_check(_summarise_amounts(result, sources))
    return _write_amounts(existing, result)


def _summarise_amounts(
    amounts: Mapping[Cell, Decimal], sources: Mapping[int, FundingSource]
) -> FundingSummary:
    lbf = local = Decimal(0)
    for (_line, source_id, _year), amount in amounts.items():
        if sources[source_id].kind == FundingSource.Kind.LBF:
            lbf += amount
        else:
            local += amount
    return FundingSummary(lbf=lbf, local=local)


def _write_amounts(existing: list[BudgetAmount], result: Mapping[Cell, Decimal]) -> BudgetChange:
    created = changed = removed = 0
    stored = {(a.line_id, a.source_id, a.year): a for a in existing}
    for cell, row in stored.items():
        if cell not in result:
            row.delete()
            removed += 1
        elif row.amount != result[cell]:
            row.amount = result[cell]
            row.full_clean(validate_unique=False, validate_constraints=False)
            row.save(update_fields=["amount"])
            changed += 1
    for (line_id, source_id, year), amount in result.items():
        if (line_id, source_id, year) in stored:
            continue
        row = BudgetAmount(line_id=line_id, source_id=source_id, year=year, amount=amount)
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
        created += 1
    return BudgetChange(created=created, changed=changed, removed=removed)


# --- the budget's and the accounts' spreadsheet columns --------------------------------------


def finance_settings_for(plan: Plan) -> FinanceSettings:
    """The plan's settings, or unsaved defaults (reading never writes)."""
    found = FinanceSettings.objects.filter(plan=plan).first()
    return found or FinanceSettings(plan=plan)


def _mapping(given: Mapping[str, str], defaults: Mapping[str, str]) -> dict[str, str]:
    if set(given) - set(defaults):
        raise ValidationError(_("Ukendt kolonne."), code="unknown_column")
    mapping = {key: str(given.get(key, "")).strip() for key in defaults}
    for key, header in mapping.items():
        if not header:
            raise ValidationError(
                _("Kolonnen '%(column)s' skal have en overskrift.") % {"column": defaults[key]},
                code="empty_header",
            )
    lowered = [h.casefold() for h in mapping.values()]
    if len(set(lowered)) != len(lowered):
        raise ValidationError(_("To kolonner har samme overskrift."), code="duplicate_header")
    return mapping


@transaction.atomic
def finance_settings_update(
    *,
    plan: Plan,
    budget_columns: Mapping[str, str] | None = None,
    accounts_columns: Mapping[str, str] | None = None,
    version: str | None = None,
) -> FinanceSettings:
    """Set the header texts of the budget's and/or the accounts' XLSX (None keeps them).
    Codes: unknown_column, empty_header, duplicate_header, stale_edit (``concurrency.NEW``
    while only the defaults exist)."""
    stored = FinanceSettings.objects.select_for_update().filter(plan=plan).order_by().first()
    concurrency.check(
        concurrency.snapshot(stored) if stored else None, version,
        what=_("Kolonneoverskrifterne for budget og regnskab"),
    )  # fmt: skip
    settings = stored or FinanceSettings(plan=plan)
    if budget_columns is not None:
        settings.budget_columns = _mapping(budget_columns, DEFAULT_BUDGET_COLUMNS)
    if accounts_columns is not None:
        settings.accounts_columns = _mapping(accounts_columns, DEFAULT_ACCOUNTS_COLUMNS)
    settings.full_clean()
    settings.save()
    return settings


def budget_header(settings: FinanceSettings, column: str) -> str:
    """The header text of a logical budget column (the plan's, else the default)."""
    return str((settings.budget_columns or {}).get(column) or DEFAULT_BUDGET_COLUMNS[column])
