"""The plan-scoped base (lib/models.py): every domain model reaches its plan through the base
and joins the audit trail once, from one place, with the options it had as 37 hand-written
``auditlog.register`` calls."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

from helhedsplan.lib.models import Audited, PlanScoped
from helhedsplan.plans.models import Plan

# Models outside the trail, as before the base: users and municipalities are not plan data,
# and the trail does not log itself. The reminders' memory and the calendar links are
# operational state (notifications/models.py), not plan data; sending an invitation is
# audited as an event (``meeting.invitation_sent``).
NOT_AUDITED = {
    "accounts.User",
    "plans.Municipality",
    "audit.AuditEntry",
    "notifications.ReminderSent",
    "notifications.CalendarFeed",
    # The counters the audit trail raises (plans.versions): auditing them would loop.
    "plans.PlanDataVersion",
    "plans.InstallationDataVersion",
}

# The registrations as the hand-written calls made them: (m2m_fields, exclude_fields).
REGISTRATIONS: dict[str, tuple[set[str], list[str]]] = {
    "accounts.Membership": ({"areas"}, []),
    "accounts.Invitation": ({"areas"}, ["token_hash"]),
    "accounts.ApiToken": (set(), ["token_hash", "last_used_at"]),
    "plans.HousingOrganisation": (set(), []),
    "plans.Plan": ({"housing_organisations"}, []),
    "plans.HousingArea": ({"housing_organisations"}, []),
    "plans.SubArea": (set(), []),
    "plans.AreaPopulation": (set(), []),
    "plans.AreaDepartment": (set(), []),
    "plans.FocusArea": (set(), []),
    "plans.FinalReport": (set(), []),
    "finance.FundingSource": (set(), []),
    "criteria.Measure": (set(), []),
    "criteria.SuccessCriterion": ({"context_measures"}, []),
    "criteria.ReferenceSeries": (set(), []),
    "criteria.ReferenceValue": (set(), []),
    "criteria.Target": ({"areas"}, []),
    "agreements.ProposedChange": (set(), []),
    "criteria.Observation": (set(), []),
    "criteria.SeedNote": (set(), []),
    "files.StoredFile": (set(), ["file"]),
    "organisation.Body": (set(), []),
    "organisation.Person": (set(), []),
    "organisation.Membership": (set(), []),
    "organisation.CompositionRule": (set(), []),
    "meetings.Meeting": ({"attendees"}, []),
    "meetings.AgendaItem": (set(), []),
    "meetings.Decision": (set(), []),
    "meetings.Notice": (set(), []),
    "meetings.Dispute": (set(), []),
    "activities.Partner": (set(), []),
    "activities.Activity": ({"partners", "success_criteria"}, []),
    "activities.ActivityArea": (set(), []),
    "activities.DeliverySettings": (set(), []),
    "activities.PlannedQuantity": (set(), []),
    "activities.QuarterClosure": (set(), []),
    "activities.Registration": ({"partners"}, []),
    "activities.Evaluation": (set(), []),
    "agreements.AgreementVersion": (set(), []),
    "agreements.AgreementSection": (set(), []),
    "agreements.SubAgreementVersion": (set(), []),
    "agreements.PlanAttachment": (set(), []),
    "meetings.BoardAssessment": (set(), []),
    "statusreports.StatusReport": (set(), ["snapshot"]),
    "statusreports.StatusNarrative": (set(), []),
    "statusreports.PeriodCorrection": (set(), []),
    "duties.DutyDone": (set(), []),
    "finance.BudgetLine": (set(), []),
    "finance.BudgetAmount": (set(), []),
    "finance.FinanceSettings": (set(), []),
    "spending.ActualSpending": (set(), []),
    "spending.SpendingCorrection": (set(), []),
    "spending.AccountsClosing": (set(), []),
    "milestones.Milestone": (set(), []),
    "programmeevaluations.ProgrammeEvaluation": (set(), []),
    "programmeevaluations.EvaluationQuestion": (set(), []),
    "programmeevaluations.EvaluationFinding": (set(), []),
    "programmeevaluations.FindingFollowUp": (set(), []),
    "measurements.Indicator": (set(), []),
    "measurements.CentralMeasurement": (set(), []),
    "measurements.MeasurementSettings": (set(), []),
    "lists.ListThreshold": (set(), []),
    "lists.ListVision": (set(), []),
}

# The reverse accessors of the plan keys, as templates, selectors and tests use them.
PLAN_RELATED_NAMES = {
    "accounts.Membership": "memberships",
    "accounts.Invitation": "invitations",
    "plans.HousingArea": "areas",
    "plans.FocusArea": "focus_areas",
    "plans.FinalReport": "final_reports",
    "finance.FundingSource": "funding",
    "criteria.Measure": "measures",
    "criteria.SuccessCriterion": "criteria",
    "criteria.ReferenceSeries": "reference_series",
    "files.StoredFile": "files",
    "organisation.Body": "bodies",
    "organisation.Person": "people",
    "organisation.CompositionRule": "composition_rules",
    "meetings.Meeting": "meetings",
    "meetings.Notice": "notices",
    "meetings.Dispute": "disputes",
    "activities.Partner": "partners",
    "activities.Activity": "activities",
    "activities.QuarterClosure": "closed_quarters",
    "activities.Registration": "registrations",
    "agreements.AgreementVersion": "agreement_versions",
    "agreements.PlanAttachment": "attachments",
    "statusreports.StatusReport": "status_reports",
    "statusreports.PeriodCorrection": "period_corrections",
    "duties.DutyDone": "duties_done",
    "finance.BudgetLine": "budget_lines",
    "spending.SpendingCorrection": "spending_corrections",
    "spending.AccountsClosing": "accounts_closings",
    "milestones.Milestone": "milestones",
    "programmeevaluations.ProgrammeEvaluation": "programme_evaluations",
}


def _domain_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("helhedsplan.")
        for model in config.get_models()
    ]


def _audited() -> list[type[Audited]]:
    return [m for m in _domain_models() if issubclass(m, Audited)]


def test_every_domain_model_is_audited_through_the_base() -> None:
    """A new domain model joins the trail by subclassing the base; none writes its own
    ``audit_plan_id``."""
    labels = {m._meta.label for m in _domain_models()}
    assert labels >= NOT_AUDITED
    outside = sorted(labels - NOT_AUDITED - {m._meta.label for m in _audited()})
    assert not outside, f"domain models not on the base: {outside}"
    hand_written = sorted(
        f"{model._meta.label} ({cls.__name__})"
        for model in _audited()
        for cls in model.__mro__
        if cls not in (Audited, PlanScoped) and "audit_plan_id" in vars(cls)
    )
    assert not hand_written, f"audit_plan_id written by hand: {hand_written}"
    for model in _audited():
        assert model.plan_path is None or model.plan_path == "pk" or "plan" in model.plan_path


def test_every_audited_model_is_registered_once_with_its_options() -> None:
    registered = {m._meta.label: m for m in auditlog.get_models()}
    audited = {m._meta.label for m in _audited()}
    assert audited == set(REGISTRATIONS)
    assert set(registered) >= audited
    assert not set(registered) & NOT_AUDITED
    for label, (m2m, exclude) in REGISTRATIONS.items():
        options: dict[str, Any] = auditlog._registry[registered[label]]  # type: ignore[attr-defined]
        assert set(options["m2m_fields"]) == m2m, label
        assert list(options["exclude_fields"]) == exclude, label
        assert options["include_fields"] == [] and options["mask_fields"] == [], label
        assert not options["serialize_data"], label


def test_the_plan_keys_keep_their_names_and_cascade() -> None:
    keys = {
        m._meta.label: m._meta.get_field("plan") for m in _audited() if issubclass(m, PlanScoped)
    }
    assert {label: key.remote_field.related_name for label, key in keys.items()} == (
        PLAN_RELATED_NAMES
    )
    for label, key in keys.items():
        assert key.related_model is Plan, label
        assert key.remote_field.on_delete is models.CASCADE, label
        assert key.column == "plan_id", label
        assert str(key.verbose_name) == "plan", label


@pytest.mark.demo  # rows of at least 25 models: the demo has them (the docstring says so)
@pytest.mark.django_db
def test_audit_plan_id_and_for_plan_find_the_plan(plan: Plan, other_plan: Plan) -> None:
    """Uses the demo plan (its rows cover nearly every model): for one row of each model,
    ``audit_plan_id`` is the plan the database reaches along ``plan_path``, and
    ``for_plan`` finds the row under that plan and not under another."""
    checked = []
    for model in _audited():
        row = model._default_manager.order_by("pk").first()
        if row is None or model.plan_path is None:
            assert row is None or row.audit_plan_id is None
            continue
        from_db = model._default_manager.filter(pk=row.pk).values_list(model.plan_path, flat=True)
        assert row.audit_plan_id == from_db.get(), model
        assert model.for_plan(plan).filter(pk=row.pk).exists(), model
        assert not model.for_plan(other_plan).filter(pk=row.pk).exists(), model
        checked.append(model._meta.label)
    assert len(checked) >= 25, checked


@pytest.mark.django_db
def test_audit_plan_id_reads_the_loaded_parents_without_a_query(
    django_assert_num_queries: Any,
) -> None:
    """For every model: built in memory along ``plan_path`` (as a service holds it), the
    plan's id is read from the parents already loaded, as the hand-written properties did."""
    for model in _audited():
        if model.plan_path is None:
            continue
        row: Any = model()
        owner: Any = row
        *hops, last = model.plan_path.split("__")
        for hop in hops:
            parent = owner._meta.get_field(hop).related_model()
            setattr(owner, hop, parent)
            owner = parent
        if last == "pk":
            owner.pk = 7
        else:
            setattr(owner, owner._meta.get_field(last).attname, 7)
        with django_assert_num_queries(0):
            assert row.audit_plan_id == 7, model


def test_a_model_without_a_plan_says_so() -> None:
    from helhedsplan.plans.models import HousingOrganisation

    assert HousingOrganisation(name="Boligselskabet").audit_plan_id is None
    with pytest.raises(TypeError):
        HousingOrganisation.for_plan(1)
