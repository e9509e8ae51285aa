"""The status report as a ``reports.document.Document``, drawn from its snapshot ONLY.

``status_document(snap, ...)`` reads nothing from the database: what an issued report shows
is what its snapshot holds (``statusreports.snapshot``), so PDF, Word and the page agree and
do not change when a figure is corrected later. A draft is drawn from a snapshot built now
and marked "KLADDE". The participant tables mark their count columns, total column and
footer, so the released copy (``reports.suppression``) can hide small counts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from helhedsplan.activities.models import AGE_BANDS, SEXES
from helhedsplan.activities.tables import delivery_table
from helhedsplan.charts import ChartSpec, Series, line_chart
from helhedsplan.criteria.engine import Status
from helhedsplan.criteria.wording import status_label
from helhedsplan.lib.numbers import fmt_amount, fmt_date, fmt_datetime, fmt_number, fmt_percent
from helhedsplan.lists import vision as lists_vision
from helhedsplan.reports.document import Block, Bullets, Document, Heading, Image, Paragraph, Table
from helhedsplan.reports.smallnumbers import Rate

DRAFT_MARK = "KLADDE"


def _d(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


def _n(text: str | int | None) -> str:
    return "–" if text in (None, "") else fmt_number(Decimal(str(text)), trim=True)


def _date(text: str) -> str:
    return fmt_date(date.fromisoformat(text))


def _status(code: str | None) -> str:
    return status_label(Status(code)) if code else "–"


def _count(value: int) -> str:
    return str(int(value))


def status_document(
    snap: dict[str, Any],
    *,
    title: str,
    version: int | None = None,
    issued_by: str = "",
    issued_at: datetime | None = None,
    draft: bool = False,
    supersedes: str = "",
) -> Document:
    """The report of ``snap``; the arguments are the report's own stamp (version, issuer)."""
    period = snap["period"]
    if draft:
        subtitle = f"{DRAFT_MARK} – " + _("ikke udsendt; tallene kan endnu ændre sig")
    else:
        subtitle = _("Version %(version)s, udsendt %(when)s af %(who)s") % {
            "version": version,
            "when": fmt_datetime(issued_at) if issued_at else "–",
            "who": issued_by or "–",
        }
    blocks: list[Block] = []
    blocks += _intro(snap, supersedes)
    blocks += _narratives(snap)
    blocks += _scorecard(snap)
    blocks += _central_measurements(snap)
    blocks += _vision(snap)
    blocks += _changes(snap)
    blocks += _delivery(snap)
    blocks += _participants(snap)
    blocks += _evaluations(snap)
    blocks += _groups(snap)
    blocks += _notices(snap)
    blocks += _funding(snap)
    blocks += _corrections(snap)
    blocks += _basis(snap)
    return Document(
        title=title,
        subtitle=f"{period['label']} · {subtitle}",
        blocks=blocks,
        footer_note=_("Dannet af Helhedsplan ud fra tallene, som de var ved udsendelsen.")
        if not draft
        else _("KLADDE: dannet af Helhedsplan ud fra tallene nu."),
        dated=issued_at.date() if issued_at else date.fromisoformat(period["end"]),
    )


def _intro(snap: dict[str, Any], supersedes: str) -> list[Block]:
    period = snap["period"]
    rows = [
        (_("Plan"), snap["plan"]["name"]),
        (_("Periode"), f"{_date(period['start'])} – {_date(period['end'])}"),
        (_("Succeskriteriernes år"), str(snap["year"])),
    ]
    if supersedes:
        rows.append((_("Erstatter"), supersedes))
    previous = snap.get("previous")
    if previous:
        rows.append(
            (
                _("Forrige statusrapport"),
                _("version %(version)s (%(period)s)") % previous,
            )
        )
    return [
        Heading(_("Om rapporten"), 1),
        Paragraph(
            _(
                "Kortfattet statusrapport til bestyrelsens vurdering (samarbejdsaftalens § 6): "
                "succeskriterierne, aktiviteternes leverance og deltagere, de kvalitative "
                "evalueringer, koordinationsgruppens og følgegruppernes evaluering, "
                "underretninger, uoverensstemmelser og finansiering for perioden."
            )
        ),
        Table(header=(_("Felt"), _("Værdi")), rows=tuple(rows)),
    ]


def _narratives(snap: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(_("Sekretariatets beretning pr. indsatsområde"), 1)]
    for n in snap["narratives"]:
        blocks.append(Heading(n["name"], 2))
        blocks.append(
            Paragraph(n["text"]) if n["text"] else Paragraph(_("Ingen beretning skrevet."), "note")
        )
    return blocks


def _scorecard(snap: dict[str, Any]) -> list[Block]:
    card = snap["scorecard"]
    labels = {c["key"]: c["label"] for c in card["columns"]}
    year = card["year"]
    blocks: list[Block] = [
        Heading(_("Succeskriterier %(year)s") % {"year": year}, 1),
        Paragraph(
            _(
                "Status for hvert succeskriterium pr. boligområde og samlet for %(year)s, "
                "året perioden slutter i (kriterierne måles årligt), efter de godkendte tal "
                "og de mål, der gjaldt."
            )
            % {"year": year},
            "note",
        ),
    ]
    charts = {c["code"]: c for c in snap["charts"]}
    for group in card["groups"]:
        blocks.append(Heading(group["focus_area"]["name"], 2))
        header = (_("Kriterium"), *(c["label"] for c in card["columns"]), _("Samlet vurdering"))
        rows = tuple(
            (
                f"{row['code']} {row['title']}",
                *(_status(c["status"]) for c in row["cells"]),
                _status(row["status"]),
            )
            for row in group["rows"]
        )
        blocks.append(Table(header=header, rows=rows))
        for row in group["rows"]:
            blocks.append(Heading(f"{row['code']} {row['title']}", 3))
            lines = []
            for cell in row["cells"]:
                where = labels.get(cell["column"], cell["column"])
                if cell["value"] is not None:
                    value = f"{_n(cell['value'])} {row['unit']}".strip()
                elif cell["rating"]:
                    value = cell["rating"]
                elif cell["not_derivable"]:
                    value = _("kan ikke udledes af områdernes tal")
                else:
                    value = ""
                if not value and not cell["targets"]:
                    continue
                text = _("%(where)s %(year)s: %(value)s.") % {
                    "where": where,
                    "year": year,
                    "value": value or _("intet tal"),
                }
                for target in cell["targets"]:
                    text += " " + _("Mål: %(sentence)s – %(status)s.") % {
                        "sentence": target["sentence"].rstrip("."),
                        "status": _status(target["status"]),
                    }
                    if target["detail"]:
                        detail = target["detail"].strip()
                        text += f" {detail}" + ("" if detail.endswith(".") else ".")
                lines.append(text)
            blocks.append(
                Bullets(tuple(lines)) if lines else Paragraph(_("Ingen tal eller mål."), "note")
            )
            chart = charts.get(row["code"])
            if chart is not None:
                blocks.append(_chart_image(chart))
    if not card["groups"]:
        blocks.append(Paragraph(_("Ingen succeskriterier."), "note"))
    return blocks


# --- LBF's centrally generated measurements (format 2; absent from older snapshots) ----------

SUPPRESSED = "diskretioneret"


def _measured(entry: dict[str, Any] | None, unit: str) -> str:
    if entry is None:
        return "–"
    if entry.get("suppressed"):
        return SUPPRESSED
    value = entry.get("value")
    if value in (None, ""):
        return "–"
    return f"{_n(value)}\u00a0%" if unit == "pct" else _n(value)


def _part(entry: dict[str, Any] | None, key: str) -> str:
    return _n(entry.get(key)) if entry is not None else "–"


def _trend(code: str | None) -> str:
    return {
        "better": _("bedre"),
        "worse": _("dårligere"),
        "same": _("uændret"),
    }.get(code or "", "–")


def _measurement_table(indicator: dict[str, Any], before: int, now: int) -> Table:
    """One indicator's values per area. Numerators and denominators are counts of people
    (the released copy shows 1-4 as "<5"), and a value or a change worked out from a
    hidden or small part is hidden with it; a count indicator's values are counts."""
    unit = indicator.get("unit", "")
    rate = bool(indicator.get("is_rate"))
    rows: list[tuple[str, ...]] = []
    for r in indicator.get("rows", []):
        old, new = r.get("before"), r.get("now")
        change = r.get("change")
        change_text = (
            (f"{_n(change)}\u00a0" + _("point") if unit == "pct" else _n(change))
            if change not in (None, "")
            else "–"
        )
        if rate:
            rows.append(
                (
                    r.get("area", ""),
                    _measured(old, unit),
                    _part(old, "numerator"),
                    _part(old, "denominator"),
                    _measured(new, unit),
                    _part(new, "numerator"),
                    _part(new, "denominator"),
                    change_text,
                    _trend(r.get("trend")),
                )
            )
        else:
            rows.append(
                (
                    r.get("area", ""),
                    _measured(old, unit),
                    _measured(new, unit),
                    change_text,
                    _trend(r.get("trend")),
                )
            )
    if rate:
        header = (
            _("Boligområde"),
            str(before),
            _("Tæller %(year)s") % {"year": before},
            _("Nævner %(year)s") % {"year": before},
            str(now),
            _("Tæller %(year)s") % {"year": now},
            _("Nævner %(year)s") % {"year": now},
            _("Ændring"),
            _("Udvikling"),
        )
        return Table(
            header=header,
            rows=tuple(rows),
            numeric_columns=frozenset(range(1, 8)),
            count_columns=frozenset({2, 3, 5, 6}),
            rates=(Rate(1, 2, 3), Rate(4, 5, 6), Rate(7, 2, 3), Rate(7, 5, 6)),
        )
    counts = unit == "antal"
    return Table(
        header=(_("Boligområde"), str(before), str(now), _("Ændring"), _("Udvikling")),
        rows=tuple(rows),
        numeric_columns=frozenset({1, 2, 3}),
        count_columns=frozenset({1, 2}) if counts else frozenset(),
        # A change between a hidden count and a shown one would give the hidden one away.
        rates=(Rate(3, 1, 2),) if counts else (),
    )


def _central_measurements(snap: dict[str, Any]) -> list[Block]:
    section = snap.get("central_measurements")
    if not isinstance(section, dict):
        return []  # a snapshot from before format 2
    year = int(section.get("year") or snap["year"])
    before = int(section.get("year_before") or year - 1)
    blocks: list[Block] = [
        Heading(_("Centralt genererede målinger"), 1),
        Paragraph(
            _(
                "Bestyrelsens opfølgning på Landsbyggefondens centralt genererede målinger "
                "(samarbejdsaftalens § 4): pr. indikator og boligområde værdien for %(year)s og "
                "året før, ændringen, og om den gik i indikatorens gode retning. Værdier, "
                "kilden har diskretioneret, står som »diskretioneret«."
            )
            % {"year": year},
            "note",
        ),
    ]
    indicators = section.get("indicators") or []
    if not indicators:
        blocks.append(
            Paragraph(
                _("Ingen centrale målinger for %(before)s eller %(year)s er indlæst.")
                % {"before": before, "year": year},
                "note",
            )
        )
        return blocks
    for indicator in indicators:
        blocks.append(Heading(indicator.get("name") or indicator.get("code", ""), 2))
        parts = []
        if indicator.get("is_rate") and indicator.get("numerator_label"):
            parts.append(
                _("Tæller: %(numerator)s; nævner: %(denominator)s.")
                % {
                    "numerator": indicator.get("numerator_label", ""),
                    "denominator": indicator.get("denominator_label") or "–",
                }
            )
        if indicator.get("source"):
            parts.append(_("Kilde: %(source)s.") % {"source": indicator["source"]})
        if parts:
            blocks.append(Paragraph(" ".join(parts), "note"))
        blocks.append(_measurement_table(indicator, before, year))
    return blocks


# --- the vision panel (format 2; absent from older snapshots) ---------------------------------


def _year_text(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "–"
    state = entry.get("state", "")
    text = lists_vision.state_label(state)
    categories = [lists_vision.category_label(c) for c in entry.get("categories", [])]
    if categories:
        text += ": " + ", ".join(categories)
    return text


def _vision(snap: dict[str, Any]) -> list[Block]:
    section = snap.get("vision")
    if not isinstance(section, dict):
        return []  # a snapshot from before format 2
    vision = section.get("vision")
    blocks: list[Block] = [Heading(_("Visionen og regeringens lister"), 1)]
    if vision:
        blocks.append(
            Paragraph(
                _("Visionen: ingen boligområder på listen efter %(year)s.")
                % {"year": vision.get("after_year")}
            )
        )
        if vision.get("text"):
            blocks.append(Paragraph(f"»{vision['text']}«"))
        if vision.get("source"):
            blocks.append(Paragraph(_("Kilde: %(source)s.") % {"source": vision["source"]}, "note"))
    else:
        blocks.append(Paragraph(_("Planen har ingen listevision."), "note"))
    if section.get("note"):
        blocks.append(Paragraph(section["note"], "note"))
    years = section.get("years") or []
    areas = section.get("areas") or []
    if not years:
        blocks.append(
            Paragraph(
                _(
                    "Der er endnu ikke indlæst listedata for planens boligområder: listestatus "
                    "beregnes ud fra de centralt genererede målinger af listekriterierne og "
                    "landstallene for hvert listeår."
                ),
                "note",
            )
        )
        return blocks
    latest = section.get("latest")
    rows = []
    for a in areas:
        by_year = {e.get("year"): e for e in a.get("timeline", [])}
        rows.append((a.get("area", ""), *(_year_text(by_year.get(y)) for y in years)))
    blocks.append(Heading(_("Listehistorik"), 2))
    blocks.append(
        Table(
            header=(_("Boligområde"), *(str(y) for y in years)),
            rows=tuple(rows),
            caption=_("Hvert boligområdes status på listerne, pr. listeår"),
        )
    )
    blocks.append(Heading(_("Status %(year)s og hvad visionen kræver") % {"year": latest}, 2))
    track = {True: _("ja"), False: _("nej"), None: _("kan ikke afgøres")}
    status_rows = []
    for a in areas:
        status_rows.append(
            (
                a.get("area", ""),
                _year_text(a.get("now")),
                track.get(a.get("on_track"), "–"),
                "; ".join(a.get("keeps") or []) or "–",
            )
        )
    blocks.append(
        Table(
            header=(
                _("Boligområde"),
                _("Status %(year)s") % {"year": latest},
                _("På ingen liste"),
                _("Det holder området på listen"),
            ),
            rows=tuple(status_rows),
        )
    )
    why = [
        f"{a.get('area', '')} {e.get('year')}: " + "; ".join(e.get("why", []))
        for a in areas
        for e in a.get("timeline", [])
        if e.get("why")
    ]
    if why:
        blocks.append(Paragraph(_("Det kan ikke afgøres, fordi:"), "note"))
        blocks.append(Bullets(tuple(why)))
    if vision and section.get("vision_year") is not None:
        left = section.get("lists_left") or 0
        if left:
            blocks.append(
                Paragraph(
                    _(
                        "%(left)s listeår tilbage til og med listen for %(year)s, den første "
                        "visionen gælder."
                    )
                    % {"left": left, "year": section["vision_year"]}
                )
            )
        else:
            blocks.append(
                Paragraph(
                    _("Listen for %(year)s, den første visionen gælder, er med i data.")
                    % {"year": section["vision_year"]}
                )
            )
    return blocks


def _chart_image(chart: dict[str, Any]) -> Image:
    """The criterion's chart, drawn by the same definition as its page (``charts``)."""
    spec = ChartSpec(
        title=chart["title"],
        years=list(chart["years"]),
        unit=chart["unit"],
        series=[
            Series(
                _("Observeret") if s["style"] == "observed" else s["label"],
                {int(y): _d(v) for y, v in s["points"].items()},
                s["style"],
            )
            for s in chart["series"]
        ],
    )
    return Image(svg=line_chart(spec), caption=chart["title"])


def _changes(snap: dict[str, Any]) -> list[Block]:
    changes = snap["changes"]
    blocks: list[Block] = [Heading(_("Ændringer siden sidste statusrapport"), 1)]
    if not changes["compared"]:
        blocks.append(Paragraph(_("Dette er planens første statusrapport."), "note"))
        return blocks
    blocks.append(
        Paragraph(
            _(
                "Sammenlignet med statusrapporten for %(period)s (succeskriterierne for "
                "%(before)s, her %(after)s)."
            )
            % {
                "period": changes["period_before"],
                "before": changes["year_before"],
                "after": changes["year_after"],
            },
            "note",
        )
    )
    blocks.append(Heading(_("Status"), 2))
    blocks.append(
        _table_or_note(
            _("Ingen ændringer i status."),
            header=(_("Kriterium"), _("Hvor"), _("Før"), _("Nu")),
            rows=tuple(
                (
                    f"{c['code']} {c['title']}",
                    c["column"] or _("Samlet vurdering"),
                    _status(c["before"]),
                    _status(c["after"]),
                )
                for c in changes["status"]
            ),
        )
    )
    blocks.append(Heading(_("Tal"), 2))
    blocks.append(
        _table_or_note(
            _("Ingen ændrede tal."),
            header=(_("Kriterium"), _("Hvor"), _("Før"), _("Nu")),
            rows=tuple(
                (
                    f"{c['code']} {c['title']}",
                    c["column"],
                    _n(c["before"]) if _is_num(c["before"]) else (c["before"] or "–"),
                    _n(c["after"]) if _is_num(c["after"]) else (c["after"] or "–"),
                )
                for c in changes["values"]
            ),
            numeric_columns=frozenset({2, 3}),
        )
    )
    blocks.append(Heading(_("Leverance"), 2))
    blocks.append(
        _table_or_note(
            _("Ingen ændringer i leverancen."),
            header=(
                _("Aktivitet"),
                _("Enhed"),
                _("Planlagt før"),
                _("Planlagt nu"),
                _("Leveret før"),
                _("Leveret nu"),
            ),
            rows=tuple(
                (
                    d["activity"],
                    d["unit"],
                    _n(d["planned_before"]),
                    _n(d["planned_after"]),
                    _n(d["delivered_before"]),
                    _n(d["delivered_after"]),
                )
                for d in changes["delivery"]
            ),
            numeric_columns=frozenset({2, 3, 4, 5}),
            count_columns=frozenset({4, 5}),
        )
    )
    return blocks


def _table_or_note(none: str, **table: Any) -> Block:
    """The table, or a note saying there is nothing (``none``) when it has no rows."""
    return Table(**table) if table["rows"] else Paragraph(none, "note")


def _is_num(value: Any) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return value is not None


def _delivery(snap: dict[str, Any]) -> list[Block]:
    delivery = snap["delivery"]
    quarters = ", ".join(delivery["quarters"])
    blocks: list[Block] = [
        Heading(_("Aktiviteter: leveret mod planlagt"), 1),
        Paragraph(_("Kvartalerne %(quarters)s.") % {"quarters": quarters}, "note"),
    ]
    rows = []
    for a in delivery["activities"]:
        pct = (
            fmt_percent(Decimal(a["delivered"]) * 100 / Decimal(a["planned"]))
            if a["planned"]
            else "–"
        )
        rows.append((a["name"], a["unit"], _n(a["planned"]), _count(a["delivered"]), pct))
    if rows:
        blocks.append(delivery_table(rows))
    else:
        blocks.append(Paragraph(_("Ingen aktiviteter."), "note"))
    return blocks


def _participants(snap: dict[str, Any]) -> list[Block]:
    rows = snap["participants"]
    blocks: list[Block] = [
        Heading(_("Deltagere efter alder og køn"), 1),
        Paragraph(
            _("Deltagere i perioden, summeret over registreringerne pr. aktivitet og boligområde."),
            "note",
        ),
    ]
    if not rows:
        blocks.append(Paragraph(_("Ingen registreringer i perioden."), "note"))
        return blocks
    sexes = [(code, str(label)) for code, label in SEXES]
    header = (_("Boligområde"), _("Alder"), *(label for _c, label in sexes), _("I alt"))
    counts = frozenset(range(2, 3 + len(sexes)))
    total_col = 2 + len(sexes)
    by_activity: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_activity.setdefault(r["activity_id"], []).append(r)
    for entries in by_activity.values():
        blocks.append(Heading(entries[0]["activity"], 2))
        table_rows = []
        sums = [0] * (len(sexes) + 1)
        for r in entries:
            for band, band_label in AGE_BANDS:
                values = [int(r["counts"][f"{band}_{sex}"]) for sex, _l in sexes]
                if not any(values):
                    continue
                row_values = [*values, sum(values)]
                sums = [a + b for a, b in zip(sums, row_values, strict=True)]
                table_rows.append((r["area"], str(band_label), *(_count(v) for v in row_values)))
        if not table_rows:
            blocks.append(Paragraph(_("Ingen deltagere registreret."), "note"))
            continue
        blocks.append(
            Table(
                header=header,
                rows=tuple(table_rows),
                numeric_columns=counts,
                count_columns=counts,
                total_column=total_col,
                footer=(_("I alt"), "", *(_count(v) for v in sums)),
            )
        )
    blocks.append(Heading(_("Alle aktiviteter pr. boligområde"), 2))
    blocks.append(participants_by_area(snap))
    return blocks


def participants_by_area(snap: dict[str, Any]) -> Table:
    """The snapshot's participants by area across activities: age bands (both sexes) per
    area, the total per area and the column totals (the grand total last). The report shows
    it; LBF's national overview reads its released grand total."""
    sexes = [code for code, _label in SEXES]
    areas: dict[str, dict[str, int]] = {}
    for r in snap.get("participants") or []:
        area = areas.setdefault(r["area"], {band: 0 for band, _l in AGE_BANDS})
        for band, _l in AGE_BANDS:
            area[band] += sum(int(r["counts"][f"{band}_{sex}"]) for sex in sexes)
    band_labels = [str(label) for _b, label in AGE_BANDS]
    area_counts = frozenset(range(1, 2 + len(band_labels)))
    area_rows = []
    col_sums = [0] * (len(band_labels) + 1)
    for name, by_band in areas.items():
        values = [by_band[b] for b, _l in AGE_BANDS]
        row_values = [*values, sum(values)]
        col_sums = [a + b for a, b in zip(col_sums, row_values, strict=True)]
        area_rows.append((name, *(_count(v) for v in row_values)))
    return Table(
        header=(_("Boligområde"), *band_labels, _("I alt")),
        rows=tuple(area_rows),
        numeric_columns=area_counts,
        count_columns=area_counts,
        total_column=1 + len(band_labels),
        footer=(_("I alt"), *(_count(v) for v in col_sums)),
    )


def _evaluations(snap: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(_("Kvalitative evalueringer"), 1)]
    evaluations = snap["evaluations"]
    if evaluations:
        blocks.append(Heading(_("Aktiviteternes effekt"), 2))
        for e in evaluations:
            blocks.append(
                Paragraph(
                    _("%(activity)s (%(start)s – %(end)s): har den ønsket effekt? %(rating)s.")
                    % {
                        "activity": e["activity"],
                        "start": _date(e["period_start"]),
                        "end": _date(e["period_end"]),
                        "rating": e["rating"],
                    }
                )
            )
            blocks.append(Paragraph(e["narrative"], "note"))
    else:
        blocks.append(
            Paragraph(_("Ingen kvalitative evalueringer af aktiviteterne i perioden."), "note")
        )
    ratings = snap["ratings"]
    if ratings:
        blocks.append(Heading(_("Kvalitative vurderinger af succeskriterier"), 2))
        blocks.append(
            Table(
                header=(
                    _("Kriterium"),
                    _("Måling"),
                    _("Boligområde"),
                    _("Vurdering"),
                    _("Begrundelse"),
                ),
                rows=tuple(
                    (
                        ", ".join(r["criteria"]),
                        r["measure"],
                        r["area"] or _("Samlet"),
                        r["rating"] or "–",
                        r["narrative"] or "–",
                    )
                    for r in ratings
                ),
            )
        )
    return blocks


def _groups(snap: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(_("Koordinationsgruppens og følgegruppernes evaluering"), 1)]
    meetings = snap["group_evaluations"]
    if not meetings:
        blocks.append(Paragraph(_("Ingen evalueringsmøder i perioden."), "note"))
    for m in meetings:
        blocks.append(Heading(f"{m['body']}, {_date(m['date'])}: {m['title']}", 2))
        if m["minutes"]:
            blocks.append(Paragraph(m["minutes"]))
        elif m["minutes_file"]:
            blocks.append(Paragraph(_("Referatet er en vedhæftet fil på mødets side."), "note"))
        else:
            blocks.append(Paragraph(_("Intet referat."), "note"))
    return blocks


def _notices(snap: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(_("Underretninger og uoverensstemmelser"), 1)]
    blocks.append(Heading(_("Underretninger (§ 9)"), 2))
    blocks.append(
        _table_or_note(
            _("Ingen underretninger i perioden."),
            header=(_("Opstået"), _("Emne"), _("Lokale forhold"), _("Bestyrelsen underrettet")),
            rows=tuple(
                (
                    _date(n["occurred_on"]),
                    n["subject"],
                    n["description"],
                    _("ja") if n["informed_board"] else _("nej"),
                )
                for n in snap["notices"]
            ),
        )
    )
    blocks.append(Heading(_("Uoverensstemmelser (§ 10)"), 2))
    blocks.append(
        _table_or_note(
            _("Ingen uoverensstemmelser i perioden."),
            header=(_("Rejst den"), _("Rejst af"), _("Emne"), _("Status")),
            rows=tuple(
                (_date(d["raised_on"]), d["raised_by"], d["subject"], d["status"])
                for d in snap["disputes"]
            ),
        )
    )
    return blocks


def _funding(snap: dict[str, Any]) -> list[Block]:
    funding = snap["funding"]
    share = fmt_percent(_d(funding["local_share"])) if funding["local_share"] else "–"
    return [
        Heading(_("Finansiering"), 1),
        Table(
            header=(_("Kilde"), _("Type"), _("Beløb")),
            rows=tuple(
                (s["name"], s["kind"], fmt_amount(_d(s["amount_tkr"]))) for s in funding["sources"]
            ),
            numeric_columns=frozenset({2}),
            footer=(_("I alt"), "", fmt_amount(_d(funding["total"]))),
        ),
        Paragraph(_("Lokal medfinansiering: %(share)s af det samlede budget.") % {"share": share}),
    ]


def _corrections(snap: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(_("Rettelser siden sidste statusrapport"), 1)]
    corrections = snap["corrections"]
    if not corrections:
        blocks.append(Paragraph(_("Ingen rettelser i låste perioder."), "note"))
        return blocks
    blocks.append(
        Table(
            header=(_("Rettet"), _("Hvad"), _("Før"), _("Efter"), _("Begrundelse"), _("Af")),
            rows=tuple(
                (
                    fmt_datetime(datetime.fromisoformat(c["at"])),
                    f"{c['label']} ({c['kind']})",
                    _values(c["old"]),
                    _values(c["new"]),
                    c["reason"],
                    c["by"] or "–",
                )
                for c in corrections
            ),
        )
    )
    return blocks


def _values(values: Any) -> str:
    if isinstance(values, dict):
        return ", ".join(f"{k}: {v}" for k, v in values.items()) or "–"
    return str(values)


def _basis(snap: dict[str, Any]) -> list[Block]:
    included = snap["included"]
    return [
        Heading(_("Grundlag"), 1),
        Paragraph(
            _(
                "Rapporten bygger på %(observations)s godkendte tal for succeskriterierne og "
                "%(registrations)s registreringer af aktiviteter i perioden."
            )
            % {
                "observations": len(included["observations"]),
                "registrations": len(included["registrations"]),
            },
            "note",
        ),
    ]
