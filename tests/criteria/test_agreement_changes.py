"""Changes follow the agreement (issue 11): on a plan whose agreement LBF has approved, a
change to a target, a criterion's text or a focus area is made in a draft agreement version
with a reason and applies from the day that version comes into force; until then the
scorecard keeps evaluating the targets in force.

Factory plans (areas "nord" and "syd"; 5.2.2 a rate per 1000 with "under 30" on the total),
apart from the last test, which is about the seed's 5.1.1 and 5.2.1.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.agreements import changes
from helhedsplan.agreements.models import SECTION_KEYS, AgreementVersion, ProposedChange
from helhedsplan.agreements.services import (
    agreement_version_create,
    agreement_version_submit,
    version_decide,
)
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria import selectors, services
from helhedsplan.criteria.models import (
    Observation,
    SuccessCriterion,
    Target,
    evaluation_date,
)
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.plans.services import focus_area_update
from tests.editing import opened_version
from tests.factories import (
    MeasureFactory,
    ObservationFactory,
    ProposedChangeFactory,
    SuccessCriterionFactory,
    TargetFactory,
    agreement_version,
)

Clients = Callable[[str], Client]
SECTIONS = {key: f"Tekst til afsnit {key}." for key, _title in SECTION_KEYS}
REASON = "Bestyrelsen besluttede et skarpere mål på mødet 1. marts 2019."


def _approved_plan(plan: Plan, in_force_from: date = date(2018, 1, 1)) -> AgreementVersion:
    """Version 1 of the plan's agreement, approved by LBF."""
    v1 = agreement_version_create(plan=plan, sections=SECTIONS, change_note="Første version.")
    return version_decide(
        version=agreement_version_submit(version=v1), may_decide=True, letter_required=False,
        approve=True, in_force_from=in_force_from,
    )  # fmt: skip


def _draft(plan: Plan) -> AgreementVersion:
    return agreement_version_create(plan=plan, sections={}, change_note="Skarpere mål.")


def _approve(version: AgreementVersion, on: date) -> AgreementVersion:
    return version_decide(
        version=agreement_version_submit(version=version), may_decide=True,
        letter_required=False, approve=True, in_force_from=on,
    )  # fmt: skip


def _target(plan: Plan, code: str = "5.2.2") -> Target:
    """The criterion's target in force (not superseded)."""
    return Target.objects.select_related("introduced_by", "superseded_by").get(
        criterion__plan=plan,
        criterion__code=code,
        superseded_by__isnull=True,
        introduced_by__isnull=True,
    )


def _status(plan: Plan, year: int, code: str = "5.2.2", column: str = "total") -> str:
    card = selectors.scorecard(plan, year)
    for group in card.groups:
        for row in group.rows:
            if row.criterion.code == code:
                cell = next(c for c in row.cells if c.column.key == column)
                return cell.status.value if cell.status else ""
    raise AssertionError(code)


def _observe(plan: Plan, year: int, value: str, code: str = "5.2.2") -> None:
    criterion = SuccessCriterion.objects.get(plan=plan, code=code)
    ObservationFactory(
        measure=criterion.measure, area=None, year=year, value=Decimal(value),
        state=Observation.State.APPROVED,
    )  # fmt: skip


# --- the rule: which targets are in force on a date ----------------------------------------


@pytest.mark.parametrize(
    ("status", "starts", "introduced_in_force", "superseded_in_force"),
    [
        ("draft", None, False, False),
        ("submitted", None, False, False),
        ("returned", None, False, False),
        ("approved", date(2019, 7, 1), True, True),  # started on the day itself
        ("approved", date(2019, 7, 2), False, False),  # starts the day after
    ],
)
def test_a_version_changes_what_is_in_force_only_once_approved_and_started(
    plan: Plan, status: str, starts: date | None, introduced_in_force: bool,
    superseded_in_force: bool,
) -> None:  # fmt: skip
    original = _target(plan)
    version = agreement_version(plan, status, starts)
    on = date(2019, 7, 1)
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    made_new = TargetFactory(criterion=criterion, introduced_by=version)
    made_old = TargetFactory(criterion=criterion, superseded_by=version)
    new = Target.objects.select_related("introduced_by", "superseded_by").get(pk=made_new.pk)
    old = Target.objects.select_related("introduced_by", "superseded_by").get(pk=made_old.pk)
    assert new.in_force_on(on) is introduced_in_force
    assert old.in_force_on(on) is not superseded_in_force
    assert original.in_force_on(on)  # no version: part of the plan from the start


def test_a_year_is_evaluated_with_the_targets_of_its_last_day_or_of_today() -> None:
    assert evaluation_date(2019, today=date(2026, 1, 1)) == date(2019, 12, 31)
    assert evaluation_date(2019, today=date(2019, 12, 31)) == date(2019, 12, 31)
    assert evaluation_date(2019, today=date(2019, 6, 30)) == date(2019, 6, 30)
    assert evaluation_date(2021, today=date(2019, 6, 30)) == date(2019, 6, 30)


def test_year_boundaries_of_a_version_in_force_from_new_year(plan: Plan) -> None:
    _approved_plan(plan)
    _observe(plan, 2019, "25")
    _observe(plan, 2020, "25")
    draft = _draft(plan)
    services.target_update(target=_target(plan), value=Decimal(20), reason=REASON)
    _approve(draft, date(2020, 1, 1))
    data = selectors.load_plan_data(plan)
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    assert [t.value for t in data.targets_in_year(criterion.pk, 2019)] == [Decimal(30)]
    assert [t.value for t in data.targets_in_year(criterion.pk, 2020)] == [Decimal(20)]
    assert _status(plan, 2019) == "met"  # 25 under 30: 2019 keeps its target
    assert _status(plan, 2020) == "not_met"  # 25 is not under 20
    # A version in force from a day in the future: today's year is evaluated with today's.
    early = selectors.load_plan_data(plan, today=date(2019, 12, 31))
    assert [t.value for t in early.targets_in_year(criterion.pk, 2020)] == [Decimal(30)]


# --- the scorecard until and after LBF's approval ------------------------------------------


def test_the_scorecard_keeps_the_target_in_force_until_lbf_approves(plan: Plan) -> None:
    _approved_plan(plan)
    _observe(plan, 2019, "25")
    draft = _draft(plan)
    new = services.target_update(target=_target(plan), value=Decimal(20), reason=REASON)
    assert new.introduced_by == draft and new.change_reason == REASON
    assert (
        Target.objects.get(
            criterion__plan=plan, criterion__code="5.2.2", introduced_by=None
        ).superseded_by
        == draft
    )
    assert _status(plan, 2019) == "met"  # the draft changes nothing
    agreement_version_submit(version=draft)
    assert _status(plan, 2019) == "met"  # nor does the submitted version
    version_decide(version=draft, may_decide=True, letter_required=False, approve=False,
                   remarks="Uddyb begrundelsen.")  # fmt: skip
    assert _status(plan, 2019) == "met"  # nor the returned one
    # The returned version keeps its proposal editable, in place.
    again = services.target_update(target=new, value=Decimal(21), reason=REASON)
    assert again.pk == new.pk and Target.objects.get(pk=new.pk).value == Decimal(21)
    _approve(draft, date(2019, 1, 1))
    assert _status(plan, 2019) == "not_met"  # 25 is not under 21


def test_a_change_on_an_approved_plan_needs_a_draft_and_a_reason(plan: Plan) -> None:
    _approved_plan(plan)
    target = _target(plan)
    with pytest.raises(ValidationError) as exc:
        services.target_update(target=target, value=Decimal(20), reason=REASON)
    assert exc.value.code == "draft_version_required"
    _draft(plan)
    with pytest.raises(ValidationError) as exc:
        services.target_update(target=target, value=Decimal(20))
    assert exc.value.error_dict["reason"][0].code == "reason_required"
    target.refresh_from_db()
    assert target.value == Decimal(30)
    assert Target.objects.filter(criterion__plan=plan, criterion__code="5.2.2").count() == 1


def test_a_target_changed_in_one_version_cannot_be_changed_again_from_the_old_one(
    plan: Plan,
) -> None:
    _approved_plan(plan)
    draft = _draft(plan)
    old = _target(plan)
    services.target_update(target=old, value=Decimal(20), reason=REASON)
    _approve(draft, date.today() + timedelta(days=30))
    history = selectors.criterion_detail(plan, "5.2.2").target_history
    assert [(h.state, h.target.value) for h in history] == [
        ("coming", Decimal(20)), ("ends", Decimal(30))
    ]  # fmt: skip
    _draft(plan)
    old = Target.objects.select_related("introduced_by", "superseded_by").get(pk=old.pk)
    with pytest.raises(ValidationError) as exc:
        services.target_update(target=old, value=Decimal(19), reason=REASON)
    assert exc.value.code == "already_changed"


def test_the_edit_page_refuses_a_direct_edit_of_an_approved_plan(
    plan: Plan, client_for: Clients
) -> None:
    _approved_plan(plan)
    target = _target(plan)
    client = client_for("secretariat")
    url = reverse("criteria:target_edit", kwargs={"slug": plan.slug, "code": "5.2.2",
                                                  "pk": target.pk})  # fmt: skip
    page = client.get(url)
    assert "Opret kladde til ny version" in page.content.decode()
    data = {"kind": "threshold", "first_year": "2018", "last_year": "2021", "op": "lt",
            "value": "20", "change_unit": "percent", "reason": REASON,
            "version": opened_version(page)}  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "ny version af aftalen" in refused.content.decode()
    assert Target.objects.filter(criterion__plan=plan).count() == 5  # one per criterion
    # The draft from the page's button, then the same change goes into it.
    create = reverse("agreements:version_create", kwargs={"slug": plan.slug})
    back = client.post(create, {"change_note": "Skarpere mål for 5.2.2", "next": url})
    assert back.status_code == 302 and back["Location"] == url
    data["version"] = opened_version(client.get(url))
    assert client.post(url, data).status_code == 302
    draft = AgreementVersion.objects.get(plan=plan, number=2)
    assert Target.objects.get(introduced_by=draft).value == Decimal(20)
    version_page = client_for("lbf").get(draft.get_absolute_url()).content.decode()
    assert "Værdien skal være under 30" in version_page
    assert "Værdien skal være under 20" in version_page and REASON in version_page


def test_ending_a_target(plan: Plan) -> None:
    target = _target(plan)
    assert services.target_end(target=target) is None  # no agreement yet: deleted
    assert not Target.objects.filter(pk=target.pk).exists()
    _approved_plan(plan)
    other = _target(plan, "5.2.3")
    draft = _draft(plan)
    with pytest.raises(ValidationError):
        services.target_end(target=other)  # a reason is required
    ended = services.target_end(target=other, reason="Målet er nået.")
    assert ended is not None and ended.superseded_by == draft and ended.end_reason
    assert _status(plan, 2019, "5.2.3") == "no_data"  # still in force until approval
    _approve(draft, date(2019, 1, 1))
    assert _status(plan, 2019, "5.2.3") == ""  # no target applies any more


def test_withdrawing_a_proposal_restores_the_target_it_replaced(
    plan: Plan, client_for: Clients
) -> None:
    _approved_plan(plan)
    draft = _draft(plan)
    old = _target(plan)
    new = services.target_update(target=old, value=Decimal(20), reason=REASON)
    page = client_for("secretariat").get(old.criterion.get_absolute_url()).content.decode()
    end_url = reverse("criteria:target_end", kwargs={"slug": plan.slug, "code": "5.2.2",
                                                     "pk": new.pk})  # fmt: skip
    assert "Træk forslaget tilbage" in page and end_url in page
    assert services.target_end(target=new) is None
    old.refresh_from_db()
    assert old.superseded_by is None and not Target.objects.filter(introduced_by=draft).exists()


# --- the history on the criterion page -----------------------------------------------------


def test_the_criterion_page_shows_the_target_history_by_version(
    plan: Plan, client_for: Clients
) -> None:
    _approved_plan(plan)
    draft = _draft(plan)
    services.target_update(target=_target(plan), value=Decimal(20), reason=REASON)
    _approve(draft, date(2020, 1, 1))
    detail = selectors.criterion_detail(plan, "5.2.2")
    states = [(h.state, h.target.value) for h in detail.target_history]
    assert states == [("in_force", Decimal(20)), ("ended", Decimal(30))]
    page = client_for("board").get(detail.criterion.get_absolute_url()).content.decode()
    assert "Målenes historik efter aftaleversion" in page
    assert "Planens oprindelige mål" in page and REASON in page
    assert "1. januar 2020" in page


def test_one_changed_target_lists_its_reason_once(plan: Plan, client_for: Clients) -> None:
    # The change writes several audit entries (the new target, the old one superseded and
    # their areas), each with the reason; the reader sees the reason once.
    _approved_plan(plan)
    _draft(plan)
    target = _target(plan)
    services.target_update(target=target, value=Decimal(20), reason=REASON)
    assert AuditEntry.objects.filter(reason=REASON).count() > 1
    page = client_for("board").get(target.criterion.get_absolute_url()).content.decode()
    reasons = page.split('data-testid="reasons"')[1].split("</section>")[0]
    assert reasons.count(REASON) == 1


def test_the_scorecard_query_count_does_not_grow_with_versions(plan: Plan) -> None:
    _approved_plan(plan)
    _observe(plan, 2019, "25")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.scorecard(plan, 2019)
            selectors.criterion_detail(plan, "5.2.2")
        return len(ctx.captured_queries)

    before = count()
    for value in (20, 19, 18):
        draft = _draft(plan)
        current = Target.objects.get(criterion__code="5.2.2", criterion__plan=plan,
                                     superseded_by__isnull=True)  # fmt: skip
        services.target_update(target=current, value=Decimal(value), reason=REASON)
        _approve(draft, date(2019, 1, 1))
    assert count() == before


# --- texts: proposed in the draft, applied when in force -----------------------------------


def test_a_criterion_text_change_applies_when_the_version_is_approved(plan: Plan) -> None:
    _approved_plan(plan)
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    draft = _draft(plan)
    services.success_criterion_update(
        criterion=criterion, title="Færre afgørelser", text=criterion.text, reason=REASON
    )
    criterion.refresh_from_db()
    assert criterion.title != "Færre afgørelser"  # not before LBF's approval
    change = ProposedChange.objects.get(version=draft)
    assert change.new_values == {"title": "Færre afgørelser"} and change.reason == REASON
    _approve(draft, timezone.localdate())
    criterion.refresh_from_db()
    assert criterion.title == "Færre afgørelser"
    assert AuditEntry.objects.filter(object_pk=str(criterion.pk), reason__contains=REASON)


def test_a_focus_area_change_in_force_later_is_applied_by_the_daily_command(plan: Plan) -> None:
    _approved_plan(plan)
    focus_area = FocusArea.objects.get(plan=plan, code="5.1")
    draft = _draft(plan)
    focus_area_update(focus_area=focus_area, name="Tryghed", purpose="Nyt formål.",
                      sub_goals="", target_groups="", reason=REASON)  # fmt: skip
    later = timezone.localdate() + timedelta(days=10)
    _approve(draft, later)
    focus_area.refresh_from_db()
    assert focus_area.name == "Tryghed og trivsel"
    call_command("apply_agreement_changes", date=str(later - timedelta(days=1)))
    focus_area.refresh_from_db()
    assert focus_area.name == "Tryghed og trivsel"
    call_command("apply_agreement_changes", date=str(later))
    call_command("apply_agreement_changes", date=str(later))  # twice: nothing more
    focus_area.refresh_from_db()
    assert (focus_area.name, focus_area.purpose) == ("Tryghed", "Nyt formål.")
    assert ProposedChange.objects.get(version=draft).applied_at is not None


def test_a_text_edit_without_an_approved_agreement_applies_in_place(plan: Plan) -> None:
    focus_area = FocusArea.objects.get(plan=plan, code="5.1")
    focus_area_update(focus_area=focus_area, name="Tryghed", purpose="P", sub_goals="",
                      target_groups="")  # fmt: skip
    focus_area.refresh_from_db()
    assert (
        focus_area.name == "Tryghed"
        and not ProposedChange.objects.filter(version__plan=plan).exists()
    )


def test_a_version_whose_proposal_conflicts_with_a_newer_change_is_refused(plan: Plan) -> None:
    _approved_plan(plan)
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    draft = AgreementVersion.objects.get(pk=_draft(plan).pk)
    ProposedChangeFactory(version=draft, criterion=criterion,
                          old_values={"title": "En titel, der ikke længere gælder"})  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        agreement_version_submit(version=draft)
    assert exc.value.code == "proposal_conflict"
    assert "er ændret, efter ændringen blev foreslået" in exc.value.messages[0]
    assert changes.conflicts(draft)


# --- the target forms: create, live sentence, bad input ------------------------------------


def _form(**extra: str) -> dict[str, str]:
    return {"kind": "threshold", "first_year": "2018", "last_year": "2021", "op": "lt",
            "value": "20", "change_unit": "percent", "applies_to_total": "on", **extra}  # fmt: skip


def test_the_live_sentence_writes_nothing(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    url = reverse("criteria:target_sentence", kwargs={"slug": plan.slug, "code": "5.2.2"})
    count = Target.objects.count()
    ok = client.post(url, _form())
    assert "Værdien skal være under 20 pr. 1000 beboere hvert år i 2018-2021" in ok.content.decode()
    bad = client.post(url, _form(value=""))
    assert "Målet hænger ikke sammen" in bad.content.decode()
    assert Target.objects.count() == count
    assert client.get(url).status_code == 405
    assert client_for("board").post(url, _form()).status_code == 403


@pytest.mark.parametrize(
    ("kind", "fields", "words"),
    [
        ("threshold", {"op": "lt", "value": "20"}, "under 20"),
        ("path", {"op": "le", "value": "20", "baseline_year": "2017"}, "falde fra"),
        ("year_over_year", {"percent": "10", "baseline_year": "2017"}, "10 %"),
        ("compounded", {"percent": "5", "baseline_year": "2017"}, "5 %"),
        ("pending_baseline", {"baseline_year": "2017"}, "nulpunktet for 2017"),
        ("direction", {"baseline_year": "2017"}, "2017"),
        ("qualitative", {}, ""),
    ],
)
def test_the_create_form_shows_the_sentence_without_js_and_creates_every_kind(
    plan: Plan, client_for: Clients, kind: str, fields: dict[str, str], words: str
) -> None:
    client = client_for("secretariat")
    url = reverse("criteria:target_create", kwargs={"slug": plan.slug, "code": "5.2.2"})
    data = {"kind": kind, "first_year": "2018", "last_year": "2021", "change_unit": "percent",
            "applies_to_total": "on", **fields}  # fmt: skip
    count = Target.objects.count()
    preview = client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200 and Target.objects.count() == count
    assert 'data-testid="target-sentence"' in preview.content.decode()
    assert words in preview.content.decode()
    assert client.post(url, data).status_code == 302
    assert Target.objects.filter(criterion__plan=plan, kind=kind).exists()


def test_a_reference_target_is_created_against_a_series(plan: Plan) -> None:
    from helhedsplan.criteria.services import reference_series_create

    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    series = reference_series_create(plan=plan, measure=criterion.measure, slug="land",
                                     name="Landsgennemsnit",
                                     values={2018: Decimal(12)})  # fmt: skip
    target = services.target_create(criterion=criterion, kind="reference", first_year=2018,
                                    last_year=2021, applies_to_total=True, op="lt",
                                    reference_series=series)  # fmt: skip
    assert "Landsgennemsnit" in target.describe()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"value": ""}, "invalid_target"),  # a threshold without a value
        ({"first_year": "2010"}, "outside_plan"),  # before the measure and the plan
        ({"last_year": "2023"}, "outside_plan"),  # after the plan
    ],
)
def test_bad_targets_are_refused_in_danish_and_nothing_is_written(
    plan: Plan, client_for: Clients, fields: dict[str, str], code: str
) -> None:
    client = client_for("secretariat")
    url = reverse("criteria:target_create", kwargs={"slug": plan.slug, "code": "5.2.2"})
    count = Target.objects.count()
    page = client.post(url, _form(**fields))
    assert page.status_code == 200 and Target.objects.count() == count
    text = page.content.decode()
    assert "Målet hænger ikke sammen" in text or "uden for planens år" in text
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    kwargs = {"kind": "threshold", "first_year": 2018, "last_year": 2021, "op": "lt",
              "value": Decimal(20), "applies_to_total": True}  # fmt: skip
    kwargs.update({k: (int(v) if k.endswith("year") else (Decimal(v) if v else None))
                   for k, v in fields.items()})  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.target_create(criterion=criterion, **kwargs)  # type: ignore[arg-type]
    assert code in _codes(exc.value)


def _codes(exc: ValidationError) -> set[str | None]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def test_a_new_target_on_an_approved_plan_is_introduced_by_the_draft(plan: Plan) -> None:
    _approved_plan(plan)
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.2.2")
    with pytest.raises(ValidationError) as exc:
        services.target_create(criterion=criterion, kind="threshold", first_year=2019,
                               last_year=2021, applies_to_total=True, op="lt",
                               value=Decimal(25), reason=REASON)  # fmt: skip
    assert exc.value.code == "draft_version_required"
    draft = _draft(plan)
    target = services.target_create(criterion=criterion, kind="threshold", first_year=2019,
                                    last_year=2021, applies_to_total=True, op="lt",
                                    value=Decimal(25), reason=REASON)  # fmt: skip
    assert target.introduced_by == draft
    data = selectors.load_plan_data(plan)
    assert target.pk not in [t.pk for t in data.targets_in_year(criterion.pk, 2019)]


# --- a pending baseline, set from the registered baseline ----------------------------------


def _pending_pair(plan: Plan) -> tuple[Target, Target, HousingArea, HousingArea]:
    """Two criteria on one measure with the same pending target for both areas (as the
    seed's 5.1.1 and 5.2.1), and an approved 2017 baseline of 60 for "nord"."""
    measure = MeasureFactory(plan=plan, slug="tryghed", direction="higher_is_better",
                             value_kind="percent", unit="%", first_year=2016)  # fmt: skip
    nord, syd = HousingArea.objects.get(plan=plan, slug="nord"), HousingArea.objects.get(
        plan=plan, slug="syd")  # fmt: skip
    pending = []
    for code in ("7.1.1", "7.2.1"):
        criterion = SuccessCriterionFactory(plan=plan, code=code, measure=measure)
        pending.append(TargetFactory(
            criterion=criterion, kind="pending_baseline", op="", value=None,
            baseline_year=2017, applies_to_total=False, areas=[nord, syd],
        ))  # fmt: skip
    ObservationFactory(measure=measure, area=nord, year=2017, value=Decimal(60),
                       state=Observation.State.APPROVED)  # fmt: skip
    return pending[0], pending[1], nord, syd


def test_setting_a_pending_baseline_sets_every_criterion_on_the_measure(plan: Plan) -> None:
    first, second, nord, _syd = _pending_pair(plan)
    ObservationFactory(measure=first.criterion.measure, area=nord, year=2018, value=Decimal(65),
                       state=Observation.State.APPROVED)  # fmt: skip
    assert _status(plan, 2018, "7.1.1", "nord") == "pending"
    created = services.target_set_from_baseline(
        target=first, area=nord, kind="direction", reason="Nulpunktet for 2017 er registreret."
    )
    assert [t.criterion.code for t in created] == ["7.1.1", "7.2.1"]
    assert {t.set_from_id for t in created} == {first.pk, second.pk}
    assert all(t.baseline_value == Decimal(60) and t.baseline_year == 2017 for t in created)
    for code in ("7.1.1", "7.2.1"):
        assert _status(plan, 2018, code, "nord") == "met"  # 65 above 60
        assert _status(plan, 2018, code, "syd") == "pending"  # syd has no baseline yet
    assert AuditEntry.objects.filter(reason__contains="Nulpunktet for 2017").exists()
    with pytest.raises(ValidationError) as exc:
        services.target_set_from_baseline(target=second, area=nord, kind="direction",
                                          reason="Igen")  # fmt: skip
    assert exc.value.code == "already_set"


def test_a_pending_baseline_without_an_approved_baseline_is_refused(plan: Plan) -> None:
    first, _second, _nord, syd = _pending_pair(plan)
    count = Target.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.target_set_from_baseline(target=first, area=syd, kind="threshold", op="gt",
                                          value=Decimal(70), reason="Fastlagt.")  # fmt: skip
    assert exc.value.code == "no_baseline"
    assert "intet godkendt nulpunkt for Sydparken i 2017" in exc.value.messages[0]
    assert Target.objects.count() == count


def test_the_set_baseline_page(plan: Plan, client_for: Clients) -> None:
    first, _second, _nord, _syd = _pending_pair(plan)
    client = client_for("secretariat")
    url = reverse("criteria:target_set_baseline",
                  kwargs={"slug": plan.slug, "code": "7.1.1", "pk": first.pk})  # fmt: skip
    page = client.get(url).content.decode()
    assert "Samme mål fastlægges samtidig for" in page and "7.2.1" in page
    data = {"area": "nord", "kind": "threshold", "op": "gt", "value": "62",
            "change_unit": "percent", "reason": "Nulpunkt 60, mål 62."}  # fmt: skip
    done = client.post(url, data)
    assert done.status_code == 302
    assert (
        Target.objects.filter(
            criterion__plan=plan, set_from__isnull=False, value=Decimal(62)
        ).count()
        == 2
    )
    assert client_for("coordinator").post(url, {}).status_code == 403


@pytest.mark.demo  # the seed's 5.1.1 and 5.2.1: Sydbyen and Skælskør from the 2017 baseline
def test_the_seeds_safety_targets_are_set_together_from_the_baseline(plan: Plan) -> None:
    from helhedsplan.criteria.services import observation_approve, observation_register

    sydbyen = HousingArea.objects.get(plan=plan, slug="sydbyen")
    criterion = SuccessCriterion.objects.get(plan=plan, code="5.1.1")
    pending = Target.objects.get(criterion=criterion, kind="pending_baseline")
    obs = observation_register(measure=criterion.measure, area=sydbyen, year=2017,
                               value=Decimal("61.5"))  # fmt: skip
    observation_approve(observation=obs, user=None)
    created = services.target_set_from_baseline(
        target=pending, area=sydbyen, kind="direction", reason="Politiets måling for 2017."
    )
    assert sorted(t.criterion.code for t in created) == ["5.1.1", "5.2.1"]
    for code in ("5.1.1", "5.2.1"):
        detail = selectors.criterion_detail(plan, code)
        sentences = {line.sentence: line.where for line in detail.targets}
        assert any("61,5" in s and w == ["Sydbyen"] for s, w in sentences.items())
        assert any("nulpunktet for 2017" in s and w == ["Skælskør"] for s, w in sentences.items())


def test_the_focus_area_form_proposes_in_the_draft_and_reopens_at_the_proposal(
    plan: Plan, client_for: Clients
) -> None:
    _approved_plan(plan)
    draft = _draft(plan)
    client = client_for("secretariat")
    url = reverse("plans:focus_area_edit", kwargs={"slug": plan.slug, "code": "5.1"})
    data = {"name": "Tryghed", "purpose": "At styrke trygheden i området.", "sub_goals": "",
            "target_groups": "", "reason": REASON}  # fmt: skip
    page = client.get(url)
    assert "indgår i <strong>version 2</strong>" in page.content.decode()
    assert client.post(url, {**data, "version": opened_version(page)}).status_code == 302
    again = client.get(url)
    assert 'value="Tryghed"' in again.content.decode()  # the form opens at the proposal
    data["purpose"] = "Nyt formål."
    assert client.post(url, {**data, "version": opened_version(again)}).status_code == 302
    change = ProposedChange.objects.get(version=draft)
    assert change.new_values == {"name": "Tryghed", "purpose": "Nyt formål."}
    assert FocusArea.objects.get(plan=plan, code="5.1").name == "Tryghed og trivsel"
    without = client.post(url, {**data, "reason": "", "version": opened_version(client.get(url))})
    assert "Skriv en begrundelse for ændringen" in without.content.decode()


def test_a_second_proposal_from_a_stale_form_is_refused(plan: Plan, client_for: Clients) -> None:
    _approved_plan(plan)
    _draft(plan)
    url = reverse("plans:focus_area_edit", kwargs={"slug": plan.slug, "code": "5.1"})
    a, b = client_for("secretariat"), client_for("secretariat")
    page_a, page_b = a.get(url), b.get(url)
    data = {"purpose": "P", "sub_goals": "", "target_groups": "", "reason": REASON}
    ok = a.post(url, {**data, "name": "A's navn", "version": opened_version(page_a)})
    assert ok.status_code == 302
    refused = b.post(url, {**data, "name": "B's navn", "version": opened_version(page_b)})
    assert refused.status_code == 200 and "er ændret af en anden" in refused.content.decode()
    assert ProposedChange.objects.get(version__plan=plan).new_values["name"] == "A's navn"
