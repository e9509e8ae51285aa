"""English is a full second language: every Danish source string has a translation."""

from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "helhedsplan/locale/en/LC_MESSAGES/django.po"


def test_every_string_is_translated_to_english() -> None:
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert not untranslated
    assert po.percent_translated() == 100
