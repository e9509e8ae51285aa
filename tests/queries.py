"""Counting a page's queries in a test."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def read_again(client: Client, url: str) -> int:
    """The queries of ``url`` read a second time: what a page cached under the plan's data
    version costs while nothing is written."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
