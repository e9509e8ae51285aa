"""The list criteria's indicators are restored after a flush (post_migrate), not only by the
data migration: transactional tests and a flushed installation keep the codes the list engine
reads."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from helhedsplan.measurements import catalogue
from helhedsplan.measurements.models import Indicator
from helhedsplan.measurements.services import list_indicators_ensure


@pytest.mark.django_db(transaction=True)
def test_a_flush_keeps_the_list_criteria_in_the_catalogue() -> None:
    call_command("flush", interactive=False, verbosity=0)
    codes = set(Indicator.objects.filter(list_criterion=True).values_list("framework", "code"))
    assert codes == {(f, c) for f in catalogue.FRAMEWORKS for c in catalogue.LIST_CODES}


@pytest.mark.django_db
def test_ensuring_twice_adds_nothing_and_keeps_edits() -> None:
    Indicator.objects.filter(code=catalogue.CONVICTED).update(name="Dømte (LBF's ord)")
    assert list_indicators_ensure() == 0
    assert set(
        Indicator.objects.filter(code=catalogue.CONVICTED).values_list("name", flat=True)
    ) == {"Dømte (LBF's ord)"}
