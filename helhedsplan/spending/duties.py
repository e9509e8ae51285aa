"""The accounts on the due list ("Det skal gøres"): each ended year of the plan whose
accounts are not approved, for the secretariat, who approves them (``spending.close``).
Imported from ``SpendingConfig.ready``; one query."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from helhedsplan.duties.items import DueItem
from helhedsplan.duties.lists import source

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess

# A year's accounts are due from 1 January of the next year and approved by this day of
# the next year. The seed is silent on when the accounts are approved: this is the
# product's default (30 June), changed here alone.
ACCOUNTS_DEADLINE_MONTH = 6
ACCOUNTS_DEADLINE_DAY = 30
ACCOUNTS = "accounts"


@source(ACCOUNTS)
def accounts_to_approve(access: PlanAccess, today: date) -> list[DueItem]:
    """An ended year of the plan period without approved accounts (one query)."""
    if not access.can("spending.close"):
        return []
    from helhedsplan.spending.models import AccountsClosing

    plan = access.plan
    closed = set(AccountsClosing.objects.filter(plan=plan).values_list("year", flat=True))
    items = []
    for year in plan.years:
        if year >= today.year or year in closed:
            continue
        items.append(
            DueItem(
                key=f"{ACCOUNTS}:{year}",
                kind=ACCOUNTS,
                title=_("Regnskabet for %(year)s er ikke godkendt") % {"year": year},
                url=reverse("spending:close", kwargs={"slug": plan.slug, "year": year}),
                due_from=date(year + 1, 1, 1),
                deadline=date(year + 1, ACCOUNTS_DEADLINE_MONTH, ACCOUNTS_DEADLINE_DAY),
            )
        )
    return items
