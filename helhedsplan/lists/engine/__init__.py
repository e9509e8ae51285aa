"""The list engine: the government's list criteria, computed per area and list year. Pure
Python, no Django (tests/lib checks that no engine imports Django).

The rule sets are versioned data by list year (``lists/rules/*.json``: 2010-2012, 2013-2017,
2018-2020, 2021 onwards), with the statute's operators ("overstiger" >, "mindst" >=, "under"
<), the number of criteria that must be met, the 1.000-resident minimum and the national
figures a threshold is computed from (``ListThreshold`` rows, entered per list year).

``types`` is the contract the pages, the API, the status report and the national overview
read; ``rules`` loads and validates the rule sets; ``evaluate`` computes.
"""
