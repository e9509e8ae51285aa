"""Short names (slugs) made from a Danish name: "Påsatte brande" -> "paasatte-brande"."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def free_slug(name: str, taken: Collection[str], *, fallback: str, max_length: int = 60) -> str:
    """The slug of ``name`` (``fallback`` when it has no letters), with "-2", "-3" ...
    added until it is not in ``taken``."""
    base = slugify(name.translate(_DANISH))[: max_length - 4].strip("-") or fallback
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
