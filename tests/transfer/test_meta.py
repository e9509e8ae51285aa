"""Every plan-scoped model is in the plan export, or excluded with a reason."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from helhedsplan.transfer import schema


def _domain_models() -> list[Any]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("helhedsplan.") and not m._meta.abstract
    ]


def test_every_plan_scoped_model_is_exported_or_excluded_with_a_reason() -> None:
    exported = set(schema.exported_models())
    for model in _domain_models():
        if schema.is_plan_scoped(model):
            label = model._meta.label
            assert model in exported or schema.EXCLUDED.get(label, "").strip(), (
                f"{label} belongs to a plan but is neither in the plan export nor in "
                "transfer.schema.EXCLUDED with a reason"
            )


def test_every_model_that_points_into_a_plan_is_carried() -> None:
    """A model with a key to the plan or to a plan-scoped row, but without a plan_path,
    would be lost: it must be plan-scoped (Audited with plan_path) or handled here."""
    exported = set(schema.exported_models())
    handled = exported | {AuditEntry, *schema.SHARED}
    for model in _domain_models():
        if model in handled or model._meta.label in schema.EXCLUDED:
            continue
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            assert target is not Plan and target not in exported, (
                f"{model._meta.label}.{field.name} points into a plan; give the model a "
                "plan_path (lib.models.Audited) so the plan export carries it"
            )


def test_every_key_of_an_exported_model_points_at_something_the_export_names() -> None:
    names = set(schema.exported_models()) | set(schema.SHARED) | {ContentType}
    for model in schema.exported_models():
        for field in model._meta.get_fields():
            if field.is_relation and (field.concrete or field.many_to_many):
                if field.auto_created and not field.concrete:
                    continue
                assert field.related_model in names, f"{model._meta.label}.{field.name}"


def test_the_order_puts_each_model_after_what_it_needs() -> None:
    order = {m: i for i, m in enumerate(schema.exported_models())}
    for model, index in order.items():
        for field in model._meta.concrete_fields:
            target: Any = field.related_model if field.is_relation else None
            if target in order and target is not model and not field.null:
                assert order[target] < index, f"{model._meta.label}.{field.name}"


def test_structure_and_exclusions_name_real_models() -> None:
    labels = {m._meta.label for m in schema.exported_models()}
    assert labels >= schema.STRUCTURE
    assert all(reason.strip() for reason in schema.EXCLUDED.values())
    assert labels.isdisjoint(schema.EXCLUDED)
    assert schema.exported_models()[0] is Plan
