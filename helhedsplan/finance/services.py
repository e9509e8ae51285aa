"""Changing the money. Every change is checked against LBF's rule before it is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.rules import MIN_LOCAL_SHARE, FundingSummary
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_number, fmt_percent
from helhedsplan.plans.models import Plan


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
    *, plan: Plan, amounts: dict[int, Decimal], version: str | None = None
) -> list[FundingSource]:
    """Set the amounts of the plan's funding sources (by id), all or nothing.

    Raises ValidationError (code ``local_share_below_minimum``) when the result breaks the
    25 % rule, ``unknown_source`` for an id that is not one of the plan's sources, and
    ``stale_edit`` when the sources changed since the form was opened at ``version``.
    """
    sources = {
        s.pk: s for s in FundingSource.objects.select_for_update().filter(plan=plan).order_by()
    }
    concurrency.check(_funding_parts(sources.values()), version, what=_("Finansieringen"))
    unknown = set(amounts) - set(sources)
    if unknown:
        raise ValidationError(_("Ukendt finansieringskilde."), code="unknown_source")
    before = {pk: source.amount_tkr for pk, source in sources.items()}
    for pk, amount in amounts.items():
        if amount < 0:
            raise ValidationError(
                _("Beløbet for %(name)s må ikke være negativt.") % {"name": sources[pk].name},
                code="negative_amount",
            )
        sources[pk].amount_tkr = amount
    _check_rule(_summarise(sources.values()))
    changed = [s for s in sources.values() if s.amount_tkr != before[s.pk]]
    for source in changed:
        source.full_clean()
        source.save(update_fields=["amount_tkr"])
    return changed


@dataclass(frozen=True)
class FundingLine:
    kind: str
    name: str
    amount_tkr: Decimal


@transaction.atomic
def funding_budget_set(*, plan: Plan, lines: list[FundingLine]) -> list[FundingSource]:
    """Create or update the plan's funding sources by name, checking the rule on the result.

    Sources not named in ``lines`` are kept. Running it twice with the same lines changes
    nothing (the demo loader relies on that).
    """
    existing = {s.name: s for s in FundingSource.objects.select_for_update().filter(plan=plan)}
    before = {name: (s.kind, s.amount_tkr, s.order) for name, s in existing.items()}
    for order, line in enumerate(lines):
        source = existing.setdefault(line.name, FundingSource(plan=plan, name=line.name))
        source.kind, source.amount_tkr, source.order = line.kind, line.amount_tkr, order
        source.full_clean(validate_constraints=False)
    _check_rule(_summarise(existing.values()))
    for name, source in existing.items():
        if before.get(name) != (source.kind, source.amount_tkr, source.order):
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
    lines = [FundingLine(s.kind, s.name, s.amount_tkr) for s in existing] + [line]
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
