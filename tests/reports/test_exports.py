"""One registry, one door: every exporter, every format, every role, through the one view."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, ClassVar

import pytest
from django.test import Client
from docx import Document as DocxDocument
from openpyxl import load_workbook

from helhedsplan import charts
from helhedsplan.agreements.models import AgreementVersion, SubAgreementVersion
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import Observation, SuccessCriterion, Target
from helhedsplan.plans import versions
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports import render, suppression
from helhedsplan.reports.document import Document, Heading, Table
from helhedsplan.reports.exporters import (
    INTERNAL,
    LEAVES,
    Archive,
    Exporter,
    Output,
    export_url,
    registry,
)
from helhedsplan.reports.http import CONTENT_TYPES, download
from helhedsplan.reports.rows import Column, ColumnKind, Rows, Sheet
from tests.accounts.test_permission_matrix import (
    EXPORTS_NOT_IN_DEMO,
    ROLES,
    export_cases,
    export_path,
    export_roles,
    export_status,
)

# Every exporter needs its object (an agreement version, a sub-agreement, minutes, a chart
# with figures); the demo holds one of each, so this runs on the demo, as the matrix does.
pytestmark = pytest.mark.demo

Clients = Callable[[str], Client]

# Who the output is for, decided per exporter (the report to the coordinator says why).
AUDIENCES = {
    # The trail with the page's filters: the auditor's working copy, not sent out.
    "revisionsspor": INTERNAL,
    "slutstatus": LEAVES,
    "succeskriterier": INTERNAL,
    "graf": INTERNAL,
    "leverancemaaling": INTERNAL,
    "aktivitetsskema": INTERNAL,
    "referat": INTERNAL,
    "organisationsdiagram": LEAVES,
    "aftale": LEAVES,
    "delaftale": LEAVES,
    "bilag-delaftale": LEAVES,
    "bilag-organisationsdiagram": LEAVES,
    "bilag-aktivitetsskema": LEAVES,
    # The budget: its import's XLSX is work material; attachment 5 is sent to LBF.
    "budget": INTERNAL,
    "bilag-budget": LEAVES,
    "lbf-pakke": LEAVES,
    "plan-eksport": INTERNAL,
    # Internal to the secretariat; LEAVES for LBF's users and with ?udgave=ekstern
    # (``audience_for``: tests/statusreports/test_pages.py).
    "statusrapport": INTERNAL,
    # The accounts against the budget: the secretariat's, the board's and the auditor's.
    "regnskab": INTERNAL,
    # To the housing organisation's auditor: INTERNAL only for the secretariat's own copy
    # (``audience_for``: tests/auditpackage/test_exports.py).
    "revisionspakke": LEAVES,
    # Attachment 4, generated from the milestones: part of the LBF package.
    "milepaelsplan": LEAVES,
    # Attachment 7, from LBF's central measurements at the plan's start: to LBF.
    "centrale_maalinger": LEAVES,
    # The values page as a document: LEAVES for LBF's users (``audience_for``).
    "maalinger": INTERNAL,
}


@pytest.fixture
def cheap_renderers(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDF, DOCX and PNG as markers: these tests are about answers, not about drawing."""
    monkeypatch.setattr(render, "render_pdf", lambda output: b"%PDF-test")
    monkeypatch.setattr(render, "render_docx", lambda output: b"PK-test")
    monkeypatch.setattr(charts, "svg_to_png", lambda svg, **kw: b"\x89PNG-test")


def _all_sub_agreements_in_force(plan: Plan) -> None:
    """Attachment 2 exists once every focus area has a sub-agreement in force."""
    for fa in FocusArea.objects.filter(plan=plan):
        if not SubAgreementVersion.objects.filter(focus_area=fa, status="approved").exists():
            number = SubAgreementVersion.objects.filter(focus_area=fa).count() + 1
            SubAgreementVersion.objects.create(
                focus_area=fa, number=number, status="approved", in_force_from=date(2019, 1, 1)
            )


def _a_budget(plan: Plan) -> None:
    """Attachment 5 exists once the budget has amounts (the demo's has none)."""
    from helhedsplan.finance.models import BudgetAmount, BudgetLine, FundingSource

    line = BudgetLine.objects.create(plan=plan, kind="other", name="Testpost")
    local = FundingSource.objects.get(plan=plan, kind="local")
    BudgetAmount.objects.create(line=line, source=local, year=2018, amount=1)


def _central_measurements_at_the_start(plan: Plan) -> None:
    """The demo has none (the seed gives no values): one for the plan's start year."""
    from tests import factories

    factories.CentralMeasurementFactory(
        area=plan.areas.order_by("order").first(),
        indicator=factories.indicator("beboere", plan.framework),
        year=plan.start_date.year,
        value=1000,
    )


def test_the_registry_lists_every_exporter() -> None:
    assert [e.identifier for e in registry.all()] == [
        "revisionsspor",
        "slutstatus",
        "budget",
        "bilag-budget",
        "succeskriterier",
        "graf",
        "organisationsdiagram",
        "referat",
        "leverancemaaling",
        "aktivitetsskema",
        "aftale",
        "delaftale",
        "bilag-delaftale",
        "bilag-organisationsdiagram",
        "bilag-aktivitetsskema",
        "lbf-pakke",
        "plan-eksport",
        "statusrapport",
        "milepaelsplan",
        "regnskab",
        "revisionspakke",
        "centrale_maalinger",
        "maalinger",
    ]
    assert {e.identifier: e.audience for e in registry.all()} == AUDIENCES
    for exporter in registry.all():
        assert str(exporter.title) and exporter.formats, exporter.identifier


@pytest.mark.parametrize(("exporter", "fmt"), export_cases())
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.usefixtures("cheap_renderers")
def test_every_exporter_format_and_role_answers_as_the_permission_says(
    exporter: str, fmt: str, role: str, plan: Plan, client_for: Clients
) -> None:
    response = client_for(role).get(export_path(plan, exporter, fmt))
    assert response.status_code == export_status(exporter, role), (exporter, fmt, role)
    if response.status_code == 200:
        assert response["Content-Type"] == CONTENT_TYPES[fmt]
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Content-Disposition"].endswith(f'.{fmt}"')


@pytest.mark.usefixtures("cheap_renderers")
def test_attachment_2_is_there_once_every_sub_agreement_is_in_force(
    plan: Plan, client_for: Clients
) -> None:
    assert "bilag-delaftale" in EXPORTS_NOT_IN_DEMO
    _all_sub_agreements_in_force(plan)
    for role in export_roles("bilag-delaftale"):
        response = client_for(role).get(export_path(plan, "bilag-delaftale", "pdf"))
        assert response.status_code == 200, role
    version = SubAgreementVersion.objects.filter(
        focus_area__plan=plan, focus_area__code="5.1", status="approved"
    ).latest("in_force_from", "number")
    assert response["Content-Disposition"] == (
        f'attachment; filename="delaftale-5.1-v{version.number}.pdf"'
    )


@pytest.mark.parametrize(
    "path",
    [
        "findes-ikke.pdf",  # no such exporter
        "aftale.xlsx",  # a format it does not make
        "aftale.txt",  # a format nobody makes
        "aftale.pdf?version=999",  # no such version
        "aftale.pdf?version=x",
        "aftale.pdf",  # the version is not named
        "delaftale.pdf?kode=9.9&version=1",
        "referat.pdf?moede=999999",
    ],
)
def test_unknown_exporter_format_or_object_is_404(
    path: str, plan: Plan, client_for: Clients
) -> None:
    url = f"/planer/{plan.slug}/eksport/{path}"
    assert client_for("secretariat").get(url).status_code == 404


def test_a_role_without_the_permission_gets_403_before_the_object_is_looked_up(
    plan: Plan, client_for: Clients
) -> None:
    url = export_url(plan, "referat", "pdf", moede=999999)
    assert client_for("lbf").get(url).status_code == 403


def test_exports_of_another_plan_are_404(plan: Plan, other_plan: Plan, client_for: Clients) -> None:
    # A member of the other plan asking for this plan's agreement; this plan's secretariat
    # asking with the other plan's slug.
    outsider = Client()
    outsider.force_login(other_plan.memberships.get().user)
    assert outsider.get(export_url(plan, "aftale", "pdf", version=1)).status_code == 404
    url = export_url(other_plan, "aktivitetsskema", "xlsx")
    assert client_for("secretariat").get(url).status_code == 404


def test_the_export_view_is_get_only(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(export_url(plan, "aktivitetsskema", "xlsx"))
    assert response.status_code == 405


# --- headers ---------------------------------------------------------------------------------


def test_a_non_ascii_name_is_sent_as_rfc_6266_filename_star() -> None:
    response = download(b"x", fmt="csv", filename="referat-møde æøå.csv")
    header = response["Content-Disposition"]
    assert header == (
        'attachment; filename="referat-moede aeoeaa.csv"; '
        "filename*=UTF-8''referat-m%C3%B8de%20%C3%A6%C3%B8%C3%A5.csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    ascii_name = download(b"x", fmt="pdf", filename="aftale-v1.pdf")
    assert ascii_name["Content-Disposition"] == 'attachment; filename="aftale-v1.pdf"'


@pytest.mark.usefixtures("cheap_renderers")
@pytest.mark.parametrize(
    ("exporter", "fmt", "params", "filename"),
    [
        ("aftale", "pdf", {"version": 1}, "strategisk-samarbejdsaftale-v1.pdf"),
        ("aftale", "docx", {"version": 1}, "strategisk-samarbejdsaftale-v1.docx"),
        ("delaftale", "docx", {"kode": "5.1", "version": 1}, "delaftale-5.1-v1.docx"),
        ("organisationsdiagram", "png", {"dato": "2019-01-01"},
         "organisationsdiagram-2019-01-01.png"),
        ("succeskriterier", "xlsx", {"aar": 2016}, "succeskriterier-slagelse-2016.xlsx"),
        ("graf", "svg", {"kriterium": "5.2.2", "kolonne": "total"}, "graf-5.2.2-total.svg"),
        ("leverancemaaling", "xlsx", {"aar": 2018}, "leverancemaaling-slagelse-2018.xlsx"),
        ("aktivitetsskema", "xlsx", {}, "aktivitetsskema-slagelse.xlsx"),
        ("bilag-organisationsdiagram", "pdf", {}, "organisationsdiagram-slagelse.pdf"),
        ("bilag-aktivitetsskema", "xlsx", {}, "aktivitetsskema-slagelse.xlsx"),
    ],
)  # fmt: skip
def test_download_names_are_those_of_before(
    exporter: str, fmt: str, params: dict[str, Any], filename: str, plan: Plan, client_for: Clients
) -> None:
    response = client_for("secretariat").get(export_url(plan, exporter, fmt, **params))
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.usefixtures("cheap_renderers")
def test_minutes_and_package_names(plan: Plan, client_for: Clients) -> None:
    from django.utils import timezone

    from tests.meetings.factories import meeting_with_minutes

    meeting = meeting_with_minutes(plan)
    response = client_for("board").get(export_url(plan, "referat", "docx", moede=meeting.pk))
    assert response["Content-Disposition"] == (
        f'attachment; filename="referat-{meeting.date:%Y-%m-%d}.docx"'
    )
    package = client_for("lbf").get(export_url(plan, "lbf-pakke", "zip"))
    stamp = timezone.localdate().isoformat()
    assert (
        package["Content-Disposition"] == f'attachment; filename="lbf-pakke-slagelse-{stamp}.zip"'
    )


# --- audit -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("cheap_renderers")
def test_each_download_writes_its_audit_event(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    version = AgreementVersion.objects.get(plan=plan, number=1)

    def last() -> AuditEntry:
        entry: AuditEntry | None = AuditEntry.objects.order_by("-pk").first()
        assert entry is not None
        return entry

    client.get(export_url(plan, "aftale", "pdf", version=1))
    entry = last()
    assert (entry.event, entry.object_pk) == ("document.downloaded.pdf", str(version.pk))
    client.get(export_url(plan, "bilag-organisationsdiagram", "pdf"))
    entry = last()
    assert entry.event == "attachment.generated.downloaded"
    assert entry.changes == {"file": "organisationsdiagram-slagelse.pdf"}
    assert entry.object_pk == str(plan.pk)
    client.get(export_url(plan, "lbf-pakke", "zip"))
    entry = last()
    assert entry.event == "lbf_package.downloaded" and set(entry.changes) == {"files", "sha256"}
    client.get(export_url(plan, "succeskriterier", "csv", aar=2016))
    entry = last()
    assert entry.event == "export.downloaded"
    assert entry.changes == {"exporter": "succeskriterier", "format": "csv"}
    assert entry.actor is not None and entry.actor.username == "sekretariat"


def test_a_refused_export_writes_nothing(plan: Plan, client_for: Clients) -> None:
    before = AuditEntry.objects.count()
    client_for("lbf").get(export_url(plan, "succeskriterier", "xlsx"))
    client_for("secretariat").get(export_url(plan, "aftale", "pdf", version=999))
    assert AuditEntry.objects.count() == before


# --- XLSX that prints, CSV as before ---------------------------------------------------------


def test_the_scorecard_sheet_prints(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").get(export_url(plan, "succeskriterier", "xlsx", aar=2016))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["A2"].value == "Indsatsområde"  # row 1 is the title
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["C"].width == 40
    assert sheet.column_dimensions["A"].width == 16


def test_the_activity_plan_sheet_keeps_its_header_in_row_1(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").get(export_url(plan, "aktivitetsskema", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    assert [sheet.column_dimensions[c].width for c in "ABCDEF"] == [40, 32, 8, 9, 15, 22]


def test_the_same_rows_give_the_same_bytes(plan: Plan) -> None:
    exporter = registry.get("leverancemaaling")
    assert exporter is not None
    first = exporter(plan, {"aar": "2018"}).render("xlsx")
    assert exporter(plan, {"aar": "2018"}).render("xlsx") == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_csv_is_semicolon_separated_utf8_with_bom_and_formula_safe() -> None:
    rows = Rows(
        "t",
        [Sheet("s", (Column("Navn"), Column("Tal", kind=ColumnKind.NUMBER)), [("=1+1", 2.5)])],
    )
    data = render.render_csv(rows)
    assert data.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")) == [
        ["Navn", "Tal"],
        ["'=1+1", "2,5"],
    ]


def test_rows_print_as_a_table_and_a_document_tables_as_sheets() -> None:
    rows = Rows(
        "Leverancer",
        [Sheet("2018", (Column("År"), Column("Antal", kind=ColumnKind.COUNT)), [(2018, 3)])],
    )
    doc = render.as_document(rows)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.rows == (("2018", "3"),) and table.count_columns == frozenset({1})
    back = render.as_rows(Document("D", blocks=[Heading("Tal"), table]))
    assert back.sheets[0].header == ("År", "Antal")
    assert back.sheets[0].columns_of(ColumnKind.COUNT) == frozenset({1})
    docx = DocxDocument(io.BytesIO(render.render_docx(rows)))
    assert [c.text for c in docx.tables[0].rows[1].cells] == ["2018", "3"]


# --- the suppression hook --------------------------------------------------------------------


# Output that leaves for everyone but the secretariat, whose own working copy is internal
# (``audience_for``; tests/auditpackage/test_exports.py asks for the auditor's copy).
INTERNAL_FOR_THE_SECRETARIAT = {"revisionspakke"}


@pytest.fixture
def hook_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []

    def recording(output: Output, exporter: Exporter) -> Output:
        calls.append(exporter.identifier)
        return output

    monkeypatch.setattr(suppression, "prepare_for_release", recording)
    yield calls


@pytest.mark.parametrize(("exporter", "fmt"), export_cases())
@pytest.mark.usefixtures("cheap_renderers")
def test_the_hook_sees_every_output_that_leaves_and_nothing_internal(
    exporter: str, fmt: str, plan: Plan, hook_calls: list[str], client_for: Clients
) -> None:
    _all_sub_agreements_in_force(plan)
    if exporter == "bilag-budget":
        _a_budget(plan)
    if exporter == "centrale_maalinger":
        _central_measurements_at_the_start(plan)
    response = client_for("secretariat").get(export_path(plan, exporter, fmt))
    assert response.status_code == 200
    if AUDIENCES[exporter] == LEAVES and exporter not in INTERNAL_FOR_THE_SECRETARIAT:
        assert hook_calls and hook_calls[-1] == exporter
    else:
        assert hook_calls == []


@pytest.mark.parametrize(("exporter", "fmt"), export_cases())
@pytest.mark.usefixtures("cheap_renderers")
def test_every_download_is_audited_as_a_read(
    exporter: str, fmt: str, plan: Plan, client_for: Clients
) -> None:
    """A download writes one entry and changes no data: it raises the plan's trail and never
    its data version (``plans.versions``), so no cached page of the plan goes cold. An
    exporter audited as a change by mistake fails here. The entry is filed under none of
    the objects whose entries the criterion page shows (the criterion, its targets and
    observations): that page is keyed by the data version alone."""
    _all_sub_agreements_in_force(plan)
    if exporter == "bilag-budget":
        _a_budget(plan)
    if exporter == "centrale_maalinger":
        _central_measurements_at_the_start(plan)
    path = export_path(plan, exporter, fmt)  # makes the minutes or the report it names
    version, trail = versions.current_with_trail(plan.pk)
    entries = AuditEntry.objects.filter(plan_id=plan.pk).count()
    response = client_for("secretariat").get(path)
    assert response.status_code == 200
    assert AuditEntry.objects.filter(plan_id=plan.pk).count() == entries + 1
    assert versions.current_with_trail(plan.pk) == (version, trail + 1)
    entry = AuditEntry.objects.filter(plan_id=plan.pk).latest("pk")
    assert entry.content_type.model_class() not in (SuccessCriterion, Target, Observation)


class _CountsExporter(Exporter):
    identifier = "test-tal"
    title = "Tal"
    permission = "plan.view"
    audience: ClassVar = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx", "xlsx", "csv")
    as_document: ClassVar[bool] = False

    def output(self) -> Document | Rows | Archive:
        columns = (Column("Område"), Column("Deltagere", kind=ColumnKind.COUNT))
        rows = Rows("Deltagere", [Sheet("Deltagere", columns, [("Motalavej", 3), ("Sydbyen", 12)])])
        return render.as_document(rows) if self.as_document else rows

    def filename(self, fmt: str) -> str:
        return f"deltagere-æøå.{fmt}"


def _under_five(values: list[list[Any]], counts: frozenset[int]) -> list[list[Any]]:
    return [
        [("<5" if i in counts and int(v) < 5 else v) for i, v in enumerate(row)] for row in values
    ]


@pytest.fixture
def counts_exporter(monkeypatch: pytest.MonkeyPatch) -> type[_CountsExporter]:
    monkeypatch.setitem(registry._exporters, _CountsExporter.identifier, _CountsExporter)
    return _CountsExporter


def _xlsx_values(data: bytes) -> list[Any]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_a_suppressor_in_the_hook_changes_what_is_rendered(
    plan: Plan, counts_exporter: type[_CountsExporter], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suppression, "prepare_for_release", lambda out, e: out)
    exporter = counts_exporter(plan)
    before = {fmt: exporter.render(fmt) for fmt in ("pdf", "xlsx", "csv")}
    assert 3 in _xlsx_values(before["xlsx"])
    monkeypatch.setattr(
        suppression, "prepare_for_release", lambda out, e: suppression.map_counts(out, _under_five)
    )
    after = {fmt: counts_exporter(plan).render(fmt) for fmt in ("pdf", "xlsx", "csv")}
    assert "<5" in _xlsx_values(after["xlsx"]) and 12 in _xlsx_values(after["xlsx"])
    assert 3 not in _xlsx_values(after["xlsx"])
    assert "Motalavej;<5" in after["csv"].decode("utf-8-sig")
    assert "Sydbyen;12" in after["csv"].decode("utf-8-sig")
    assert after["pdf"].startswith(b"%PDF") and after["pdf"] != before["pdf"]
    # A document's table with count columns goes through the same hook.
    monkeypatch.setattr(counts_exporter, "as_document", True)
    docx = DocxDocument(io.BytesIO(counts_exporter(plan).render("docx")))
    assert [c.text for c in docx.tables[0].rows[1].cells] == ["Motalavej", "<5"]


def test_the_hook_is_not_used_for_internal_output(
    plan: Plan, counts_exporter: type[_CountsExporter], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        suppression, "prepare_for_release", lambda out, e: suppression.map_counts(out, _under_five)
    )
    monkeypatch.setattr(counts_exporter, "audience", INTERNAL)
    assert "Motalavej;3" in counts_exporter(plan).render("csv").decode("utf-8-sig")


def test_a_test_exporter_downloads_through_the_view_with_a_non_ascii_name(
    plan: Plan, counts_exporter: type[_CountsExporter], client_for: Clients
) -> None:
    response = client_for("lbf").get(export_url(plan, "test-tal", "csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="deltagere-aeoeaa.csv"; '
        "filename*=UTF-8''deltagere-%C3%A6%C3%B8%C3%A5.csv"
    )


# --- the checklist and the LBF package find attachments in the registry ----------------------


class _BudgetAttachment(Exporter):
    identifier = "test-budget"
    title = "Budget"
    permission = "agreement.view"
    audience: ClassVar = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("csv",)
    attachment_kind: ClassVar[str] = "budget"
    in_lbf_package: ClassVar[bool] = True

    def output(self) -> Rows:
        return Rows("Budget", [Sheet("Budget", (Column("Post"),), [("Koordinator",)])])

    def filename(self, fmt: str) -> str:
        return f"budget-{self.plan.slug}.{fmt}"

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[Any] | None:
        return [cls(plan, today=today).as_file("csv", version="1")]


@pytest.mark.usefixtures("cheap_renderers")
@pytest.mark.parametrize("in_package", [True, False])
def test_an_attachment_exporter_satisfies_the_checklist_and_goes_into_the_package(
    in_package: bool, plan: Plan, monkeypatch: pytest.MonkeyPatch, client_for: Clients
) -> None:
    from helhedsplan.agreements.attachments import checklist
    from helhedsplan.agreements.package import build_lbf_package

    monkeypatch.setitem(registry._exporters, "test-budget", _BudgetAttachment)
    monkeypatch.setattr(_BudgetAttachment, "in_lbf_package", in_package)
    budget = next(i for i in checklist(plan) if i.kind == "budget")
    assert budget.state == "complete"
    assert [g.filename for g in budget.generated] == ["budget-slagelse.csv"]
    page = client_for("lbf").get(f"/planer/{plan.slug}/bilag/").content.decode()
    assert f'href="/planer/{plan.slug}/eksport/test-budget.csv"' in page
    data, _entries = build_lbf_package(plan)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert ("03-bilag/5-budget/budget-slagelse.csv" in names) is in_package
    manifest = zipfile.ZipFile(io.BytesIO(data)).read("manifest.csv").decode("utf-8-sig")
    assert ("Budget i Landsbyggefondens skabelon (dannet af systemet)" in manifest) is in_package
