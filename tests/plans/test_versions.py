"""The plan's counters (plans.versions): every audited write raises its data version and its
trail, in its transaction; an audited read (a download) raises its trail alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.audit.services import audit_changes, audit_event
from helhedsplan.criteria.models import Observation
from helhedsplan.measurements.models import Indicator
from helhedsplan.plans import versions
from helhedsplan.plans.models import PlanDataVersion
from tests.factories import (
    HousingAreaFactory,
    ObservationFactory,
    PlanFactory,
    PlanMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_new_plan_has_a_version_and_each_audited_change_raises_it() -> None:
    plan = PlanFactory()
    first = versions.current(plan.pk)
    area = HousingAreaFactory(plan=plan)
    after_area = versions.current(plan.pk)
    assert after_area > first
    area.name = "Nyt navn"
    area.save()
    assert versions.current(plan.pk) > after_area


def test_another_plans_change_leaves_the_version_alone() -> None:
    plan, other = PlanFactory(), PlanFactory()
    before = versions.current(plan.pk)
    HousingAreaFactory(plan=other)
    assert versions.current(plan.pk) == before


def test_a_bulk_write_audited_with_audit_changes_raises_the_version() -> None:
    observation = ObservationFactory()
    plan_id = observation.measure.plan_id
    before = versions.current(plan_id)
    old = Observation.objects.get(pk=observation.pk)
    observation.value = Decimal("12.5")
    Observation.objects.bulk_update([observation], ["value"])
    audit_changes(changes=[(old, observation)])
    assert versions.current(plan_id) == before + 1


def test_a_business_event_raises_the_version_and_the_trail() -> None:
    """A change is the default: an event that does not say it only read raises both."""
    plan = PlanFactory()
    version, trail = versions.current_with_trail(plan.pk)
    audit_event(instance=plan, event="observations.imported")
    assert versions.current_with_trail(plan.pk) == (version + 1, trail + 1)


def test_a_read_raises_the_trail_alone() -> None:
    """A download's entry (``data_changed=False``) changes no data: the caches of the plan's
    data keep their keys, what shows the trail gets a new one."""
    plan = PlanFactory()
    version, trail = versions.current_with_trail(plan.pk)
    data_key = versions.cache_key(plan.pk, "scorecard", 2019)
    trail_key = versions.cache_key(plan.pk, "audit-choices", version=version, trail=trail)
    audit_event(instance=plan, event="file.downloaded", data_changed=False)
    assert versions.current_with_trail(plan.pk) == (version, trail + 1)
    assert versions.cache_key(plan.pk, "scorecard", 2019) == data_key
    assert versions.cache_key(plan.pk, "audit-choices", version=version, trail=trail + 1) != (
        trail_key
    )


def test_a_read_of_a_plan_without_a_counter_yet_starts_its_trail() -> None:
    plan = PlanFactory()
    PlanDataVersion.objects.filter(plan=plan).delete()
    audit_event(instance=plan, event="file.downloaded", data_changed=False)
    assert versions.current_with_trail(plan.pk) == (0, 1)


def test_a_read_filed_under_no_plan_raises_nothing() -> None:
    """No cached page shows the entries filed under no plan."""
    before = versions.current_installation()
    indicator = Indicator.objects.first()
    assert indicator is not None
    audit_event(instance=indicator, event="test.read", data_changed=False)
    assert versions.current_installation() == before


def test_the_page_reads_both_counters_with_its_access_query(  # type: ignore[no-untyped-def]
    django_assert_num_queries,
) -> None:
    plan = PlanFactory()
    user = UserFactory()
    PlanMembershipFactory(plan=plan, user=user)
    HousingAreaFactory(plan=plan)
    audit_event(instance=plan, event="file.downloaded", data_changed=False)
    with django_assert_num_queries(1):
        access = get_plan_access(user, plan.slug)
        counters = (versions.of(access.plan), versions.trail_of(access.plan))
    assert counters == versions.current_with_trail(plan.pk)


def test_installation_wide_changes_raise_the_installation_counter() -> None:
    before = versions.current_installation()
    indicator = Indicator.objects.first()
    assert indicator is not None
    audit_event(instance=indicator, event="test.touched")
    assert versions.current_installation() == before + 1


def test_the_cache_key_holds_the_version_so_a_write_makes_the_old_key_unreachable() -> None:
    plan = PlanFactory()
    key = versions.cache_key(plan.pk, "scorecard", 2019, "da")
    assert key == versions.cache_key(plan.pk, "scorecard", 2019, "da")
    HousingAreaFactory(plan=plan)
    assert versions.cache_key(plan.pk, "scorecard", 2019, "da") != key


def test_a_form_saving_an_old_plan_object_does_not_write_an_old_version_back() -> None:
    plan = PlanFactory()
    HousingAreaFactory(plan=plan)
    raised = versions.current(plan.pk)
    plan.name = "Omdøbt"
    plan.save()  # the counter is its own row: the plan's save never carries it
    assert versions.current(plan.pk) > raised


def test_reading_the_version_is_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    plan = PlanFactory()
    with django_assert_num_queries(1):
        versions.current(plan.pk)
    with django_assert_num_queries(1):
        versions.current_with_trail(plan.pk)


def test_per_plan_asks_only_the_plans_changed_since_and_installation_data_counts() -> None:
    one, two = PlanFactory(), PlanFactory()
    asked: list[int] = []

    def compute(plan_id: int) -> str:
        asked.append(plan_id)
        return f"value of {plan_id}"

    def read(**kwargs: bool) -> dict[int, str]:
        return versions.per_plan("test", [one.pk, two.pk], compute, "2026-12-02", **kwargs)

    assert read() == {one.pk: f"value of {one.pk}", two.pk: f"value of {two.pk}"}
    assert read() and asked == [one.pk, two.pk]  # the second read asks nobody
    HousingAreaFactory(plan=two)
    read()
    assert asked == [one.pk, two.pk, two.pk]
    # Installation-wide data only counts for values that say they read it.
    read(installation=True)
    asked.clear()
    indicator = Indicator.objects.first()
    assert indicator is not None
    audit_event(instance=indicator, event="test.touched")
    read()
    assert asked == []
    read(installation=True)
    assert asked == [one.pk, two.pk]


def test_a_batch_raises_each_counter_once_at_its_end() -> None:
    """An import auditing its rows one by one (``versions.batched``) raises once."""
    plan = PlanFactory()
    before = versions.current(plan.pk)
    with versions.batched():
        for n in range(5):
            HousingAreaFactory(plan=plan, slug=f"o{n}")
        with versions.batched():  # nested: the outer block raises
            HousingAreaFactory(plan=plan, slug="inde")
        assert versions.current(plan.pk) == before  # not yet
    assert versions.current(plan.pk) == before + 1


def test_a_failed_batch_raises_nothing_and_stops_gathering() -> None:
    plan = PlanFactory()
    before = versions.current(plan.pk)
    with pytest.raises(RuntimeError), versions.batched():
        versions.bump([plan.pk])
        raise RuntimeError
    assert versions.current(plan.pk) == before
    versions.bump([plan.pk])  # outside a batch again: at once
    assert versions.current(plan.pk) == before + 1


def test_a_batch_raises_the_version_only_of_the_plans_it_changed() -> None:
    """Reads and changes gathered together: a plan only read gets its trail raised once, a
    plan read and changed both counters once."""
    read_only, changed = PlanFactory(), PlanFactory()
    before = {p.pk: versions.current_with_trail(p.pk) for p in (read_only, changed)}
    with versions.batched():
        for _n in range(3):
            audit_event(instance=read_only, event="file.downloaded", data_changed=False)
            audit_event(instance=changed, event="file.downloaded", data_changed=False)
        HousingAreaFactory(plan=changed)
        assert versions.current_with_trail(changed.pk) == before[changed.pk]  # not yet
    version, trail = before[read_only.pk]
    assert versions.current_with_trail(read_only.pk) == (version, trail + 1)
    version, trail = before[changed.pk]
    assert versions.current_with_trail(changed.pk) == (version + 1, trail + 1)


def test_a_read_calls_no_listener_on_commit(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """Nothing of the plan's data changed: no fragment is to be rendered again
    (``versions.on_raised``, ``plans.fragments.rewarm``)."""
    plan = PlanFactory()
    capture = django_capture_on_commit_callbacks
    with capture(execute=False) as callbacks, transaction.atomic():
        audit_event(instance=plan, event="file.downloaded", data_changed=False)
    assert callbacks == []
    with capture(execute=False) as callbacks, transaction.atomic():  # a change does
        audit_event(instance=plan, event="observations.imported")
    assert len(callbacks) == 1
