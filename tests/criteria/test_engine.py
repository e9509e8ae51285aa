"""Tests for the success-criterion rule engine.

The table tests are written from the seed agreement's own sentences (§5 "Lokalt opstillede
målinger"); figures are the seed's unless a test says "synthetic".
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from random import Random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from helhedsplan.criteria.engine import (
    ChangeUnit,
    Direction,
    Evaluation,
    Op,
    Rating,
    Status,
    Target,
    TargetKind,
    combine,
    evaluate,
    line_value,
)
from helhedsplan.criteria.wording import describe, detail_text, op_word, status_label
from helhedsplan.lib.numbers import format_number, parse_decimal

D = Decimal
LOWER = Direction.LOWER_IS_BETTER
HIGHER = Direction.HIGHER_IS_BETTER
PER_1000 = "pr. 1000 beboere"


def threshold(op: Op, value: str, first: int = 2017, last: int = 2021) -> Target:
    return Target(
        kind=TargetKind.THRESHOLD, first_year=first, last_year=last, op=op, value=D(value)
    )


# Kriminalretlige afgørelser: "fra 30,65 afgørelser pr. 1000 beboere i 2016 til max 20 i 2021".
CRIME_PATH = Target(
    kind=TargetKind.PATH, first_year=2017, last_year=2021, direction=LOWER, op=Op.LE,
    value=D("20"), baseline_year=2016, baseline_value=D("30.65"), unit_label=PER_1000,
)  # fmt: skip
# "Antallet af påsatte brande ... faldende med minimum 10% ... (udgangspunkt i 2015: 15 episoder)"
ARSON = Target(
    kind=TargetKind.YEAR_OVER_YEAR, first_year=2016, last_year=2021, direction=LOWER,
    percent=D("10"), baseline_year=2015, baseline_value=D("15"),
)  # fmt: skip
# "Fraflytningsprocenten ... skal falde med 10% pr år (fra foregående år)", baseline ultimo 17.
MOVE_OUT = Target(
    kind=TargetKind.YEAR_OVER_YEAR, first_year=2018, last_year=2021, direction=LOWER,
    percent=D("10"), baseline_year=2017,
)  # fmt: skip
# "Antallet af anmeldelser af hærværk reduceres årlig med 15 % ... med baseline ultimo 2017."
VANDALISM = Target(
    kind=TargetKind.COMPOUNDED, first_year=2018, last_year=2021, direction=LOWER,
    percent=D("15"), baseline_year=2017,
)  # fmt: skip
# "den generelle tryghed ligger over gennemsnittet for Særligt Udsatte Boligområder – (72,4% i
# 2016)"
SUB_LABEL = "Gennemsnit for særligt udsatte boligområder"
SAFETY_ABOVE_SUB = Target(
    kind=TargetKind.REFERENCE, first_year=2016, last_year=2021, direction=HIGHER, op=Op.GT,
    reference_label=SUB_LABEL, reference_year=2016, value=D("72.4"),
)  # fmt: skip
# "For Sydbyen og Skælskør fastlægges målet på baggrund af nulpunktet for 2017."
SAFETY_PENDING = Target(
    kind=TargetKind.PENDING_BASELINE, first_year=2018, last_year=2021, baseline_year=2017
)
# "Skolefraværet reduceres i perioden 2017-2021"
SCHOOL_ABSENCE = Target(
    kind=TargetKind.DIRECTION, first_year=2017, last_year=2021, direction=LOWER,
    baseline_year=2017,
)  # fmt: skip
# "Ved udgangen af 2020 skal der være sket en positiv udvikling hos en udvalgt gruppe af familier"
FAMILIES = Target(kind=TargetKind.QUALITATIVE, first_year=2020, last_year=2020)


def status(target: Target, year: int, obs: dict[int, str], **kwargs: object) -> Status:
    values = {y: D(v) for y, v in obs.items()}
    return evaluate(target, year, values, **kwargs).status  # type: ignore[arg-type]


# --- threshold ---------------------------------------------------------------------------


def test_motalavej_2015_at_34_2_per_1000_is_not_under_30() -> None:
    result = evaluate(threshold(Op.LT, "30", 2015), 2015, {2015: D("34.2")})
    assert result.status is Status.NOT_MET
    assert result.target_value == D("30")
    assert detail_text(result.detail) == "34,2 er ikke under 30"


def test_skaelskoer_under_19() -> None:
    assert status(threshold(Op.LT, "19"), 2018, {2018: "18.9"}) is Status.MET
    assert status(threshold(Op.LT, "19"), 2018, {2018: "19"}) is Status.NOT_MET


def test_every_area_under_28_and_under_30_are_both_kept() -> None:
    # The seed says "under 28" for all areas next to "under 30" for three: both targets apply.
    obs = {2019: D("29")}
    under_28 = evaluate(threshold(Op.LT, "28"), 2019, obs)
    under_30 = evaluate(threshold(Op.LT, "30"), 2019, obs)
    assert (under_28.status, under_30.status) == (Status.NOT_MET, Status.MET)
    assert combine([under_28, under_30]) is Status.NOT_MET


def test_at_most_includes_the_limit() -> None:
    assert status(threshold(Op.LE, "20"), 2021, {2021: "20"}) is Status.MET
    assert status(threshold(Op.GE, "20"), 2021, {2021: "20"}) is Status.MET
    assert status(threshold(Op.GT, "20"), 2021, {2021: "20"}) is Status.NOT_MET


# --- path --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "value", "expected"),
    [
        (2018, "26", Status.ON_TRACK),  # line 2018 = 30,65 - 2 * 10,65 / 5 = 26,39
        (2018, "26.39", Status.ON_TRACK),  # on the line counts as on track
        (2018, "28", Status.BEHIND),
        (2021, "20", Status.MET),
        (2021, "20.5", Status.NOT_MET),
    ],
)
def test_crime_from_30_65_in_2016_to_at_most_20_in_2021(
    year: int, value: str, expected: Status
) -> None:
    result = evaluate(CRIME_PATH, year, {year: D(value)})
    assert result.status is expected
    assert result.compared_with_year == 2016


def test_path_line_value_and_detail_for_2018() -> None:
    result = evaluate(CRIME_PATH, 2018, {2018: D("28")})
    assert result.target_value == D("26.39")
    text = detail_text(result.detail)
    assert text == "28 er ikke højst 26,39 (linjen fra 30,65 i 2016 til 20 i 2021)"


def test_path_without_baseline_value_uses_the_baseline_observation() -> None:
    target = Target(
        kind=TargetKind.PATH, first_year=2017, last_year=2021, direction=HIGHER, op=Op.GE,
        value=D("80"), baseline_year=2016,
    )  # fmt: skip
    assert status(target, 2017, {2016: "60", 2017: "64"}) is Status.ON_TRACK
    assert status(target, 2017, {2016: "60", 2017: "63.9"}) is Status.BEHIND
    missing = evaluate(target, 2017, {2017: D("64")})
    assert missing.status is Status.NO_DATA
    assert detail_text(missing.detail) == "Nulpunktet for 2016 mangler en godkendt værdi"


# --- year over year ----------------------------------------------------------------------


def test_arson_15_in_2015_became_28_in_2016_which_is_not_met() -> None:
    # The seed calls arson "falling" although 15 in 2015 became 28 in 2016; we do not correct it.
    result = evaluate(ARSON, 2016, {2015: D("15"), 2016: D("28")})
    assert result.status is Status.NOT_MET
    assert (result.target_value, result.compared_with_year) == (D("13.5"), 2015)
    assert detail_text(result.detail) == "28 er ikke højst 13,5 (10 % under 15 i 2015)"


def test_arson_falls_at_least_10_percent_from_15() -> None:
    assert status(ARSON, 2016, {2016: "13.5"}) is Status.MET
    assert status(ARSON, 2016, {2016: "13.6"}) is Status.NOT_MET


def test_arson_later_years_compare_with_the_observed_previous_year() -> None:
    assert status(ARSON, 2017, {2016: "28", 2017: "25.2"}) is Status.MET  # 0.9 * 28
    assert status(ARSON, 2017, {2016: "13", 2017: "12"}) is Status.NOT_MET  # needs <= 11.7


def test_arson_missing_previous_year_is_no_data_naming_the_year() -> None:
    result = evaluate(ARSON, 2018, {2018: D("5")})
    assert result.status is Status.NO_DATA
    assert (result.value, result.compared_with_year) == (D("5"), 2017)
    assert detail_text(result.detail) == "Sammenligningsåret 2017 mangler en godkendt værdi"


def test_move_out_rate_falls_10_percent_from_the_end_2017_figures() -> None:
    assert status(MOVE_OUT, 2018, {2017: "22", 2018: "19.8"}) is Status.MET
    assert status(MOVE_OUT, 2018, {2017: "22", 2018: "19.9"}) is Status.NOT_MET
    assert status(MOVE_OUT, 2017, {2017: "22"}) is Status.NOT_DUE


def test_year_over_year_higher_is_better_is_mirrored() -> None:
    target = Target(
        kind=TargetKind.YEAR_OVER_YEAR, first_year=2018, last_year=2021, direction=HIGHER,
        percent=D("10"), baseline_year=2017, baseline_value=D("50"),
    )  # fmt: skip
    assert evaluate(target, 2018, {2018: D("55")}).status is Status.MET
    assert evaluate(target, 2018, {2018: D("54.9")}).status is Status.NOT_MET


# --- compounded --------------------------------------------------------------------------


def test_vandalism_falls_15_percent_a_year_synthetic_baseline_123() -> None:
    # Synthetic: the seed's 123 is the 2015 count; we use it as the end-2017 baseline here.
    obs = {2017: D("123"), 2019: D("88.86")}
    result = evaluate(VANDALISM, 2019, obs)
    assert result.target_value == D("123") * D("0.85") ** 2 == D("88.8675")
    assert result.status is Status.MET
    assert result.compared_with_year == 2017
    text = detail_text(result.detail)
    assert text == "88,86 er højst ca. 88,87 (15 % om året i 2 år under 123 i 2017)"
    assert status(VANDALISM, 2019, {2017: "123", 2019: "88.87"}) is Status.NOT_MET


def test_compounded_ignores_intermediate_years() -> None:
    # Unlike year-over-year, a bad 2018 does not move the 2019 target.
    assert status(VANDALISM, 2019, {2017: "123", 2018: "200", 2019: "88"}) is Status.MET


# --- percent versus percentage points ----------------------------------------------------


def test_percent_and_percentage_points_give_different_targets() -> None:
    base = {
        "kind": TargetKind.COMPOUNDED, "first_year": 2018, "last_year": 2021,
        "direction": LOWER, "percent": D("2"), "baseline_year": 2017, "baseline_value": D("40"),
    }  # fmt: skip
    relative = Target(**base, change_unit=ChangeUnit.PERCENT)  # type: ignore[arg-type]
    points = Target(**base, change_unit=ChangeUnit.PERCENTAGE_POINTS)  # type: ignore[arg-type]
    assert evaluate(relative, 2019, {2019: D("1")}).target_value == D("38.416")  # 40 * 0,98^2
    assert evaluate(points, 2019, {2019: D("1")}).target_value == D("36")  # 40 - 2 * 2
    yoy = {**base, "kind": TargetKind.YEAR_OVER_YEAR}
    yoy_points = Target(**yoy, change_unit=ChangeUnit.PERCENTAGE_POINTS)  # type: ignore[arg-type]
    assert evaluate(yoy_points, 2019, {2018: D("30"), 2019: D("1")}).target_value == D("28")
    assert describe(relative).startswith("Værdien skal falde med mindst 2 % om året")
    assert describe(points).startswith("Værdien skal falde med mindst 2 procentpoint om året")


# --- reference ---------------------------------------------------------------------------


def test_motalavej_safety_58_3_in_2016_is_not_above_the_sub_average_72_4() -> None:
    result = evaluate(SAFETY_ABOVE_SUB, 2016, {2016: D("58.3")})
    assert result.status is Status.NOT_MET
    assert (result.target_value, result.compared_with_year) == (D("72.4"), 2016)
    assert detail_text(result.detail) == f"58,3 er ikke over 72,4 ({SUB_LABEL} 2016)"
    assert status(SAFETY_ABOVE_SUB, 2019, {2019: "75"}) is Status.MET


def test_ringparken_safety_72_in_2016_is_not_above_72_4() -> None:
    assert status(SAFETY_ABOVE_SUB, 2016, {2016: "72"}) is Status.NOT_MET


def test_reference_in_the_same_year_uses_the_reference_series() -> None:
    target = Target(
        kind=TargetKind.REFERENCE, first_year=2016, last_year=2021, op=Op.GT,
        reference_label=SUB_LABEL,
    )  # fmt: skip
    ref = {2019: D("74")}
    assert status(target, 2019, {2019: "75"}, reference=ref) is Status.MET
    assert status(target, 2019, {2019: "73"}, reference=ref) is Status.NOT_MET
    missing = evaluate(target, 2020, {2020: D("75")}, reference=ref)
    assert (missing.status, missing.compared_with_year) == (Status.NO_DATA, 2020)


# --- pending baseline --------------------------------------------------------------------


def test_sydbyen_and_skaelskoer_safety_is_pending_until_the_2017_baseline_sets_the_target() -> None:
    result = evaluate(SAFETY_PENDING, 2018, {2018: D("80")})
    assert result.status is Status.PENDING
    assert detail_text(result.detail) == "Målet afventer nulpunktet for 2017"
    resolved = Target(
        kind=TargetKind.PENDING_BASELINE, first_year=2018, last_year=2021, baseline_year=2017,
        resolved=threshold(Op.GE, "80", 2018, 2021),
    )  # fmt: skip
    assert status(resolved, 2018, {2018: "80"}) is Status.MET
    assert status(resolved, 2018, {2018: "79"}) is Status.NOT_MET
    assert status(resolved, 2017, {2017: "90"}) is Status.NOT_DUE


# --- direction ---------------------------------------------------------------------------


def test_school_absence_is_reduced_compared_with_2017() -> None:
    assert status(SCHOOL_ABSENCE, 2019, {2017: "8.1", 2019: "7.9"}) is Status.MET
    assert status(SCHOOL_ABSENCE, 2019, {2017: "8.1", 2019: "8.1"}) is Status.NOT_MET
    assert status(SCHOOL_ABSENCE, 2017, {2017: "8.1"}) is Status.NOT_DUE  # the baseline year
    assert status(SCHOOL_ABSENCE, 2019, {2019: "7"}) is Status.NO_DATA


def test_share_ready_for_youth_education_rises() -> None:
    target = Target(
        kind=TargetKind.DIRECTION, first_year=2017, last_year=2021, direction=HIGHER,
        baseline_year=2016, baseline_value=D("61"),
    )  # fmt: skip
    assert status(target, 2017, {2017: "61.5"}) is Status.MET
    assert status(target, 2017, {2017: "60"}) is Status.NOT_MET


# --- qualitative -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "expected", "detail"),
    [
        (Rating.MET, Status.MET, "Vurderet som opfyldt"),
        (Rating.PARTLY, Status.PARTLY, "Vurderet som delvist opfyldt"),
        (Rating.NOT_MET, Status.NOT_MET, "Vurderet som ikke opfyldt"),
        (None, Status.NO_DATA, "Der er ikke registreret en vurdering for 2020"),
    ],
)
def test_positive_development_for_selected_families_by_end_2020(
    rating: Rating | None, expected: Status, detail: str
) -> None:
    result = evaluate(FAMILIES, 2020, {}, rating=rating)
    assert (result.status, detail_text(result.detail)) == (expected, detail)


def test_an_unknown_rating_string_is_rejected() -> None:
    with pytest.raises(ValueError):
        evaluate(FAMILIES, 2020, {}, rating="godt")  # type: ignore[arg-type]


# --- due or not, data or not -------------------------------------------------------------


def test_outside_the_year_range_is_not_due() -> None:
    result = evaluate(threshold(Op.LT, "30", 2018, 2021), 2022, {2022: D("1")})
    assert result.status is Status.NOT_DUE
    assert detail_text(result.detail) == "2022 ligger uden for målets periode (2018-2021)"


def test_due_but_missing_is_no_data() -> None:
    result = evaluate(threshold(Op.LT, "30"), 2019, {2018: D("1")})
    assert result.status is Status.NO_DATA
    assert detail_text(result.detail) == "Der mangler en godkendt værdi for 2019"


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": TargetKind.PATH, "op": Op.LE, "value": D("20"), "direction": LOWER},
         "A path target needs baseline_year"),
        ({"kind": TargetKind.THRESHOLD, "op": Op.LT}, "A threshold target needs value"),
        ({"kind": TargetKind.THRESHOLD, "op": Op.LT, "value": D("1"), "percent": D("10")},
         "A threshold target does not use percent"),
        ({"kind": TargetKind.YEAR_OVER_YEAR, "percent": D("10"), "baseline_year": 2015},
         "A year_over_year target needs direction"),
        ({"kind": TargetKind.PATH, "op": Op.GE, "value": D("20"), "direction": LOWER,
          "baseline_year": 2016}, "contradicts"),
        ({"kind": TargetKind.COMPOUNDED, "percent": D("-5"), "direction": LOWER,
          "baseline_year": 2016}, "percent >= 0"),
        ({"kind": TargetKind.COMPOUNDED, "percent": D("120"), "direction": LOWER,
          "baseline_year": 2016}, "more than 100 %"),
        ({"kind": TargetKind.DIRECTION, "direction": LOWER, "baseline_year": 2021},
         "must end after its baseline year 2021"),
        ({"kind": TargetKind.REFERENCE, "op": Op.GT, "reference_label": "SUB", "value": D("1")},
         "needs reference_year"),
        ({"kind": TargetKind.PENDING_BASELINE, "baseline_year": 2017, "resolved": FAMILIES},
         "cannot resolve to a qualitative target"),
        ({"kind": TargetKind.THRESHOLD, "op": Op.LT, "value": D("NaN")}, "non-finite"),
        ({"kind": TargetKind.THRESHOLD, "op": Op.LT, "value": D("1"), "first_year": 2022},
         "starts (2022) after it ends (2021)"),
    ],
)  # fmt: skip
def test_inconsistent_targets_are_rejected(kwargs: dict[str, object], message: str) -> None:
    target = Target(**{"first_year": 2017, "last_year": 2021, **kwargs})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        target.validate()
    with pytest.raises(ValueError):
        evaluate(target, 2018, {})


# --- combine -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.MET, Status.NOT_MET, Status.BEHIND], Status.NOT_MET),
        ([Status.MET, Status.BEHIND, Status.NO_DATA], Status.BEHIND),
        ([Status.PARTLY, Status.NO_DATA], Status.PARTLY),
        ([Status.PENDING, Status.NO_DATA, Status.MET], Status.NO_DATA),
        ([Status.PENDING, Status.MET], Status.PENDING),
        ([Status.NOT_DUE, Status.NOT_DUE], Status.NOT_DUE),
        ([], Status.NOT_DUE),
        ([Status.NOT_DUE, Status.ON_TRACK, Status.MET], Status.ON_TRACK),
        ([Status.NOT_DUE, Status.MET], Status.MET),
    ],
)
def test_combine(statuses: list[Status], expected: Status) -> None:
    assert combine(Evaluation(s) for s in statuses) is expected


def test_status_values_and_labels_are_stable() -> None:
    assert [s.value for s in Status] == [
        "met", "not_met", "partly", "on_track", "behind", "pending", "no_data", "not_due",
    ]  # fmt: skip
    assert [status_label(s) for s in Status] == [
        "Opfyldt", "Ikke opfyldt", "Delvist opfyldt", "På vej", "Bagud", "Afventer nulpunkt",
        "Mangler data", "Ikke aktuel",
    ]  # fmt: skip
    assert status_label(Status.NO_DATA, "en") == "No data"
    assert [k.value for k in TargetKind] == [
        "threshold", "path", "year_over_year", "compounded", "reference", "pending_baseline",
        "direction", "qualitative",
    ]  # fmt: skip
    assert [(op.symbol, op_word(op)) for op in Op] == [
        ("<", "under"), ("<=", "højst"), (">", "over"), (">=", "mindst"),
    ]  # fmt: skip


# --- sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "danish"),
    [
        (threshold(Op.LT, "30", 2018, 2021), "Værdien skal være under 30 hvert år i 2018-2021"),
        (threshold(Op.LT, "28", 2021, 2021), "Værdien skal være under 28 i 2021"),
        (CRIME_PATH, ("Værdien skal falde fra 30,65 pr. 1000 beboere i 2016 til højst"
                     " 20 pr. 1000 beboere i 2021")),
        (ARSON, ("Værdien skal hvert år være mindst 10 % lavere end året før,"
                " første år i forhold til nulpunktet (15 i 2015)")),
        (MOVE_OUT, ("Værdien skal hvert år være mindst 10 % lavere end året før,"
                   " første år i forhold til nulpunktet (2017)")),
        (VANDALISM, ("Værdien skal falde med mindst 15 % om året (renters rente)"
                    " fra nulpunktet (2017)")),
        (SAFETY_ABOVE_SUB, ("Værdien skal ligge over referencen"
                           " (Gennemsnit for særligt udsatte boligområder: 72,4 i 2016)")),
        (SAFETY_PENDING, "Målet fastlægges på baggrund af nulpunktet for 2017"),
        (SCHOOL_ABSENCE, "Værdien skal være lavere end nulpunktet (2017)"),
        (FAMILIES, ("Målopfyldelsen vurderes kvalitativt (opfyldt, delvist opfyldt eller"
                   " ikke opfyldt) i 2020")),
    ],
)  # fmt: skip
def test_danish_sentences(target: Target, danish: str) -> None:
    assert describe(target) == danish


def test_the_domain_sentence_for_year_over_year_appears_verbatim() -> None:
    assert "Værdien skal hvert år være mindst 10 % lavere end året før" in describe(MOVE_OUT)


def test_sentences_with_units_points_and_resolved_targets() -> None:
    safety = Target(
        kind=TargetKind.THRESHOLD, first_year=2018, last_year=2021, op=Op.GE,
        value=D("80"), unit_label="%",
    )  # fmt: skip
    resolved = Target(
        kind=TargetKind.PENDING_BASELINE, first_year=2018, last_year=2021, baseline_year=2017,
        resolved=safety,
    )  # fmt: skip
    assert describe(resolved) == (
        "Værdien skal være mindst 80 % hvert år i 2018-2021"
        " (fastlagt på baggrund af nulpunktet for 2017)"
    )
    points = Target(
        kind=TargetKind.YEAR_OVER_YEAR, first_year=2018, last_year=2021, direction=HIGHER,
        percent=D("1.5"), change_unit=ChangeUnit.PERCENTAGE_POINTS, baseline_year=2017,
    )  # fmt: skip
    assert describe(points) == (
        "Værdien skal hvert år være mindst 1,5 procentpoint højere end året før,"
        " første år i forhold til nulpunktet (2017)"
    )
    same_year = Target(
        kind=TargetKind.REFERENCE, first_year=2018, last_year=2021, op=Op.GE,
        reference_label="Slagelse Kommune",
    )  # fmt: skip
    assert describe(same_year) == (
        "Værdien skal ligge på eller over referencen (Slagelse Kommune, samme år)"
    )


def test_english_sentences() -> None:
    assert describe(CRIME_PATH, "en") == (
        "The value must fall from 30.65 pr. 1000 beboere in 2016 to at most"
        " 20 pr. 1000 beboere in 2021"
    )
    assert describe(ARSON, "en") == (
        "Every year the value must be at least 10 % lower than the year before,"
        " the first year compared with the baseline (15 in 2015)"
    )
    assert describe(SAFETY_ABOVE_SUB, "en") == (
        f"The value must be above the reference ({SUB_LABEL}: 72.4 in 2016)"
    )


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("30.65", "30,65"), ("44450", "44.450"), ("72.4", "72,4"), ("72.40", "72,4"),
        ("1234567.5", "1.234.567,5"), ("-1000", "-1.000"), ("0", "0"), ("1E+3", "1.000"),
        ("0.05", "0,05"), ("-0.0", "0"),
    ],
)  # fmt: skip
def test_format_number(value: str, text: str) -> None:
    assert format_number(D(value), trim=True) == text


def test_format_number_rounds_half_up_to_max_decimals() -> None:
    assert format_number(D("88.8675"), max_decimals=2) == "88,87"
    assert format_number(D("26.385"), max_decimals=2) == "26,39"
    assert format_number(D("19.999"), max_decimals=2) == "20"


@pytest.mark.parametrize("text", ["30.65", "1,2,3", "12.34,5", "", "abc"])
def test_parse_number_rejects_non_danish_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


# --- properties --------------------------------------------------------------------------

years = st.integers(min_value=2010, max_value=2030)
amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
percents = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)
series = st.dictionaries(years, amounts, max_size=25)


@st.composite
def targets(draw: st.DrawFn) -> Target:
    """Any valid target of any kind."""
    kind = draw(st.sampled_from(TargetKind))
    first = draw(years)
    last = draw(st.integers(min_value=first + 1, max_value=2032))
    base_year = draw(st.integers(min_value=first - 2, max_value=last - 1))
    direction = draw(st.sampled_from(Direction))
    better = Op.LE if direction is LOWER else Op.GE
    common = {"kind": kind, "first_year": first, "last_year": last, "direction": direction}
    maybe_base = draw(st.none() | amounts)
    match kind:
        case TargetKind.THRESHOLD:
            extra = {"op": draw(st.sampled_from(Op)), "value": draw(amounts)}
        case TargetKind.PATH:
            extra = {"op": better, "value": draw(amounts), "baseline_year": base_year,
                     "baseline_value": maybe_base}  # fmt: skip
        case TargetKind.YEAR_OVER_YEAR | TargetKind.COMPOUNDED:
            extra = {"percent": draw(percents), "baseline_year": base_year,
                     "baseline_value": maybe_base,
                     "change_unit": draw(st.sampled_from(ChangeUnit))}  # fmt: skip
        case TargetKind.REFERENCE:
            ref_year = draw(st.none() | years)
            value = draw(amounts) if ref_year is not None and draw(st.booleans()) else None
            extra = {"op": draw(st.sampled_from(Op)), "reference_label": "Ref",
                     "reference_year": ref_year, "value": value}  # fmt: skip
        case TargetKind.PENDING_BASELINE:
            inner = Target(kind=TargetKind.THRESHOLD, first_year=first, last_year=last,
                           op=better, value=draw(amounts))  # fmt: skip
            extra = {"baseline_year": base_year, "resolved": draw(st.none() | st.just(inner))}
        case TargetKind.DIRECTION:
            extra = {"baseline_year": base_year, "baseline_value": maybe_base}
        case _:
            extra = {}
    target = Target(**common, **extra)
    target.validate()
    return target


@given(targets(), st.integers(min_value=2000, max_value=2040), series, series,
       st.none() | st.sampled_from(Rating))  # fmt: skip
def test_evaluate_never_raises_for_valid_targets(
    target: Target, year: int, obs: dict[int, Decimal], ref: dict[int, Decimal],
    rating: Rating | None,
) -> None:  # fmt: skip
    result = evaluate(target, year, obs, ref, rating)
    assert isinstance(result.status, Status)
    assert detail_text(result.detail)
    describe(target)
    describe(target, "en")


@given(targets(), st.integers(min_value=2000, max_value=2040), series)
def test_outside_the_year_range_is_always_not_due(
    target: Target, year: int, obs: dict[int, Decimal]
) -> None:
    assume(not target.first_year <= year <= target.last_year)
    assert evaluate(target, year, obs, obs, Rating.MET).status is Status.NOT_DUE


@st.composite
def lower_is_better_rules(draw: st.DrawFn) -> Target:
    kind = draw(st.sampled_from([TargetKind.THRESHOLD, TargetKind.COMPOUNDED,
                                 TargetKind.YEAR_OVER_YEAR]))  # fmt: skip
    if kind is TargetKind.THRESHOLD:
        return threshold(draw(st.sampled_from([Op.LT, Op.LE])), str(draw(amounts)))
    return Target(
        kind=kind, first_year=2017, last_year=2021, direction=LOWER, percent=draw(percents),
        change_unit=draw(st.sampled_from(ChangeUnit)), baseline_year=2016,
        baseline_value=draw(amounts),
    )  # fmt: skip


@given(lower_is_better_rules(), st.integers(min_value=2017, max_value=2021), series,
       amounts, amounts)  # fmt: skip
def test_lower_is_better_met_stays_met_for_smaller_values(
    target: Target, year: int, obs: dict[int, Decimal], v: Decimal, w: Decimal
) -> None:
    high, low = max(v, w), min(v, w)
    if evaluate(target, year, {**obs, year: high}).status is Status.MET:
        assert evaluate(target, year, {**obs, year: low}).status is Status.MET


@given(amounts, amounts, st.integers(min_value=2017, max_value=2021))
def test_zero_percent_year_over_year_means_not_worse_than_last_year(
    previous: Decimal, value: Decimal, year: int
) -> None:
    target = Target(
        kind=TargetKind.YEAR_OVER_YEAR, first_year=2017, last_year=2021, direction=LOWER,
        percent=D("0"), baseline_year=2016,
    )  # fmt: skip
    result = evaluate(target, year, {year - 1: previous, year: value})
    assert (result.status is Status.MET) == (value <= previous)


@given(years, amounts, st.integers(min_value=1, max_value=15), amounts)
def test_path_line_starts_at_the_baseline_and_ends_at_the_target(
    start_year: int, start: Decimal, length: int, end: Decimal
) -> None:
    end_year = start_year + length
    assert line_value(start_year, start, end_year, end, start_year) == Fraction(start)
    assert line_value(start_year, start, end_year, end, end_year) == Fraction(end)


@given(series, st.sampled_from(Rating))
def test_qualitative_never_needs_observations(obs: dict[int, Decimal], rating: Rating) -> None:
    without = evaluate(FAMILIES, 2020, {}, rating=rating)
    assert evaluate(FAMILIES, 2020, obs, rating=rating) == without


@given(st.lists(st.sampled_from(Status)), st.randoms())
def test_combine_is_order_independent(statuses: list[Status], random: Random) -> None:
    shuffled = list(statuses)
    random.shuffle(shuffled)
    assert combine(map(Evaluation, statuses)) is combine(map(Evaluation, shuffled))


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False))
def test_format_number_round_trips(value: Decimal) -> None:
    assert parse_decimal(format_number(value)) == value
