"""The list engine's codes in words, in the active language (gettext; Danish is the source).

``lists.engine`` is pure and returns codes (``RuleSetError.code`` with parameters, a
condition's ``missing`` key, the categories' codes); this module words them, as
``criteria.wording`` words ``criteria.engine``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helhedsplan.lists.engine import rules
from helhedsplan.lists.engine.types import (
    FOREBYGGELSE,
    GHETTO,
    HAARDT_GHETTO,
    OMDANNELSE,
    PARALLELSAMFUND,
    UDSAT,
    Operator,
)

__all__ = ["category_name", "missing_text", "operator_word", "rule_set_error_text"]

CATEGORY_NAMES = {
    UDSAT: gettext_lazy("Udsat boligområde"),
    GHETTO: gettext_lazy("Ghettoområde"),
    HAARDT_GHETTO: gettext_lazy("Hårdt ghettoområde"),
    PARALLELSAMFUND: gettext_lazy("Parallelsamfund"),
    OMDANNELSE: gettext_lazy("Omdannelsesområde"),
    FOREBYGGELSE: gettext_lazy("Forebyggelsesområde"),
}

NATIONAL_FIGURE_NAMES = {
    "doemte_landsgennemsnit_pct": gettext_lazy(
        "Landsgennemsnittet for andelen af dømte (pct. af beboere på 18 år og derover)"
    ),
}


def category_name(code: str) -> str:
    return str(CATEGORY_NAMES.get(code, code))


def national_figure_name(key: str) -> str:
    return str(NATIONAL_FIGURE_NAMES.get(key, key))


def operator_word(operator: Operator) -> str:
    words = {Operator.GT: _("overstiger"), Operator.GE: _("mindst"), Operator.LT: _("under")}
    return words[Operator(operator)]


def missing_text(key: str) -> str:
    """'value:doemte_pct' -> 'Værdien for doemte_pct mangler.' etc."""
    kind, _sep, name = key.partition(":")
    if kind == "value":
        return _("Værdien for %(code)s mangler eller er diskretioneret.") % {"code": name}
    if kind == "threshold":
        return _("Landstallet %(key)s for listeåret mangler.") % {"key": name}
    if kind == "history":
        return _("Resultatet for listeåret %(year)s kendes ikke.") % {"year": name}
    return key


def _messages() -> dict[str, str]:
    return {
        "json": _("Filen er ikke gyldig JSON: {detail}."),
        "format": _("Ukendt format {value} (kun format 1 kendes)."),
        "field": _("Feltet »{field}« mangler eller er ugyldigt."),
        "years": _("Første listeår {from_year} ligger efter sidste listeår {to_year}."),
        "overlap": _("Regelsættene {first} og {second} gælder begge for listeåret {year}."),
        "duplicate_id": _("To regelsæt har id'et {id}."),
        "category": _("Ukendt kategori »{value}«."),
        "duplicate_category": _("Kategorien »{value}« står to gange."),
        "operator": _("Ukendt operator »{value}« ved kriteriet »{criterion}« (kendte: >, >=, <)."),
        "criterion": _("Ukendt kriterium »{value}« i kategorien »{category}«."),
        "threshold": _(
            "Kriteriet »{criterion}« i kategorien »{category}« har hverken en gyldig tærskel "
            "eller en faktor gange et landstal."
        ),
        "needed": _("Kategorien »{category}« kræver {needed} kriterier, men har kun {count}."),
        "reference": _("Kategorien »{category}« henviser til den ukendte kategori »{value}«."),
        "history": _(
            "Historikken i kategorien »{category}« skal gælde mindst 2 år og nævne mindst én "
            "kategori."
        ),
    }


def rule_set_error_text(error: rules.RuleSetError) -> str:
    template = _messages().get(error.code, rules.MESSAGES.get(error.code, error.code))
    return _("Regelsæt %(file)s: %(message)s") % {
        "file": error.file,
        "message": template.format(**error.params),
    }
