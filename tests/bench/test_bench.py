"""The bench's instruments on a tiny data set: the builder writes valid product data, every
page of the table answers 200 with its query count, every floor runs and returns rows, the
table and the load report print a row for each. Nothing here is timed (figures belong in
``make bench``); the demo plan comes along because the bench's agreement PDF is the demo's.
"""

from __future__ import annotations

import argparse

import pytest

from bench import dataset, load, pages

pytestmark = pytest.mark.demo


def test_the_bench_builds_measures_and_prints_every_row(demo_plan: object) -> None:
    from helhedsplan.activities.models import Registration
    from helhedsplan.criteria.models import Observation

    data = dataset.build(n_plans=2, registrations=500, audit=1500, log=lambda _line: None)
    assert Observation.objects.filter(measure__plan=data.plans[0]).count() == (
        dataset.AREAS * dataset.CRITERIA * len(dataset.YEARS)
    )
    assert Registration.objects.filter(plan__in=data.plans).count() == 500
    assert data.counts["audit"] >= 1500
    assert "Datasæt:" in data.summary()

    rows = pages.bench_pages(data, repeat=1, import_years=range(2022, 2023))
    assert ("Resultatoversigt", "kold") in [(r.name, r.cache) for r in rows]
    assert len(rows) == len(pages.pages(data, pages.client_for(data.user)[1])) + 1
    for row in rows:
        assert row.status == 200, row.name
        assert row.floor_rows > 0, row.name
        assert row.queries, row.name
    printed = pages.table(rows, "test")
    for row in rows:
        assert f"| {row.name} |" in printed

    paths = load.urls(data)
    assert set(paths) == {name for name, _weight in load.MIX}
    report = load.Report(samples=[load.Sample("Resultatoversigt", 0.01, 200)])
    printed = load.summary(report, 1.0, 2, argparse.Namespace(users=1, think=1.0))
    for name, _weight in load.MIX:
        assert f"| {name} |" in printed
    assert "0 fejl" in printed
