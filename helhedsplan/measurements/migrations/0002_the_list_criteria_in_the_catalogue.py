"""The catalogue's starting rows: the government's list criteria, for both frameworks.

Written out here (not read from measurements.catalogue) so that the migration keeps meaning
what it meant when it was written.
"""

from django.db import migrations

SOURCE = "Danmarks Statistik via Landsbyggefonden"
ROWS = [
    ("beboere", "Beboere pr. 1. januar", "antal", False, "", "", "none",
     "Listerne omfatter kun boligområder med mindst 1.000 beboere."),
    ("ikke_vestlige_pct", "Indvandrere og efterkommere fra ikke-vestlige lande", "pct", True,
     "Indvandrere og efterkommere fra ikke-vestlige lande", "Beboere", "down", ""),
    ("uden_arbejde_uddannelse_pct",
     "18-64-årige uden tilknytning til arbejdsmarked eller uddannelse", "pct", True,
     "18-64-årige uden arbejde eller uddannelse", "Beboere 18-64 år", "down",
     "Gennemsnit over de seneste 2 år (2010: 4 år), som offentliggjort for listeåret."),
    ("doemte_pct", "Dømte for overtrædelse af straffeloven, våbenloven eller lov om "
     "euforiserende stoffer", "pct", True, "Dømte", "Beboere på 18 år og derover", "down",
     "Andel af beboere på 18 år og derover; gennemsnit over de seneste 2 år (2010: 4 år)."),
    ("kun_grundskole_pct", "30-59-årige med alene en grundskoleuddannelse", "pct", True,
     "30-59-årige med alene grundskole (uoplyst medregnet)", "Beboere 30-59 år", "down", ""),
    ("indkomst_pct_region", "Gennemsnitlig bruttoindkomst for 15-64-årige (ekskl. "
     "uddannelsessøgende) i pct. af regionens gennemsnit", "pct", False, "", "", "up", ""),
]  # fmt: skip


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Indicator = apps.get_model("measurements", "Indicator")
    for framework in ("2015-18", "2019-26"):
        for order, (code, name, unit, rate, num, den, direction, text) in enumerate(ROWS, 1):
            Indicator.objects.get_or_create(
                framework=framework,
                code=code,
                defaults={
                    "name": name,
                    "unit": unit,
                    "is_rate": rate,
                    "numerator_label": num,
                    "denominator_label": den,
                    "direction": direction,
                    "source": SOURCE,
                    "description": text,
                    "list_criterion": True,
                    "order": order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("measurements", "0001_central_measurements")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
