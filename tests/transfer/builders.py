"""A plan with at least one row of every model the plan export carries (``full_plan``).

Built from ``tests/factories.py`` where a factory exists and through the models' own
``full_clean`` otherwise; the import test checks that every exported model has a row here,
so a model added to any app must get one here (and then round-trips like the rest).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from helhedsplan.accounts.models import Role
from helhedsplan.activities.models import DeliverySettings, Evaluation, QuarterClosure
from helhedsplan.agreements.models import AttachmentKind, PlanAttachment
from helhedsplan.audit.services import audit_event
from helhedsplan.criteria.models import ReferenceSeries, ReferenceValue, SeedNote
from helhedsplan.duties.models import DutyDone
from helhedsplan.files.models import StoredFile
from helhedsplan.finance.models import BudgetLine, FinanceSettings, Party
from helhedsplan.meetings.models import AgendaItem, BoardAssessment, Decision, Notice
from helhedsplan.organisation.models import Body, CompositionRule
from helhedsplan.plans.models import AreaDepartment, Plan, SubArea
from helhedsplan.statusreports.models import PeriodCorrection, StatusNarrative, StatusReport
from tests import factories as f
from tests.files.samples import pdf_bytes


def _made(obj: models.Model) -> models.Model:
    obj.full_clean()
    obj.save()
    return obj


def stored_file(plan: Plan, text: str = "Referat") -> StoredFile:
    data = pdf_bytes(text)
    import hashlib

    obj = StoredFile(
        plan=plan,
        original_name=f"{text}.pdf",
        kind=StoredFile.Kind.PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    obj.file.save("x.pdf", ContentFile(data), save=False)
    return _made(obj)  # type: ignore[return-value]


def full_plan(**kwargs: object) -> Plan:
    organisation = f.HousingOrganisationFactory(name="Boligselskabet Test", cvr="12345678")
    plan = f.small_plan(housing_organisations=[organisation], **kwargs)
    secretary = f.user_named(plan, f"{plan.slug}-sekretariat", Role.SECRETARIAT)
    north, south = plan.areas.order_by("order")
    north.housing_organisations.set([organisation])
    f.PlanMembershipFactory(plan=plan, role=Role.COORDINATOR, areas=[north])
    focus_area = plan.focus_areas.get()
    board = plan.bodies.get()
    _made(SubArea(area=north, name="Nordvænget"))
    _made(AreaDepartment(area=north, housing_organisation=organisation, number="12"))
    f.FundingSourceFactory(plan=plan)
    criteria = f.criteria_by_kind(plan)
    criterion = criteria["5.1.2"]
    measure = criterion.measure
    criterion.context_measures.set([criteria["5.2.3"].measure])
    series: Any = _made(
        ReferenceSeries(plan=plan, measure=measure, slug="landet", name="Hele landet")
    )
    _made(ReferenceValue(series=series, year=2018, value=Decimal("12.5")))
    target = f.TargetFactory(
        criterion=criterion, applies_to_total=False, first_year=2019, last_year=2020
    )
    target.areas.set([north, south])
    _made(SeedNote(criterion=criterion, kind=SeedNote.Kind.CONTEXT, title="Note", text="Tekst"))
    f.ObservationFactory(measure=measure, area=north, registered_by=secretary)
    partner = f.PartnerFactory(plan=plan)
    activity = f.ActivityFactory(plan=plan, focus_area=focus_area)
    activity.partners.set([partner])
    activity.success_criteria.set([criterion])
    f.ActivityAreaFactory(activity=activity, area=north)
    f.PlannedQuantityFactory(activity=activity, area=north)
    registration = f.RegistrationFactory(plan=plan, activity=activity, area=north)
    registration.partners.set([partner])
    _made(DeliverySettings(plan=plan))
    _made(QuarterClosure(plan=plan, year=2018, quarter=1, closed_by=secretary))
    evidence = stored_file(plan, "Evaluering")
    _made(
        Evaluation(
            activity=activity,
            period_start=date(2018, 1, 1),
            period_end=date(2018, 12, 31),
            rating=Evaluation.Rating.YES,
            narrative="Gik godt.",
            evidence_file=evidence,
            author=secretary,
            evaluated_on=date(2019, 1, 15),
        )
    )
    person = f.PersonFactory(
        plan=plan,
        organisation_kind="housing_organisation",
        housing_organisation=organisation,
        organisation_name=organisation.name,
    )
    f.OrganisationMembershipFactory(body=board, person=person)
    _made(
        CompositionRule(
            plan=plan,
            body_kind=Body.Kind.BOARD,
            kind="min_members",
            params={"min": 3},
            description="Mindst tre medlemmer",
        )
    )
    minutes = stored_file(plan, "Referat")
    meeting = f.MeetingFactory(plan=plan, body=board, minutes_file=minutes)
    meeting.attendees.set([person])
    _made(AgendaItem(meeting=meeting, order=1, title="Godkendelse af dagsorden"))
    version = f.AgreementVersionFactory(plan=plan, created_by=secretary)
    f.AgreementSectionFactory(version=version)
    sub_agreement = f.SubAgreementVersionFactory(focus_area=focus_area)
    decision = _made(
        Decision(
            meeting=meeting,
            text="Delaftalen godkendes.",
            concerns_content_type=ContentType.objects.get_for_model(sub_agreement),
            concerns_object_id=str(sub_agreement.pk),
            concerns_label="Delaftale 5.1",
            recorded_by=secretary,
        )
    )
    _made(
        Notice(
            plan=plan,
            occurred_on=date(2019, 3, 1),
            subject="Brand i kælder",
            description="Bestyrelsen er orienteret.",
        )
    )
    f.DisputeFactory(plan=plan, board_decision=decision)
    letter = stored_file(plan, "Bilag")
    _made(
        PlanAttachment(
            plan=plan,
            kind=AttachmentKind.ORG_CHART,
            stored_file=letter,
            uploaded_at=timezone.now(),
        )
    )
    f.ProposedChangeFactory(criterion=criterion, version=version, created_by=secretary)
    f.FinalReportFactory(plan=plan, issued_by=secretary)
    report: Any = _made(
        StatusReport(
            plan=plan,
            period_start=date(2018, 7, 1),
            period_end=date(2018, 12, 31),
            state=StatusReport.State.ISSUED,
            version=1,
            snapshot={"format": 1, "numbers": [1, 2]},
            issued_by=secretary,
            issued_at=timezone.now(),
        )
    )
    _made(StatusNarrative(report=report, focus_area=focus_area, text="Godt halvår."))
    _made(
        PeriodCorrection(
            plan=plan,
            report=report,
            kind=PeriodCorrection.Kind.REGISTRATION,
            registration=registration,
            label="Rettet registrering",
            old={"participants": 3},
            new={"participants": 4},
            reason="Tastefejl",
            corrected_by=secretary,
        )
    )
    assessed = f.MeetingFactory(plan=plan, body=board, status_report=report)
    _made(
        BoardAssessment(
            meeting=assessed,
            focus_area=focus_area,
            rating=BoardAssessment.Rating.ON_TRACK,
            text="På rette vej.",
            recorded_by=secretary,
        )
    )
    _made(
        DutyDone(
            plan=plan,
            key="programme_evaluation:2019-01",
            done_on=date(2019, 1, 20),
            note="Helhedsevalueringen ligger i bilag 9.",
            marked_by=secretary,
        )
    )
    # Issue 13: the money, the milestones, the programme evaluations.
    source = f.FundingSourceFactory(
        plan=plan, party=Party.HOUSING_ORGANISATION, housing_organisation=organisation, kind="local"
    )
    _made(FinanceSettings(plan=plan))
    line = f.BudgetLineFactory(plan=plan, kind=BudgetLine.Kind.ACTIVITIES, focus_area=focus_area)
    f.BudgetAmountFactory(line=line, source=source, year=2018)
    f.ActualSpendingFactory(line=line, source=source, year=2018, registered_by=secretary)
    f.AccountsClosingFactory(plan=plan, year=2018, approved_by=secretary)
    f.SpendingCorrectionFactory(line=line, source=source, year=2018, corrected_by=secretary)
    evaluation = f.ProgrammeEvaluationFactory(
        plan=plan, number=1, report=stored_file(plan, "Evalueringsrapport")
    )
    question = f.EvaluationQuestionFactory(evaluation=evaluation)
    finding = f.EvaluationFindingFactory(evaluation=evaluation, question=question)
    f.FindingFollowUpFactory(finding=finding, decision=decision, linked_by=secretary)
    f.MilestoneFactory(
        plan=plan,
        proof_meeting=meeting,
        proof_status_report=report,
        proof_agreement_version=version,
        proof_evaluation=evaluation,
        done_by=secretary,
    )
    # Issue 14: the central measurements, the plan's column headers and its list vision.
    from helhedsplan.measurements.models import MeasurementSettings

    _made(MeasurementSettings(plan=plan))
    f.CentralMeasurementFactory(
        area=north, indicator=f.indicator("doemte_pct"), year=2018, numerator=12, denominator=800
    )
    f.CentralMeasurementFactory(
        area=south,
        indicator=f.IndicatorFactory(code="transfer_indikator"),
        year=2018,
        value=None,
        suppressed=True,
    )
    f.ListVisionFactory(plan=plan)
    audit_event(instance=plan, event="plan.exported", actor=secretary, changes={"x": 1})
    return plan
