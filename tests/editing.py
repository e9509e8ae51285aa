"""Helpers for tests of edit forms: the version an edit form was opened from."""

from __future__ import annotations

import re
from typing import Any

_VERSION = re.compile(r'name="version" value="([^"]*)"')


def opened_version(response: Any) -> str:
    """The hidden version token of the (first) form on the page."""
    match = _VERSION.search(response.content.decode())
    assert match, "the page has no version field"
    return match.group(1)


def versions(response: Any) -> list[str]:
    """Every version token on the page, in order (the approval page has one per row)."""
    return _VERSION.findall(response.content.decode())
