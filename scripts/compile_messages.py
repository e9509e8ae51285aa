"""Compile the .po catalogues to .mo without needing GNU gettext on the machine."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "helhedsplan" / "locale"

for po_path in ROOT.glob("*/LC_MESSAGES/*.po"):
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
