"""The plan's list vision (seed § 1: "Denne vision indebærer, at der ikke er nogle af
boligområderne, der figurerer på regeringens SUB-liste efter 2025") and the vision panel.

Writing: ``list_vision_set`` / ``list_vision_clear`` (the settings page and the demo call
them). Reading: ``vision_panel(plan, until=None)``, per area of the plan its list history as
a timeline (from the earliest list year with data for the area up to the latest list year
with data for the plan), its status now (the latest list year) and what the vision needs
(on track: off every list in the latest year; the list years left until the first list the
vision covers; what keeps the area on the list). It reads the lists only through
``lists.selectors`` (the engine's contract, ``lists.engine.types``) and makes a constant
number of queries whatever the number of areas and years. ``panel_json`` is the panel as
the status report's snapshot stores it (plain JSON, worded in Danish when issued).

"Efter 2025" is read as: the lists published after 2025 (the 2026 list onwards) hold none of
the plan's areas; a list year's list is published on 1 December of that year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.lib.numbers import fmt_number
from helhedsplan.lists import selectors, wording
from helhedsplan.lists.engine import types as t
from helhedsplan.lists.models import ListVision
from helhedsplan.measurements import catalogue
from helhedsplan.plans.models import HousingArea, Plan

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIRST_LIST_YEAR = 2010  # the first list (DOMAIN.md: the 2010 list)
LAST_VISION_YEAR = 2100

# The criteria, short (the list page writes the distances out in full sentences).
CRITERION_LABELS: dict[str, StrOrPromise] = {
    catalogue.RESIDENTS: _lazy("beboertal"),
    catalogue.NON_WESTERN: _lazy("ikke-vestlig herkomst"),
    catalogue.OUTSIDE_WORK: _lazy("uden for arbejde eller uddannelse"),
    catalogue.CONVICTED: _lazy("dømte"),
    catalogue.BASIC_SCHOOL: _lazy("kun grundskole"),
    catalogue.INCOME: _lazy("indkomst i forhold til regionen"),
}

# The year's state (the snapshot stores these codes).
ON = "on"  # on at least one list
OFF = "off"  # on no list
UNKNOWN = "unknown"  # cannot be determined (a value, a national figure or a year missing)
NO_DATA = "none"  # no list-criterion value for the area that year


def category_label(code: str) -> str:
    """The engine's name of the category (``lists.wording``), one wording for every page."""
    return wording.category_name(code)


def criterion_label(code: str) -> str:
    return str(CRITERION_LABELS.get(code, code))


def sub_list_note() -> str:
    """What the seed's "regeringens SUB-liste" is read as (one sentence, on the panel)."""
    return _(
        "Aftalen skriver »regeringens SUB-liste«; det læses her som regeringens lovbestemte "
        "lister over udsatte boligområder (almenboligloven § 61 a), ikke politiets liste "
        "over særligt udsatte boligområder (SUB) i tryghedsundersøgelsen."
    )


# --- writing ---------------------------------------------------------------------------------


def _vision_errors(after_year: int | None) -> dict[str, ValidationError]:
    errors: dict[str, ValidationError] = {}
    if after_year is None:
        errors["after_year"] = ValidationError(
            _("Ingen områder på listen efter: skriv et årstal, fx 2025. Intet er gemt."),
            code="after_year_required",
        )
    elif after_year < FIRST_LIST_YEAR:
        errors["after_year"] = ValidationError(
            _(
                "Ingen områder på listen efter: %(year)s ligger før den første liste "
                "(%(first)s). Intet er gemt."
            )
            % {"year": after_year, "first": FIRST_LIST_YEAR},
            code="after_year_before_lists",
        )
    elif after_year > LAST_VISION_YEAR:
        errors["after_year"] = ValidationError(
            _("Ingen områder på listen efter: %(year)s er ikke et rimeligt årstal. Intet er gemt.")
            % {"year": after_year},
            code="after_year_too_late",
        )
    return errors


@transaction.atomic
def list_vision_set(
    *, plan: Plan, after_year: int | None, text: str = "", source: str = ""
) -> ListVision:
    """The plan's vision: none of its areas on the government's lists after ``after_year``.

    Creates it or changes it; unchanged values write nothing (the demo runs twice)."""
    errors = _vision_errors(after_year)
    if errors:
        raise ValidationError(errors)
    assert after_year is not None
    vision = ListVision.objects.select_for_update().filter(plan=plan).first()
    text, source = (text or "").strip(), (source or "").strip()
    if vision is not None and (vision.after_year, vision.text, vision.source) == (
        after_year,
        text,
        source,
    ):
        return vision
    if vision is None:
        vision = ListVision(plan=plan)
    vision.after_year, vision.text, vision.source = after_year, text, source
    vision.full_clean()
    vision.save()
    return vision


@transaction.atomic
def list_vision_clear(*, plan: Plan) -> None:
    """The plan has no list vision any more (nothing to clear: nothing is written)."""
    vision = ListVision.objects.filter(plan=plan).first()
    if vision is not None:
        vision.delete()


# --- reading: the vision panel ----------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    """One area's list status for one list year, as the panel says it."""

    year: int
    state: str  # ON, OFF, UNKNOWN or NO_DATA
    categories: tuple[str, ...] = ()  # the categories it is in (codes)
    undetermined: tuple[str, ...] = ()  # the categories that cannot be determined (codes)
    why: tuple[str, ...] = ()  # why it cannot be determined, in words

    @property
    def category_labels(self) -> list[str]:
        return [category_label(c) for c in self.categories]

    @property
    def undetermined_labels(self) -> list[str]:
        return [category_label(c) for c in self.undetermined]

    @property
    def label(self) -> str:
        return state_label(self.state)

    @property
    def symbol(self) -> str:
        return STATE_SYMBOLS[self.state]


STATE_SYMBOLS = {ON: "▲", OFF: "✓", UNKNOWN: "?", NO_DATA: "–"}


def state_label(state: str) -> str:
    return {
        ON: _("På listen"),
        OFF: _("Ikke på listen"),
        UNKNOWN: _("Kan ikke afgøres"),
        NO_DATA: _("Ingen data"),
    }.get(state, state)


@dataclass(frozen=True)
class AreaVision:
    area: HousingArea
    timeline: tuple[YearStatus, ...]
    now: YearStatus | None  # the latest list year (None: the plan has no list data)
    # Off every list in the latest year: True; on one: False; None: cannot be told.
    on_track: bool | None
    # What keeps it on the list in the latest year: criterion names with how far each is.
    keeps: tuple[str, ...] = ()


@dataclass(frozen=True)
class VisionPanel:
    plan: Plan
    vision: ListVision | None
    years: tuple[int, ...]  # the list years with data (ascending)
    areas: tuple[AreaVision, ...] = ()
    list_url: str | None = None  # the list page (lists:overview), when it exists
    import_url: str | None = None  # the measurements import, when it exists
    settings_url: str | None = None
    until: date | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.years)

    @property
    def latest(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def vision_year(self) -> int | None:
        """The first list year the vision covers (the list after ``after_year``)."""
        return self.vision.after_year + 1 if self.vision is not None else None

    @property
    def lists_left(self) -> int | None:
        """How many lists are still to come up to and including the first the vision
        covers, after the latest with data (0: that list is among those with data)."""
        if self.vision_year is None or self.latest is None:
            return None
        return max(0, self.vision_year - self.latest)

    @property
    def on_track_count(self) -> int:
        return sum(1 for a in self.areas if a.on_track)

    @property
    def note(self) -> str:
        return sub_list_note()


def _url(name: str, plan: Plan) -> str | None:
    """A page of another part of issue 14, when it exists (the parts are merged later)."""
    try:
        return reverse(name, kwargs={"slug": plan.slug})
    except NoReverseMatch:
        return None


def _has_data(result: t.AreaYearResult) -> bool:
    return result.residents_ok is not None or any(
        c.value is not None for c in result.criteria.values()
    )


def missing_sentence(item: str, year: int) -> str:
    """One of the engine's ``missing`` items in words."""
    kind, _sep, what = item.partition(":")
    if kind == "threshold":
        return _("landstallet %(key)s for %(year)s mangler") % {"key": what, "year": year}
    if kind == "value":
        return _("værdien for %(criterion)s mangler") % {"criterion": criterion_label(what)}
    if kind == "history":
        return _("resultatet for %(year)s kan ikke afgøres") % {"year": what}
    return item


def year_status(result: t.AreaYearResult | None, year: int) -> YearStatus:
    """What the panel says of one area's result for one list year."""
    if result is None or not _has_data(result):
        return YearStatus(year=year, state=NO_DATA)
    why: list[str] = []
    if result.rule_set is None:
        why.append(_("der er intet regelsæt for listeåret %(year)s") % {"year": year})
    items = list(result.missing)
    for code in result.unknown:
        items.extend(i for i in result.categories[code].missing if i not in items)
    # An earlier year's unknown result only matters where nothing of the year itself is
    # missing (a missing national figure already makes the history categories unknown).
    if any(not i.startswith("history:") for i in items):
        items = [i for i in items if not i.startswith("history:")]
    for item in items:
        sentence = missing_sentence(item, year)
        if sentence not in why:
            why.append(sentence)
    on_list = result.on_list if result.rule_set is not None else None
    state = {True: ON, False: OFF, None: UNKNOWN}[on_list]
    return YearStatus(
        year=year,
        state=state,
        categories=tuple(result.member_of),
        undetermined=tuple(result.unknown),
        why=tuple(why) if state == UNKNOWN or result.unknown else (),
    )


def _distance_text(result: t.AreaYearResult, code: str) -> str:
    """A criterion that keeps the area on the list, with the smallest change in points that
    takes it off that criterion (the list page writes it out in the area's own terms)."""
    found = [d for d in result.distances.get(code, []) if d.code == code and d.met]
    if not found:
        return criterion_label(code)
    nearest = min(found, key=lambda d: abs(d.points))
    points = fmt_number(abs(nearest.points), trim=True)
    if nearest.points < 0:
        return _("%(criterion)s (%(points)s procentpoint lavere)") % {
            "criterion": criterion_label(code),
            "points": points,
        }
    return _("%(criterion)s (%(points)s procentpoint højere)") % {
        "criterion": criterion_label(code),
        "points": points,
    }


def _last_list_year(until: date) -> int:
    """The latest list published by ``until`` (lists are published on 1 December)."""
    return until.year if until >= date(until.year, 12, 1) else until.year - 1


def vision_panel(plan: Plan, *, until: date | None = None) -> VisionPanel:
    """The vision panel of ``plan``; with ``until``, only the lists published by that day
    (the status report's period end)."""
    vision = ListVision.objects.filter(plan=plan).first()
    areas = list(HousingArea.objects.filter(plan=plan).order_by("order", "name"))
    years = list(selectors.list_years(plan))
    if until is not None:
        years = [y for y in years if y <= _last_list_year(until)]
    results = selectors.area_results(plan, years=years) if years else {}
    entries = []
    latest = years[-1] if years else None
    for area in areas:
        by_year = results.get(area.pk, {})
        statuses = [year_status(by_year.get(y), y) for y in years]
        first = next((n for n, s in enumerate(statuses) if s.state != NO_DATA), len(statuses))
        timeline = tuple(statuses[first:])
        now = statuses[-1] if statuses else None
        now_result = by_year.get(latest) if latest is not None else None
        on_track = {ON: False, OFF: True}.get(now.state) if now is not None else None
        keeps: tuple[str, ...] = ()
        if now_result is not None and now is not None and now.state == ON:
            keeps = tuple(_distance_text(now_result, c) for c in now_result.keeps_on_list or ())
        entries.append(
            AreaVision(area=area, timeline=timeline, now=now, on_track=on_track, keeps=keeps)
        )
    return VisionPanel(
        plan=plan,
        vision=vision,
        years=tuple(years),
        areas=tuple(entries),
        list_url=_url("lists:overview", plan),
        import_url=_url("measurements:import", plan),
        settings_url=_url("lists:vision", plan),
        until=until,
    )


# --- the snapshot's section -------------------------------------------------------------------


def _year_json(status: YearStatus) -> dict[str, Any]:
    return {
        "year": status.year,
        "state": status.state,
        "categories": list(status.categories),
        "undetermined": list(status.undetermined),
        "why": list(status.why),
    }


def panel_json(panel: VisionPanel) -> dict[str, Any]:
    """The panel as the status report's snapshot keeps it (codes and Danish sentences)."""
    vision = panel.vision
    return {
        "vision": (
            {"after_year": vision.after_year, "text": vision.text, "source": vision.source}
            if vision is not None
            else None
        ),
        "note": panel.note,
        "years": list(panel.years),
        "latest": panel.latest,
        "vision_year": panel.vision_year,
        "lists_left": panel.lists_left,
        "areas": [
            {
                "area": a.area.name,
                "slug": a.area.slug,
                "timeline": [_year_json(s) for s in a.timeline],
                "now": _year_json(a.now) if a.now is not None else None,
                "on_track": a.on_track,
                "keeps": list(a.keeps),
            }
            for a in panel.areas
        ],
    }
