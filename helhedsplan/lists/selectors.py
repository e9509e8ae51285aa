"""Reading the lists for a plan: the engine's input from the central measurements and the
national figures, and its results per area and list year.

Contract (implemented by the engine work; the pages, the API, the status report, the vision
panel and the national overview read only these):

- ``list_years(plan) -> list[int]``: the list years with a rule set for which any area of the
  plan has a list-criterion value, ascending.
- ``area_results(plan, years=None) -> dict[int, dict[int, AreaYearResult]]``: per area id,
  per list year (all of ``list_years`` when None), the engine's result, history included.
  A constant number of queries, whatever the number of areas and years.
- ``plan_list_status(plan, year) -> dict[int, AreaYearResult]``: one list year's results per
  area id.
"""

from __future__ import annotations
