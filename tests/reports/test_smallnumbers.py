"""Small-number suppression: the pure engine, by properties and at every boundary."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from helhedsplan.reports.smallnumbers import (
    HIDDEN_MARK,
    SMALL_MARK,
    Count,
    Rate,
    State,
    determined_cells,
    lines_of,
    released,
    suppress_counts,
    suppress_rate,
    suppress_table,
)

P, S, _ = State.PRIMARY, State.SECONDARY, State.SHOWN


def with_totals(data: list[list[int]], *, column: bool, row: bool) -> list[list[Count]]:
    """A table of counts with a total column (last) and/or a total row (last)."""
    rows: list[list[Count]] = [[*r, sum(r)] if column else list(r) for r in data]
    if row:
        rows.append([sum(r[c] or 0 for r in rows) for c in range(len(rows[0]))])  # type: ignore[misc]
    return rows


def run(rows: list[list[Count]], *, column: bool, row: bool) -> list[list[State]]:
    width = len(rows[0])
    return suppress_counts(
        rows, frozenset(range(width)), total_column=width - 1 if column else None, total_row=row
    )


# Small counts are what matter: weight the values towards 0-6.
values = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 30))
tables = st.tuples(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(values, min_size=width, max_size=width), min_size=1, max_size=4
        )
    ),
    st.booleans(),
    st.booleans(),
)


Case = tuple[list[list[int]], bool, bool]


def rank(matrix: list[list[Fraction]]) -> int:
    """Rank by exact Gaussian elimination (independent of the engine's)."""
    m = [row[:] for row in matrix]
    rank = 0
    width = len(m[0]) if m else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(m)) if m[r][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for r in range(len(m)):
            if r != rank and m[r][col] != 0:
                f = m[r][col] / m[rank][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[rank], strict=True)]
        rank += 1
    return rank


def derivable(
    rows: list[list[Count]], states: list[list[State]], *, column: bool, row: bool
) -> list[tuple[int, int]]:
    """The hidden cells a reader could compute from the shown totals.

    The shown totals are linear equations over the hidden cells (shown cells are constants):
    a hidden cell is determined when its unit vector lies in the equations' row space, i.e.
    adding it does not raise the rank.
    """
    width = len(rows[0])
    n = len(rows)
    hidden = [(r, c) for r in range(n) for c in range(width) if states[r][c] != State.SHOWN]
    index = {cell: i for i, cell in enumerate(hidden)}
    equations: list[list[Fraction]] = []

    def equation(members: list[tuple[int, int]], total: tuple[int, int]) -> None:
        vector = [Fraction(0)] * len(hidden)
        for cell, sign in [*((m, 1) for m in members), (total, -1)]:
            if cell in index:
                vector[index[cell]] += sign
        equations.append(vector)

    if column:
        for r in range(n):
            equation([(r, c) for c in range(width - 1)], (r, width - 1))
    if row:
        for c in range(width):
            equation([(r, c) for r in range(n - 1)], (n - 1, c))
    base = rank(equations)
    found = []
    for cell, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(hidden))]
        if rank([*equations, unit]) == base:
            found.append(cell)
    return found


@settings(max_examples=400, deadline=None)
@given(tables)
def test_every_small_count_is_hidden_and_every_shown_value_is_unchanged(case: Case) -> None:
    data, column, row = case
    rows = with_totals(data, column=column, row=row)
    states = run(rows, column=column, row=row)
    out = released(rows, states)
    for r, line in enumerate(rows):
        for c, value in enumerate(line):
            if isinstance(value, int) and 0 < value < 5:
                assert states[r][c] == P and out[r][c] == SMALL_MARK
            elif states[r][c] == State.SHOWN:
                assert out[r][c] == value
            else:
                assert states[r][c] == S and out[r][c] == HIDDEN_MARK
                assert value != 0  # a zero protects nothing: never chosen


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_suppressed_value_can_be_recomputed_from_what_is_shown(case: Case) -> None:
    data, column, row = case
    rows = with_totals(data, column=column, row=row)
    states = run(rows, column=column, row=row)
    assert derivable(rows, states, column=column, row=row) == []


@settings(max_examples=200, deadline=None)
@given(tables)
def test_suppression_is_idempotent(case: Case) -> None:
    data, column, row = case
    rows = with_totals(data, column=column, row=row)
    states = run(rows, column=column, row=row)
    out = released(rows, states)
    assert run(out, column=column, row=row) == states
    assert released(out, run(out, column=column, row=row)) == out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(values, min_size=1, max_size=5), min_size=1, max_size=5))
def test_without_totals_only_the_small_counts_are_hidden(data: list[list[int]]) -> None:
    states = suppress_counts(data, frozenset(range(5)))
    assert states == [[P if 0 < v < 5 else State.SHOWN for v in r] for r in data]


# --- the boundaries ---------------------------------------------------------------------------


def test_four_is_hidden_and_five_is_shown() -> None:
    assert suppress_counts([[4, 5, 0]], frozenset({0, 1, 2})) == [[P, _, _]]


def test_a_lone_small_cell_in_a_row_takes_the_next_smallest_non_zero_with_it() -> None:
    rows: list[list[Count]] = [[3, 0, 12, 7, 22]]
    assert run(rows, column=True, row=False) == [[P, _, _, S, _]]


def test_a_lone_small_cell_in_a_column() -> None:
    rows = with_totals([[3], [9], [6]], column=False, row=True)
    assert run(rows, column=False, row=True) == [[P], [_], [S], [_]]


def test_a_lone_small_cell_in_both_a_row_and_a_column() -> None:
    rows = with_totals([[3, 10], [8, 9]], column=True, row=True)
    # [3 10 13] [8 9 17] [11 19 30]: the 3, its row's 10, its column's 8, then the 9 the
    # 10's and the 8's lines are left alone with.
    assert run(rows, column=True, row=True) == [[P, S, _], [S, S, _], [_, _, _]]
    assert derivable(rows, run(rows, column=True, row=True), column=True, row=True) == []


def test_a_small_total_is_hidden_and_so_are_its_parts() -> None:
    rows = with_totals([[1, 2], [6, 7]], column=True, row=False)
    assert run(rows, column=True, row=False) == [[P, P, P], [_, _, _]]


def test_a_small_total_alone_in_its_column_takes_another_total() -> None:
    rows = with_totals([[0, 3], [6, 7]], column=True, row=True)
    # [0 3 3] [6 7 13] [6 10 16]: the 3s; the column of totals is left with one hidden cell.
    states = run(rows, column=True, row=True)
    assert states[0] == [_, P, P]
    assert derivable(rows, states, column=True, row=True) == []


def test_zeros_are_shown_and_never_hide_anything() -> None:
    rows: list[list[Count]] = [[3, 0, 0, 6, 9]]
    assert run(rows, column=True, row=False) == [[P, _, _, S, _]]


def test_two_small_cells_whose_sum_pins_them_take_a_third() -> None:
    # 1 + 1 = 8 - 6: both "<5" would have to be 1.
    rows: list[list[Count]] = [[1, 1, 6, 8]]
    assert run(rows, column=True, row=False) == [[P, P, S, _]]


def test_a_small_cell_and_a_five_whose_sum_pins_them_take_a_third() -> None:
    # x >= 5 and <5 >= 1 with a sum of 6: 1 and 5.
    rows: list[list[Count]] = [[1, 5, 9, 15]]
    assert run(rows, column=True, row=False) == [[P, S, S, _]]


def test_the_linear_audit_finds_a_cell_joining_two_hidden_blocks() -> None:
    # Each line has two hidden cells, yet the cell joining the two 2x2 blocks follows from
    # the totals (it is a bridge): the lone-cell rule alone would leave it.
    data = [[3, 3, 0, 0], [3, 3, 9, 0], [0, 0, 3, 3], [0, 0, 3, 3]]
    rows = with_totals(data, column=True, row=True)
    lines = lines_of(rows, frozenset(range(5)), total_column=4, total_row=True)
    blocks = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)]
    assert determined_cells(rows, lines, [*blocks, (1, 2)]) == {(1, 2)}
    assert determined_cells(rows, lines, blocks) == set()
    # The engine hides enough that nothing follows.
    states = run(rows, column=True, row=True)
    assert derivable(rows, states, column=True, row=True) == []


def test_a_cell_whose_own_lines_have_nothing_left_to_hide_is_protected_elsewhere() -> None:
    # Found by a search: the 2 at the top left followed from its column and row totals,
    # and neither line had a visible count left.
    rows = with_totals([[2, 3, 0], [3, 20, 7], [2, 9, 5], [0, 2, 0]], column=True, row=True)
    states = run(rows, column=True, row=True)
    assert derivable(rows, states, column=True, row=True) == []


def test_lines_without_a_total_give_no_equation() -> None:
    rows: list[list[Count]] = [[3, 7, None], [6, 8, 14]]
    assert len(lines_of(rows, frozenset({0, 1, 2}), total_column=2)) == 1
    assert run(rows, column=True, row=False) == [[P, _, _], [_, _, _]]


def test_a_rate_is_hidden_when_its_numerator_or_denominator_is_under_five() -> None:
    assert suppress_rate(3, 100) and suppress_rate(10, 4)
    assert not suppress_rate(5, 5) and not suppress_rate(0, 20)


def test_a_rate_is_hidden_with_a_hidden_numerator() -> None:
    # planned, delivered, rate; delivered is the count; a total row.
    rows: list[list[Count]] = [[10, 3, 30.0], [10, 7, 70.0], [20, 10, 50.0]]
    states = suppress_table(rows, frozenset({1}), total_row=True, rates=[Rate(2, 1, 0)])
    assert states == [[_, P, S], [_, S, S], [_, _, _]]
