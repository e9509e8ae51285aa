"""Small-number suppression: which counts of people may be shown outside the secretariat.

A pure engine (no Django import). ``suppress_counts`` takes a table of counts and says of
every cell whether it is shown, hidden because it is small (*primary*: a count of 1-4,
shown as ``<5``) or hidden so that a small count cannot be worked out from the totals
shown (*secondary*: shown as ``x``). ``suppress_rate`` says whether a rate may be shown.

The rules:

- A count of 1-4 is primary: shown as ``<5``. A total that is itself 1-4 too.
- 0 is shown. A zero names no one, and hiding it would make every empty cell look
  like a small number. So a 0 is never chosen as a secondary cell: it protects nothing.
  (The reader therefore knows that ``<5`` means 1-4 and ``x`` means 5 or more.)
- ``None`` (no figure) is shown as it is and protects nothing either; in a total it
  counts as 0.
- The totals give equations: a row's total column is the sum of the row's other count
  columns, the total row holds each count column's sum over the other rows (the grand
  total, where both are given, belongs to both). In every such line with exactly one
  hidden cell, the next-smallest visible non-zero count of the line is hidden too
  (secondary), and this is repeated until nothing changes: hiding a cell can leave its
  crossing line with a lone hidden cell.
- Then two audits, repeated with the rule above until nothing changes: (1) exact linear
  algebra over the equations (``determined_cells``): a hidden cell whose value follows
  from what is shown, by any combination of the totals (two hidden blocks joined by one
  hidden cell, say), gets the next-smallest visible count of one of its lines hidden;
  (2) bounds: a primary cell is 1-4 and a secondary one at least 5, so a line whose
  hidden cells must sum to, e.g., 6 with one of each pins both (1 and 5); such a line
  also gets its next-smallest visible count hidden. When a cell's own lines have no
  visible count left, the smallest visible count elsewhere that leaves it undetermined
  is hidden.
- What remains (said, not solved): the bounds audit works line by line (it does not
  chain ranges through several lines), and a line can be pinned whatever is hidden
  (four ``<5`` that sum to a hidden total under 5 must each be 1).

Rates: ``suppress_rate(numerator, denominator)`` hides a rate whose numerator is 1-4 (a
numerator of 0 is shown as the count 0 is) or whose denominator is under 5; a rate whose
numerator or denominator cell is hidden is hidden too (``suppress_table`` does that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

THRESHOLD = 5  # counts under this (and over 0) are not shown
SMALL_MARK = "<5"
HIDDEN_MARK = "x"
LEGEND = "<5: færre end 5. x: skjult, så et lille tal ikke kan regnes ud fra totalerne."

# A cell's value: a count (int) in a count column; rates' parts may be other numbers; a
# mark (``<5``, ``x``) is a cell already hidden (so suppressing a released table again
# changes nothing).
Count = float | str | None
Cell = tuple[int, int]  # (row, column)


class State(StrEnum):
    SHOWN = "shown"
    PRIMARY = "primary"  # a count of 1-4: "<5"
    SECONDARY = "secondary"  # hidden so a primary cannot be worked out: "x"


def is_small(value: Count) -> bool:
    """A count of 1-4: what is never shown outside the secretariat."""
    return isinstance(value, int | float) and 0 < value < THRESHOLD


def _initial(value: Count) -> State:
    if value == SMALL_MARK:
        return State.PRIMARY
    return State.SECONDARY if value == HIDDEN_MARK else State.SHOWN


def _number(value: Count) -> float:
    """A shown cell's value in a sum (no figure counts as 0)."""
    return value if isinstance(value, int | float) else 0


def _figure(value: Count) -> float | None:
    return value if isinstance(value, int | float) else None


def released(
    rows: Sequence[Sequence[Count]], states: Sequence[Sequence[State]]
) -> list[list[Count]]:
    """``rows`` with each hidden cell replaced by its mark."""
    return [
        [
            value if state == State.SHOWN else mark(state)
            for value, state in zip(row, row_states, strict=True)
        ]
        for row, row_states in zip(rows, states, strict=True)
    ]


def mark(state: State) -> str:
    """What a hidden cell shows instead of its value ("" for a shown one)."""
    return {State.PRIMARY: SMALL_MARK, State.SECONDARY: HIDDEN_MARK}.get(state, "")


@dataclass(frozen=True)
class Line:
    """One equation the totals give: sum(members) == total (cells of the table)."""

    members: tuple[Cell, ...]
    total: Cell

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (*self.members, self.total)


def lines_of(
    rows: Sequence[Sequence[Count]],
    count_columns: frozenset[int],
    total_column: int | None = None,
    total_row: bool = False,
) -> list[Line]:
    """The equations a table's totals give (a line per row with a total, per column)."""
    lines: list[Line] = []
    counts = sorted(count_columns)
    last = len(rows) - 1
    if total_column is not None:
        others = [c for c in counts if c != total_column]
        for r, row in enumerate(rows):
            if row[total_column] is not None:
                lines.append(Line(tuple((r, c) for c in others), (r, total_column)))
    if total_row and last >= 0:
        for c in counts:
            if rows[last][c] is not None:
                lines.append(Line(tuple((r, c) for r in range(last)), (last, c)))
    return lines


def suppress_counts(
    rows: Sequence[Sequence[Count]],
    count_columns: frozenset[int],
    *,
    total_column: int | None = None,
    total_row: bool = False,
) -> list[list[State]]:
    """The state of every cell of ``rows`` (cells outside ``count_columns`` are shown).

    ``total_column``: a count column that sums the row's other count columns;
    ``total_row``: the last row holds the column totals. See the module for the rules.
    """
    states = [[_initial(value) for value in row] for row in rows]
    for r, row in enumerate(rows):
        for c in count_columns:
            if c < len(row) and is_small(row[c]):
                states[r][c] = State.PRIMARY
    lines = lines_of(rows, count_columns, total_column, total_row)
    if not lines:
        return states

    def hidden(cell: Cell) -> bool:
        return states[cell[0]][cell[1]] != State.SHOWN

    def hide_next_smallest(line: Line) -> bool:
        """Hide the line's smallest visible non-zero count (members before the total)."""
        candidates = [
            (value, cell == line.total, cell)
            for cell in line.cells
            if not hidden(cell) and (value := _number(rows[cell[0]][cell[1]])) > 0
        ]
        if not candidates:
            return False
        _value, _is_total, (r, c) = min(candidates)
        states[r][c] = State.SECONDARY
        return True

    while True:
        changed = False
        for line in lines:
            if sum(hidden(cell) for cell in line.cells) == 1:
                changed |= hide_next_smallest(line)
        if changed:
            continue
        hidden_cells = [
            (r, c) for r, row in enumerate(states) for c, s in enumerate(row) if s != State.SHOWN
        ]
        exposed = determined_cells(rows, lines, hidden_cells) | _pinned(rows, lines, states)
        touched: set[int] = set()  # lines that got a cell hidden in this pass
        for cell in sorted(exposed):
            own = [i for i, line in enumerate(lines) if cell in line.cells]
            if touched.intersection(own):
                continue  # this pass has hidden more in its line: look again next pass
            hit = next((i for i in own if hide_next_smallest(lines[i])), None)
            if hit is not None:
                touched.add(hit)
                changed = True
        if exposed and not changed:
            # Its own lines have no visible count left: hide the smallest visible count
            # elsewhere that leaves it undetermined (else the smallest of all); when every
            # count is hidden, nothing more can be done (the module says what remains).
            changed = _hide_elsewhere(rows, lines, states, hidden_cells, min(exposed))
        if not changed:
            return states


def _hide_elsewhere(
    rows: Sequence[Sequence[Count]],
    lines: Sequence[Line],
    states: list[list[State]],
    hidden_cells: list[Cell],
    exposed: Cell,
) -> bool:
    visible = sorted(
        {
            (_number(rows[r][c]), (r, c))
            for line in lines
            for (r, c) in line.cells
            if states[r][c] == State.SHOWN and _number(rows[r][c]) > 0
        }
    )
    if not visible:
        return False
    chosen = next(
        (
            cell
            for _value, cell in visible
            if exposed not in determined_cells(rows, lines, [*hidden_cells, cell])
        ),
        visible[0][1],
    )
    states[chosen[0]][chosen[1]] = State.SECONDARY
    return True


def determined_cells(
    rows: Sequence[Sequence[Count]], lines: Sequence[Line], hidden: Sequence[Cell]
) -> set[Cell]:
    """The hidden cells whose value follows from the lines' equations and the shown cells.

    Exact Gaussian elimination (Fractions) over the hidden cells: a cell is determined when
    its unit vector lies in the row space, i.e. when the reduced row echelon form has a row
    that is that unit vector.
    """
    index = {cell: i for i, cell in enumerate(hidden)}
    matrix: list[dict[int, Fraction]] = []  # sparse rows: column -> coefficient
    for line in lines:
        vector: dict[int, Fraction] = {}
        for cell in line.cells:
            if cell in index:
                j = index[cell]
                vector[j] = vector.get(j, Fraction(0)) + (-1 if cell == line.total else 1)
        vector = {j: v for j, v in vector.items() if v}
        if vector:
            matrix.append(vector)
    reduced = _rref(matrix)
    return {hidden[col] for col, row in reduced.items() if len(row) == 1}


def _rref(matrix: list[dict[int, Fraction]]) -> dict[int, dict[int, Fraction]]:
    """The reduced row echelon form of ``matrix`` (sparse rows), as pivot column -> row."""
    pivots: dict[int, dict[int, Fraction]] = {}
    for vector in matrix:
        row = dict(vector)
        for col, pivot_row in pivots.items():  # reduce by the pivots found so far
            factor = row.get(col)
            if factor:
                _subtract(row, pivot_row, factor)
        if not row:
            continue
        col = min(row)
        lead = row[col]
        row = {j: v / lead for j, v in row.items()}
        for other in pivots.values():  # keep the earlier pivot rows reduced
            factor = other.get(col)
            if factor:
                _subtract(other, row, factor)
        pivots[col] = row
    return pivots


def _subtract(row: dict[int, Fraction], other: dict[int, Fraction], factor: Fraction) -> None:
    """row -= factor * other, dropping the zeros."""
    for j, v in other.items():
        value = row.get(j, Fraction(0)) - factor * v
        if value:
            row[j] = value
        else:
            row.pop(j, None)


def _pinned(
    rows: Sequence[Sequence[Count]], lines: Sequence[Line], states: list[list[State]]
) -> set[Cell]:
    """Hidden cells a line pins by the bounds the marks tell (primary 1-4, secondary 5+).

    Line by line: the hidden members' sum and the hidden total's range follow from the
    shown cells; a hidden cell whose range, so narrowed, is one value is pinned.
    """
    pinned: set[Cell] = set()

    def bounds(cell: Cell) -> tuple[int, float]:
        return (1, THRESHOLD - 1) if states[cell[0]][cell[1]] == State.PRIMARY else (THRESHOLD, inf)

    inf = float("inf")
    for line in lines:
        hidden = [cell for cell in line.cells if states[cell[0]][cell[1]] != State.SHOWN]
        if not hidden:
            continue
        # sum(members) - total == 0: the shown part is a constant.
        known = sum(
            _number(rows[r][c]) * (-1 if (r, c) == line.total else 1)
            for (r, c) in line.cells
            if (r, c) not in hidden
        )
        for cell in hidden:
            sign = -1 if cell == line.total else 1
            lo, hi = 0.0, 0.0  # range of the other hidden cells' signed sum
            for other in hidden:
                if other == cell:
                    continue
                a, b = bounds(other)
                if other == line.total:
                    lo, hi = lo - b, hi - a
                else:
                    lo, hi = lo + a, hi + b
            # sign * x + others + known == 0  ->  x == -(others + known) / sign
            if sign == 1:
                x_lo, x_hi = -(hi + known), -(lo + known)
            else:
                x_lo, x_hi = lo + known, hi + known
            a, b = bounds(cell)
            if max(a, x_lo) == min(b, x_hi):
                pinned.add(cell)
    return pinned


def suppress_rate(numerator: float | None, denominator: float | None) -> bool:
    """Whether a rate numerator/denominator must be hidden: a numerator of 1-4 or a
    denominator under 5 (a rate of no one, 0 of 5 or more, is shown)."""
    if numerator is not None and 0 < numerator < THRESHOLD:
        return True
    return denominator is not None and denominator < THRESHOLD


@dataclass(frozen=True)
class Rate:
    """A rate column of a table: its value is column ``numerator`` over ``denominator``."""

    column: int
    numerator: int
    denominator: int


def suppress_table(
    rows: Sequence[Sequence[Count]],
    count_columns: frozenset[int],
    *,
    total_column: int | None = None,
    total_row: bool = False,
    rates: Sequence[Rate] = (),
) -> list[list[State]]:
    """``suppress_counts``, then each rate column: hidden (secondary) where the rate rule
    says so or its numerator or denominator cell is hidden. ``rows`` holds the counts in
    the count columns and a rate's numerator and denominator where those are other numbers
    (a planned quantity); the rate column's own value is not read."""
    states = suppress_counts(rows, count_columns, total_column=total_column, total_row=total_row)
    values = rows
    for r in range(len(rows)):
        for rate in rates:
            parts = (rate.numerator, rate.denominator)
            numerator, denominator = (values[r][p] for p in parts)
            if any(states[r][p] != State.SHOWN for p in parts) or suppress_rate(
                _figure(numerator), _figure(denominator)
            ):
                states[r][rate.column] = State.SECONDARY
    return states
