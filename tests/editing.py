"""Helpers for tests of edit forms: the version an edit form was opened from."""

from __future__ import annotations

import re
from html.parser import HTMLParser
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


class _FormParser(HTMLParser):
    """The values a browser would submit from each ``method="post"`` form on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form, self.data = True, {}
            self.forms.append(self.data)
        if not self.in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file", "button"):
                default = "on" if kind in ("checkbox", "radio") else ""
                self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select].append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea:
            value = self.data[self.textarea][0]  # browsers drop the newline after <textarea>
            self.data[self.textarea][0] = value[1:] if value.startswith("\n") else value
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


def form_data(response: Any) -> dict[str, Any]:
    """What submitting the page's edit form (the one with a version) unchanged would post."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    data = next((f for f in parser.forms if "version" in f), parser.forms[-1])
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}
