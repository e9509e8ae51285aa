"""The plan menu. Each entry: URL name (taking the plan slug), label, permission.

Later apps add their pages here; the base layout shows the entries the user's roles allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    permission: str
    key: str


PLAN_NAV: list[NavItem] = [
    NavItem("plans:overview", _("Overblik"), "plan.view", "overview"),
    NavItem("duties:list", _("Det skal gøres"), "duties.view", "duties"),
    NavItem("setup:overview", _("Opsætning"), "plan.setup", "setup"),
    NavItem("finance:funding_edit", _("Finansiering"), "funding.edit", "funding"),
    NavItem("finance:budget", _("Budget"), "budget.view", "budget"),
    NavItem("spending:accounts", _("Regnskab"), "spending.view", "accounts"),
    NavItem("agreements:overview", _("Aftale"), "agreement.view", "agreement"),
    NavItem("agreements:attachments", _("Bilag"), "agreement.view", "attachments"),
    NavItem("audit:plan", _("Revisionsspor"), "audit.view", "audit"),
    NavItem("criteria:scorecard", _("Succeskriterier"), "criteria.view", "criteria"),
    NavItem("lists:overview", _("Listerne"), "lists.view", "lists"),
    NavItem("organisation:overview", _("Organisation"), "organisation.view", "organisation"),
    NavItem("organisation:chart", _("Organisationsdiagram"), "organisation.chart.only", "orgchart"),
    NavItem("meetings:list", _("Møder"), "meetings.view", "meetings"),
    NavItem("activities:list", _("Aktiviteter"), "activities.view", "activities"),
    NavItem("activities:delivery", _("Leverancemåling"), "delivery.view", "delivery"),
    NavItem("statusreports:list", _("Statusrapporter"), "statusreport.view", "statusreports"),
    NavItem("milestones:list", _("Milepælsplan"), "milestones.view", "milestones"),
    NavItem("lists:vision", _("Listevision"), "lists.view", "vision"),
    NavItem("measurements:values", _("Centrale målinger"), "measurements.view", "measurements"),
    NavItem(
        "programmeevaluations:list",
        _("Helhedsevaluering"),
        "programmeevaluation.view",
        "programmeevaluations",
    ),
    NavItem("auditpackage:year", _("Revisionspakke"), "auditpackage.download", "auditpackage"),
    NavItem("accounts:plan_users", _("Brugere"), "users.manage", "users"),
]
