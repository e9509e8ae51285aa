"""The writes of the measurements app: the indicator catalogue (the installation's staff),
a plan's column layout for LBF's file, and the import of central measurements.

Every write goes through here (views, the CLI and tests call the same functions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.frameworks import catalogue as frameworks
from helhedsplan.lib import concurrency
from helhedsplan.measurements import catalogue
from helhedsplan.measurements.models import Indicator, MeasurementSettings
from helhedsplan.plans.models import Plan

if TYPE_CHECKING:
    from helhedsplan.measurements.importing import ImportResult

# The catalogue's editable fields (``list_criterion`` is the migration's: never set here).
INDICATOR_FIELDS = (
    "name",
    "unit",
    "is_rate",
    "numerator_label",
    "denominator_label",
    "direction",
    "source",
    "description",
    "order",
)


def _check_indicator(indicator: Indicator) -> None:
    if indicator.framework not in {code for code, _label in frameworks.choices()}:
        raise ValidationError(
            _("Bevillingsrammen '%(framework)s' findes ikke.") % {"framework": indicator.framework},
            code="unknown_framework",
        )
    if indicator.is_rate and indicator.unit != Indicator.Unit.PERCENT:
        raise ValidationError(
            _("En andel med tæller og nævner har enheden procent."), code="rate_not_percent"
        )
    if indicator.is_rate and not (indicator.numerator_label and indicator.denominator_label):
        raise ValidationError(
            _("En andel skal have en tekst for både tæller og nævner."), code="rate_labels"
        )
    duplicate = (
        Indicator.objects.filter(framework=indicator.framework, code=indicator.code)
        .exclude(pk=indicator.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            _("Bevillingsrammen %(framework)s har allerede en indikator med koden '%(code)s'.")
            % {"framework": indicator.framework, "code": indicator.code},
            code="duplicate_code",
        )


@transaction.atomic
def list_indicators_ensure() -> int:
    """The catalogue's starting rows (the six list criteria) for every framework that lacks
    them; the rows present are left as they are. Returns how many were added.

    Run after every ``migrate`` (``post_migrate``, MeasurementsConfig.ready) as well as by
    migration 0002: a database flushed and migrated again (a new installation's ``flush``,
    the test suite's transactional tests) keeps the codes the list engine reads.
    """
    added = 0
    for framework in catalogue.FRAMEWORKS:
        for order, start in enumerate(catalogue.LIST_INDICATORS, 1):
            _indicator, made = Indicator.objects.get_or_create(
                framework=framework,
                code=start.code,
                defaults={
                    "name": start.name,
                    "unit": start.unit,
                    "is_rate": start.is_rate,
                    "numerator_label": start.numerator_label,
                    "denominator_label": start.denominator_label,
                    "direction": start.direction,
                    "source": catalogue.SOURCE,
                    "description": start.description,
                    "list_criterion": True,
                    "order": order,
                },
            )
            added += made
    return added


def indicator_create(*, framework: str, code: str, **fields: Any) -> Indicator:
    """A further indicator of the framework's catalogue (never a list criterion: those six
    come with the migration). Codes: unknown_framework, duplicate_code, rate_not_percent,
    rate_labels, and the model's field errors."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    indicator = Indicator(framework=framework, code=str(code).strip(), **fields)
    _check_indicator(indicator)
    indicator.full_clean(validate_unique=False)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, code: str | None = None, version: str | None = None, **fields: Any
) -> Indicator:
    """Change an indicator of the catalogue. A list criterion's code is fixed (the list
    engine reads it): changing it is refused (code list_code_fixed), and so is making it a
    rate or not. Codes as ``indicator_create``, and stale_edit."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    locked = concurrency.lock_and_check(
        indicator, version, what=_("Indikatoren %(code)s") % {"code": indicator.code}
    )
    if code is not None and str(code).strip() != locked.code:
        if locked.list_criterion:
            raise ValidationError(
                _(
                    "Koden '%(code)s' er et af regeringens listekriterier, som listeberegningen "
                    "læser: den kan ikke ændres."
                )
                % {"code": locked.code},
                code="list_code_fixed",
            )
        locked.code = str(code).strip()
    if locked.list_criterion and "is_rate" in fields and bool(fields["is_rate"]) != locked.is_rate:
        raise ValidationError(
            _("Et listekriteriums enhed og opbygning er fastlagt af loven og kan ikke ændres."),
            code="list_code_fixed",
        )
    if locked.list_criterion and "unit" in fields and fields["unit"] != locked.unit:
        raise ValidationError(
            _("Et listekriteriums enhed og opbygning er fastlagt af loven og kan ikke ændres."),
            code="list_code_fixed",
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_indicator(locked)
    locked.full_clean(validate_unique=False)
    locked.save()
    return locked


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    """Remove an indicator from the catalogue: refused for a list criterion
    (list_code_fixed) and for one that has values (in_use)."""
    if indicator.list_criterion:
        raise ValidationError(
            _(
                "'%(code)s' er et af regeringens listekriterier, som listeberegningen læser: "
                "det kan ikke fjernes."
            )
            % {"code": indicator.code},
            code="list_code_fixed",
        )
    if indicator.measurements.exists():
        raise ValidationError(
            _("Indikatoren '%(code)s' har indlæste værdier og kan ikke fjernes.")
            % {"code": indicator.code},
            code="in_use",
        )
    indicator.delete()


# --- the plan's column layout ----------------------------------------------------------------


def measurement_settings_for(plan: Plan) -> MeasurementSettings:
    """The plan's settings, or unsaved defaults (reading never writes)."""
    found = MeasurementSettings.objects.filter(plan=plan).first()
    return found or MeasurementSettings(plan=plan)


def columns_for(settings: MeasurementSettings) -> dict[str, str]:
    """The header text of every logical column (the default where none is stored)."""
    stored = settings.columns if isinstance(settings.columns, dict) else {}
    return {
        key: str(stored.get(key) or default).strip()
        for key, default in catalogue.DEFAULT_COLUMNS.items()
    }


@transaction.atomic
def measurement_settings_update(
    *, plan: Plan, columns: Mapping[str, str], version: str | None = None
) -> MeasurementSettings:
    """Set the header texts of LBF's file for the plan. Codes: unknown_column, empty_header,
    duplicate_header, and stale_edit when the settings changed since the form was opened at
    ``version`` (``concurrency.NEW`` while only the defaults exist)."""
    stored = MeasurementSettings.objects.select_for_update().filter(plan=plan).order_by().first()
    concurrency.check(
        concurrency.snapshot(stored) if stored else None, version,
        what=_("Kolonneoverskrifterne for centrale målinger"),
    )  # fmt: skip
    unknown = set(columns) - set(catalogue.DEFAULT_COLUMNS)
    if unknown:
        raise ValidationError(_("Ukendt kolonne."), code="unknown_column")
    mapping = {key: str(columns.get(key, "")).strip() for key in catalogue.DEFAULT_COLUMNS}
    for key, header in mapping.items():
        if not header:
            raise ValidationError(
                _("Kolonnen '%(column)s' skal have en overskrift.")
                % {"column": catalogue.DEFAULT_COLUMNS[key]},
                code="empty_header",
            )
    lowered = [" ".join(h.split()).casefold() for h in mapping.values()]
    if len(set(lowered)) != len(lowered):
        raise ValidationError(_("To kolonner har samme overskrift."), code="duplicate_header")
    settings = stored or MeasurementSettings(plan=plan)
    settings.columns = mapping
    settings.full_clean()
    settings.save()
    return settings


# --- the import ------------------------------------------------------------------------------


def central_measurements_import(
    *,
    plan: Plan,
    file: Any,
    user: Any = None,
    file_name: str = "",
    columns: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import LBF's file of central measurements for ``plan``, all or nothing
    (``measurements.importing``, where the rules and codes are)."""
    from helhedsplan.measurements import importing

    return importing.import_file(
        plan=plan, file=file, user=user, file_name=file_name, columns=columns, progress=progress
    )
