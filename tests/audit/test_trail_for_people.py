"""The trail as the secretariat, the board and the auditor read it (issue 13, point 6).

Filtered by date, user, object type, event and focus area, searched; every value in Danish
(no "create", "None", "Dec", "meetings.Decision.None"); a bounded number of queries per
page whatever the entries hold; exported to XLSX and CSV with the page's filters.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from helhedsplan.accounts.models import Role, User
from helhedsplan.activities.models import Activity, Registration
from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.models import AuditEntry
from helhedsplan.audit.services import audit_event
from helhedsplan.criteria.models import SuccessCriterion, Target
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports.exporters import export_url
from tests import factories

Clients = Callable[[str], Client]
READERS = ["secretariat", "board", "auditor"]
NOT_READERS = ["coordinator", "municipal", "lbf"]
QUERY_LIMIT = 12


def _url(plan: Plan, **params: Any) -> str:
    from urllib.parse import urlencode

    base = reverse("audit:plan", kwargs={"slug": plan.slug})
    return base + ("?" + urlencode(params) if params else "")


def _text(client: Client, plan: Plan, **params: Any) -> str:
    response = client.get(_url(plan, **params))
    assert response.status_code == 200
    return response.content.decode()


def _entries(client: Client, plan: Plan, **params: Any) -> list[AuditEntry]:
    response = client.get(_url(plan, **params))
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def _round(plan: Plan, n: int, user: User) -> FocusArea:
    """One of everything: entries of many models, with foreign keys to many models."""
    with set_actor(user):
        focus_area = factories.FocusAreaFactory(plan=plan, code=f"7.{n}", name=f"Område {n}")
        measure = factories.MeasureFactory(plan=plan)
        criterion = factories.SuccessCriterionFactory(
            plan=plan, focus_area=focus_area, measure=measure, code=f"7.{n}.1"
        )
        factories.TargetFactory(criterion=criterion)
        activity = factories.ActivityFactory(plan=plan, focus_area=focus_area)
        area = plan.areas.order_by("order").first()
        factories.RegistrationFactory(plan=plan, activity=activity, area=area, registered_by=user)
        factories.ObservationFactory(plan=plan, measure=measure, area=area)
        line = factories.BudgetLineFactory(plan=plan, focus_area=focus_area)
        factories.BudgetAmountFactory(line=line)
        meeting = factories.MeetingFactory(plan=plan, date=date(2019, 3, n % 27 + 1))
        factories.BoardAssessmentFactory(meeting=meeting, focus_area=focus_area)
        factories.SubAgreementVersionFactory(focus_area=focus_area)
        focus_area.name = f"Område {n}, ændret"
        focus_area.save()
    return focus_area


@pytest.fixture
def secretary(plan: Plan) -> User:
    return factories.user_named(plan, "sekretaer", Role.SECRETARIAT)


def _page_queries(client: Client, plan: Plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(plan))
    assert response.status_code == 200
    return len(queries)


def test_a_page_costs_the_same_few_queries_whatever_it_holds(
    plan: Plan, secretary: User, client_for: Clients
) -> None:
    client = client_for("auditor")
    client.get(_url(plan))  # the session and the content types, once
    _round(plan, 1, secretary)
    small = _page_queries(client, plan)
    for n in range(2, 6):
        _round(plan, n, secretary)
    entries = _entries(client, plan)
    assert len(entries) == 50
    models = {e.content_type_id for e in entries}
    assert len(models) >= 8, "the page holds entries of many models"
    large = _page_queries(client, plan)
    # The small page also holds the plan's own creation (its municipality: one query more).
    assert large <= small <= QUERY_LIMIT, (small, large)


# --- the filters ---------------------------------------------------------------------


@pytest.fixture
def trail(plan: Plan, secretary: User) -> dict[str, Any]:
    """Two focus areas' worth of entries by two users on three days, and an event."""
    board = factories.user_named(plan, "formand", Role.BOARD)
    first = _round(plan, 1, secretary)
    with set_actor(board), audit_reason("Bestyrelsen besluttede at omdøbe den"):
        second = factories.FocusAreaFactory(plan=plan, code="7.2", name="Beskæftigelse")
        second.purpose = "Formålet er ændret på grund af nye tal"
        second.save()
    doomed = factories.FocusAreaFactory(plan=plan, code="7.9", name="Kortlivet")
    doomed.delete()
    audit_event(instance=plan, event="plan.exported", actor=board, changes={"format": "pdf"})
    # Spread the entries over three days: the first round on 1 March 2019, the board's
    # changes on 15 March, the rest (the deletion, the event) on 1 April.
    moments = {
        "early": timezone.make_aware(datetime(2019, 3, 1, 10, 0)),
        "middle": timezone.make_aware(datetime(2019, 3, 15, 23, 30)),
        "late": timezone.make_aware(datetime(2019, 4, 1, 0, 30)),
    }
    AuditEntry.objects.filter(plan=plan, actor=secretary).update(timestamp=moments["early"])
    AuditEntry.objects.filter(plan=plan, actor=board).update(timestamp=moments["middle"])
    AuditEntry.objects.filter(plan=plan, actor=None).update(timestamp=moments["late"])
    AuditEntry.objects.filter(plan=plan, event="plan.exported").update(timestamp=moments["late"])
    return {"first": first, "second": second, "board": board, "doomed_pk": doomed.pk}


def test_filter_by_date_range_takes_whole_local_days(
    plan: Plan, trail: dict[str, Any], client_for: Clients, secretary: User
) -> None:
    client = client_for("auditor")
    march = _entries(client, plan, fra="2019-03-01", til="2019-03-15")
    assert march and {e.actor_id for e in march} == {secretary.pk, trail["board"].pk}
    # Danish dates are read too; 23:30 on 15 March is still 15 March.
    middle = _entries(client, plan, fra="15.03.2019", til="15.03.2019")
    assert middle and {e.actor_id for e in middle} == {trail["board"].pk}
    late = _entries(client, plan, fra="2019-04-01")
    assert late and all(e.timestamp.date() >= date(2019, 3, 31) for e in late)
    assert not any(e.actor_id == secretary.pk for e in late)


def test_a_date_that_does_not_read_is_said_and_filters_nothing(
    plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    client = client_for("auditor")
    response = client.get(_url(plan, fra="31.02.2019"))
    text = response.content.decode()
    assert "Skriv en dato, fx 01.03.2019." in text
    assert response.context["page"].paginator.count == AuditEntry.objects.filter(plan=plan).count()
    assert "Hent som XLSX" not in text  # no download of a filter that does not read
    backwards = client.get(_url(plan, fra="2019-04-01", til="2019-03-01")).content.decode()
    assert "Til-datoen ligger før fra-datoen." in backwards


def test_filter_by_user_offers_only_those_in_the_trail(
    plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    client = client_for("auditor")
    board = trail["board"]
    response = client.get(_url(plan))
    offered = {value for value, _label in response.context["form"].fields["bruger"].choices}
    stranger = factories.user_named(plan, "aldrig", Role.BOARD)
    assert board.pk in offered and stranger.pk not in offered
    entries = _entries(client, plan, bruger=board.pk)
    assert entries and {e.actor_id for e in entries} == {board.pk}
    refused = client.get(_url(plan, bruger=stranger.pk)).content.decode()
    assert 'role="alert"' in refused


def test_filter_by_object_type_by_danish_names(
    plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    client = client_for("auditor")
    form = client.get(_url(plan)).context["form"]
    labels = {label for _value, label in form.fields["type"].choices}
    assert {"Indsatsområde", "Succeskriterium", "Aktivitet"} <= labels
    ct = ContentType.objects.get_for_model(SuccessCriterion)
    entries = _entries(client, plan, type=ct.pk)
    assert entries and {e.content_type_id for e in entries} == {ct.pk}


@pytest.mark.parametrize(
    ("code", "action", "event"),
    [
        ("create", 0, ""),
        ("update", 1, ""),
        ("delete", 2, ""),
        ("plan.exported", 3, "plan.exported"),
    ],
)
def test_filter_by_event(
    code: str, action: int, event: str, plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    entries = _entries(client_for("auditor"), plan, haendelse=code)
    assert entries
    assert {(e.action, e.event) for e in entries} == {(action, event)}


def test_filter_by_focus_area_finds_what_is_under_it(
    plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    first = trail["first"]
    entries = _entries(client_for("auditor"), plan, indsatsomraade=first.pk)
    kinds = {e.content_type.model for e in entries}
    assert {
        "focusarea",
        "successcriterion",
        "target",
        "activity",
        "registration",
        "observation",
        "budgetline",
        "budgetamount",
        "boardassessment",
        "subagreementversion",
    } <= kinds
    assert all(e.focus_area_id == first.pk for e in entries)
    assert not any(e.object_pk == str(trail["second"].pk) for e in entries)


@pytest.mark.parametrize(
    "words",
    ["Beskæftigelse", "beskæftigelse", "omdøbe", "nye tal", "Formålet er ændret"],
)
def test_search_in_names_reasons_and_changes(
    words: str, plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    entries = _entries(client_for("auditor"), plan, soeg=words)
    assert entries
    assert all(e.object_pk == str(trail["second"].pk) for e in entries), words


def test_search_finding_nothing_says_so(
    plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    text = _text(client_for("auditor"), plan, soeg="findes slet ikke")
    assert "0 poster" in text and "Ingen registrerede ændringer." in text


def test_the_pages_keep_the_filters(plan: Plan, secretary: User, client_for: Clients) -> None:
    for n in range(1, 6):
        _round(plan, n, secretary)
    client = client_for("auditor")
    text = _text(client, plan, haendelse="create", bruger=secretary.pk)
    assert f"bruger={secretary.pk}&amp;haendelse=create&amp;side=2" in text
    second = client.get(_url(plan, haendelse="create", bruger=secretary.pk, side=2))
    assert second.context["page"].number == 2
    assert all(e.action == 0 for e in second.context["page"].object_list)
    downloads = dict(second.context["downloads"])
    assert downloads["XLSX"] == export_url(
        plan, "revisionsspor", "xlsx", bruger=secretary.pk, haendelse="create"
    )


# --- the words ------------------------------------------------------------------------

RAW = [
    re.compile(r"\bNone\b"),
    re.compile(r">\s*(create|update|delete)\s*<"),
    re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"),
    re.compile(r"\b\w+\.\w+\.None\b"),
    re.compile(r"\bTrue\b|\bFalse\b"),
]


def _raw_values(text: str) -> list[str]:
    return [m.group(0) for pattern in RAW for m in pattern.finditer(text)]


def test_the_page_reads_in_danish(plan: Plan, secretary: User, client_for: Clients) -> None:
    focus_area = _round(plan, 1, secretary)
    activity = Activity.objects.get(focus_area=focus_area)
    with set_actor(secretary):
        activity.name = "Lektiecafé"
        activity.save()
    text = _text(client_for("auditor"), plan)
    assert _raw_values(text) == []
    assert "Oprettet" in text and "Ændret" in text
    assert f"indsatsområde</strong>: {focus_area}" in text.replace("\n", "")
    assert "Lektiecafé" in text


def test_values_read_by_their_kind(plan: Plan, secretary: User) -> None:
    """Choices by label, keys by name, booleans Ja/Nej, dates and numbers the Danish way."""
    from helhedsplan.audit import display

    focus_area = _round(plan, 1, secretary)
    registration = Registration.objects.get(activity__focus_area=focus_area)
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Registration),
        object_pk=str(registration.pk),
        action=0,
    )
    rows = {row.field: row for row in display.field_changes(entry)}
    assert rows["aktivitet"].new == str(registration.activity)
    assert rows["dato"].new == "14. maj 2019"
    assert rows["registreret af"].new == str(secretary)
    assert all(row.old is None for row in rows.values())  # a creation has no "before"
    # ... and lists what was given: not its own id, not the empty fields.
    assert "ID" not in rows and all(row.new not in ("", "—") for row in rows.values())
    target = Target.objects.get(criterion__focus_area=focus_area)
    created = AuditEntry.objects.get(
        object_pk=str(target.pk), action=0, content_type__model="target"
    )
    rows = {row.field: row for row in display.field_changes(created)}
    assert rows["gælder det samlede område"].new == "Ja"
    assert rows[str(Target._meta.get_field("kind").verbose_name)].new == str(
        target.get_kind_display()
    )
    assert rows[str(Target._meta.get_field("value").verbose_name)].new == "30"
    everything = " ".join(f"{r.field} {r.old or ''} {r.new}" for r in rows.values())
    assert _raw_values(everything) == [], everything


def test_a_deleted_objects_key_reads_by_its_last_name(plan: Plan, secretary: User) -> None:
    from helhedsplan.audit import display

    with set_actor(secretary):
        gone = factories.FocusAreaFactory(plan=plan, code="8.1", name="Nedlagt område")
        criterion = factories.SuccessCriterionFactory(plan=plan, focus_area=gone)
        entry = AuditEntry.objects.get(
            object_pk=str(criterion.pk), action=0, content_type__model="successcriterion"
        )
        criterion.delete()
        gone.delete()
    rows = {row.field: row for row in display.field_changes(entry)}
    assert rows["indsatsområde"].new == "8.1 Nedlagt område"


def test_m2m_changes_read_in_words(plan: Plan, secretary: User) -> None:
    from helhedsplan.audit import display

    target = factories.TargetFactory(criterion=factories.SuccessCriterionFactory(plan=plan))
    area = plan.areas.order_by("order").first()
    assert area is not None
    target.areas.add(area)
    target.areas.remove(area)
    entries = AuditEntry.objects.filter(object_pk=str(target.pk), content_type__model="target")
    texts = [row.new for e in entries.order_by("pk") for row in display.field_changes(e)]
    assert f"Tilføjet: {area.name}" in texts and f"Fjernet: {area.name}" in texts


def test_old_entries_with_reverse_relations_and_none_read_clean(
    plan: Plan, client_for: Clients
) -> None:
    """The shapes older code wrote on a creation: reverse relations and "None" text."""
    fa = FocusArea.objects.get(plan=plan, code="5.1")
    AuditEntry.objects.create(
        plan=plan,
        content_type=ContentType.objects.get_for_model(FocusArea),
        object_pk=str(fa.pk),
        object_id=fa.pk,
        object_repr=str(fa),
        action=AuditEntry.Action.CREATE,
        changes={
            "criteria": ["None", "criteria.SuccessCriterion.None"],
            "proposed_changes": ["None", "agreements.ProposedChange.None"],
            "plan": ["None", str(plan.pk)],
            "purpose": ["None", "None"],
            "gammelt_felt": ["None", "x.Y.None"],
        },
    )
    text = _text(client_for("auditor"), plan)
    assert _raw_values(text) == []
    assert f"plan</strong>: {plan.name}" in text


def test_new_entries_hold_no_reverse_relations(plan: Plan) -> None:
    meeting = factories.MeetingFactory(plan=plan)
    entry = AuditEntry.objects.get(
        object_pk=str(meeting.pk), content_type__model="meeting", action=0
    )
    assert "decisions" not in entry.changes and "agenda" not in entry.changes
    assert "title" in entry.changes


# --- the focus area on the entries ------------------------------------------------------


def test_new_entries_are_filed_under_their_focus_area(plan: Plan, secretary: User) -> None:
    focus_area = _round(plan, 1, secretary)
    under = AuditEntry.objects.filter(plan=plan, focus_area=focus_area)
    assert {e.content_type.model for e in under} >= {
        "focusarea",
        "successcriterion",
        "target",
        "observation",
        "activity",
        "activityarea",
        "registration",
        "budgetline",
        "budgetamount",
        "boardassessment",
        "subagreementversion",
    }
    meeting_entries = AuditEntry.objects.filter(plan=plan, content_type__model="meeting")
    assert meeting_entries and all(e.focus_area_id is None for e in meeting_entries)


def test_a_proposed_change_to_a_criterion_is_under_the_criterions_focus_area(
    plan: Plan,
) -> None:
    criterion = factories.SuccessCriterionFactory(plan=plan)
    change = factories.ProposedChangeFactory(
        version=factories.agreement_version(plan), focus_area=None, criterion=criterion
    )
    assert change.audit_focus_area_id == criterion.focus_area_id


def test_the_data_migration_files_old_entries(plan: Plan, secretary: User) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("helhedsplan.audit.migrations.0003_fill_entry_focus_area")
    focus_area = _round(plan, 1, secretary)
    with set_actor(secretary):
        gone = factories.SuccessCriterionFactory(plan=plan, focus_area=focus_area)
        gone_pk = gone.pk
        gone.delete()
    filed = dict(AuditEntry.objects.filter(plan=plan).values_list("pk", "focus_area_id"))
    AuditEntry.objects.filter(plan=plan).update(focus_area=None)
    migration.fill_focus_areas(apps, None)
    again = dict(AuditEntry.objects.filter(plan=plan).values_list("pk", "focus_area_id"))
    assert again == filed
    deleted = AuditEntry.objects.filter(
        object_pk=str(gone_pk), content_type__model="successcriterion"
    )
    assert deleted.count() == 2 and all(e.focus_area_id == focus_area.pk for e in deleted)


def test_the_data_migration_works_in_batches(
    plan: Plan, secretary: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("helhedsplan.audit.migrations.0003_fill_entry_focus_area")
    monkeypatch.setattr(migration, "BATCH", 2)
    focus_area = _round(plan, 1, secretary)
    activities = [factories.ActivityFactory(plan=plan, focus_area=focus_area) for _ in range(5)]
    AuditEntry.objects.filter(plan=plan).update(focus_area=None)
    migration.fill_focus_areas(apps, None)
    for activity in activities:
        entries = AuditEntry.objects.filter(
            object_pk=str(activity.pk), content_type__model="activity"
        )
        assert entries and all(e.focus_area_id == focus_area.pk for e in entries)


# --- the export -------------------------------------------------------------------------


def _rows_of_xlsx(data: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _header_and_rows(rows: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Tidspunkt")
    return rows[start], rows[start + 1 :]


def test_the_export_has_one_row_per_field_change_with_the_filters(
    plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    client = client_for("auditor")
    second = trail["second"]
    response = client.get(export_url(plan, "revisionsspor", "xlsx", indsatsomraade=second.pk))
    assert response.status_code == 200
    header, rows = _header_and_rows(_rows_of_xlsx(response.content))
    assert header == (
        "Tidspunkt",
        "Bruger",
        "Objekttype",
        "Objekt",
        "Hændelse",
        "Felt",
        "Før",
        "Efter",
        "Begrundelse",
    )
    entries = AuditEntry.objects.filter(plan=plan, focus_area=second)
    from helhedsplan.audit import display

    changes = sum(max(1, len(display.field_changes(e))) for e in entries)
    assert len(rows) == changes
    assert {row[2] for row in rows} == {"Indsatsområde"}
    assert {row[4] for row in rows} == {"Oprettet", "Ændret"}
    update = next(row for row in rows if row[4] == "Ændret" and row[5] == "formål")
    assert update[7] == "Formålet er ændret på grund af nye tal"
    assert update[8] == "Bestyrelsen besluttede at omdøbe den"
    assert str(trail["board"]) == update[1]
    assert _raw_values(" ".join(str(c) for row in rows for c in row if c)) == []


def test_the_csv_export_reads_the_same(
    plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    response = client_for("secretariat").get(
        export_url(plan, "revisionsspor", "csv", haendelse="delete")
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    _header, body = _header_and_rows([tuple(r) for r in rows])
    assert body and {row[4] for row in body} == {"Slettet"}
    assert any(row[3] == "7.9 Kortlivet" for row in body)


def test_an_export_with_a_filter_that_does_not_read_is_not_found(
    plan: Plan, client_for: Clients
) -> None:
    response = client_for("auditor").get(export_url(plan, "revisionsspor", "csv", fra="i går"))
    assert response.status_code == 404


def test_the_export_costs_a_bounded_number_of_queries(
    plan: Plan, secretary: User, client_for: Clients
) -> None:
    from helhedsplan.audit.exports import AuditTrailExporter

    _round(plan, 1, secretary)
    with CaptureQueriesContext(connection) as small:
        AuditTrailExporter(plan, {}).render("csv")
    for n in range(2, 6):
        _round(plan, n, secretary)
    with CaptureQueriesContext(connection) as large:
        AuditTrailExporter(plan, {}).render("csv")
    assert len(large) <= len(small) + 1 <= QUERY_LIMIT, (len(small), len(large))


# --- who reads it -----------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_readers_get_the_page_and_the_export(
    role: str, plan: Plan, trail: dict[str, Any], client_for: Clients
) -> None:
    client = client_for(role)
    text = _text(client, plan)
    assert "Hent som XLSX" in text and "Hent som CSV" in text
    for fmt in ("xlsx", "csv"):
        assert client.get(export_url(plan, "revisionsspor", fmt)).status_code == 200


@pytest.mark.parametrize("role", NOT_READERS)
def test_the_others_get_neither(role: str, plan: Plan, client_for: Clients) -> None:
    client = client_for(role)
    assert client.get(_url(plan)).status_code == 403
    for fmt in ("xlsx", "csv"):
        assert client.get(export_url(plan, "revisionsspor", fmt)).status_code == 403


def test_the_export_is_itself_in_the_trail(plan: Plan, client_for: Clients) -> None:
    client_for("auditor").get(export_url(plan, "revisionsspor", "xlsx", haendelse="create"))
    entry = AuditEntry.objects.filter(plan=plan, event="export.downloaded").latest("pk")
    assert entry.changes == {"exporter": "revisionsspor", "format": "xlsx"}


def test_the_object_history_reads_in_danish_too(
    plan: Plan, secretary: User, client_for: Clients
) -> None:
    focus_area = _round(plan, 1, secretary)
    url = reverse(
        "audit:object",
        kwargs={
            "slug": plan.slug,
            "ct": ContentType.objects.get_for_model(FocusArea).pk,
            "pk": focus_area.pk,
        },
    )
    text = client_for("board").get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Oprettet" in text and "Ændret" in text and _raw_values(text) == []


def test_decimal_and_large_numbers(plan: Plan) -> None:
    from helhedsplan.audit import display
    from helhedsplan.finance.models import BudgetAmount

    amount = factories.BudgetAmountFactory(
        line=factories.BudgetLineFactory(plan=plan), amount=Decimal("1250.50")
    )
    entry = AuditEntry.objects.get(object_pk=str(amount.pk), content_type__model="budgetamount")
    rows = {row.field: row.new for row in display.field_changes(entry)}
    field = str(BudgetAmount._meta.get_field("amount").verbose_name)
    assert rows[field] == "1.250,50"
    assert rows[str(BudgetAmount._meta.get_field("year").verbose_name)] == str(amount.year)


def test_a_copied_plan_keeps_its_entries_under_their_focus_areas(
    plan: Plan, secretary: User
) -> None:
    from helhedsplan.transfer.services import plan_export, plan_import

    focus_area = _round(plan, 1, secretary)
    filed = AuditEntry.objects.filter(plan=plan, focus_area=focus_area).count()
    copy = plan_import(data=plan_export(plan), slug="kopi")
    copied = FocusArea.objects.get(plan=copy, code=focus_area.code)
    assert AuditEntry.objects.filter(plan=copy, focus_area=copied).count() == filed > 5


def test_a_decision_names_what_it_concerns(plan: Plan) -> None:
    from helhedsplan.audit import display
    from helhedsplan.meetings.models import Decision

    focus_area = FocusArea.objects.get(plan=plan, code="5.1")
    decision = Decision.objects.create(
        meeting=factories.MeetingFactory(plan=plan),
        text="Bestyrelsen godkender indsatsen.",
        concerns=focus_area,
        concerns_label=str(focus_area),
    )
    entry = AuditEntry.objects.get(object_pk=str(decision.pk), content_type__model="decision")
    rows = {row.field: row.new for row in display.field_changes(entry)}
    assert rows["vedrører (type)"] == "Indsatsområde"
    assert rows["vedrører"] == str(focus_area)
    assert "concerns" not in rows


def test_every_focus_area_path_reaches_a_focus_area_and_the_migration_knows_it() -> None:
    import importlib

    from django.apps import apps

    from helhedsplan.lib.models import Audited

    migration = importlib.import_module("helhedsplan.audit.migrations.0003_fill_entry_focus_area")
    declared = {}
    for model in apps.get_models():
        if not issubclass(model, Audited) or model.focus_area_path is None:
            continue
        path = model.focus_area_path
        if path == "pk":
            assert model is FocusArea
        else:
            owner: Any = model
            for hop in path.split("__"):
                owner = owner._meta.get_field(hop).related_model
            assert owner is FocusArea, model
        str(model._default_manager.filter(**{path: 1}).query)  # a valid ORM path
        declared[(model._meta.app_label, model._meta.model_name)] = path
    assert {key: paths[0] for key, paths in migration.PATHS.items()} == declared
