"""The base of every domain model: its way to the plan, and its place in the audit trail.

``Audited`` is a model in the audit trail. It declares the ORM path to the plan it belongs to
(``plan_path``), from which ``audit_plan_id`` (the plan an audit entry is filed under) and
``for_plan`` are derived, and the options of its registration with django-auditlog
(``audit_m2m``, ``audit_exclude``); ``lib.apps`` registers every concrete subclass once.

``PlanScoped`` is an ``Audited`` model with its own foreign key to the plan: the one
definition of that key. Each subclass names the reverse accessor (``plan_related_name``,
e.g. ``plan.meetings``). A model that reaches its plan through a parent declares the path
instead, e.g. ``plan_path = "meeting__plan"`` for an agenda item.

Modelled on pretix's ``LoggedModel`` (``base/models/base.py``): the model knows where its log
entries belong; the code that writes them does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from helhedsplan.accounts.models import User
    from helhedsplan.plans.models import Plan

    _ForeignKey = models.ForeignKey[Plan, Plan]
else:
    _ForeignKey = models.ForeignKey


class Audited(models.Model):
    """A model whose changes go to the audit trail, filed under its plan."""

    # The ORM path from this model to its plan: "plan", "meeting__plan", "pk" for the plan
    # itself, None for what no single plan owns (a housing organisation).
    plan_path: ClassVar[str | None] = None
    # The ORM path from this model to the focus area (indsatsområde) it is about, for the
    # trail's focus-area filter: "focus_area", "activity__focus_area", "pk" for the focus
    # area itself, None for what belongs to no single focus area. A hop may be to-many
    # ("measure__criteria__focus_area"): then the first related row (by pk) counts.
    focus_area_path: ClassVar[str | None] = None
    # Options of the auditlog registration: many-to-many fields whose changes are logged,
    # fields left out of the diff.
    audit_m2m: ClassVar[tuple[str, ...]] = ()
    audit_exclude: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    @property
    def audit_plan_id(self) -> int | None:
        """The plan's id, read along ``plan_path``: the same attribute access (and queries)
        as ``self.meeting.plan_id`` written out."""
        return _read_path(self, self.plan_path)

    @property
    def audit_focus_area_id(self) -> int | None:
        """The focus area's id, read along ``focus_area_path`` as ``audit_plan_id`` reads
        the plan's (a to-many hop costs a query)."""
        return _read_path(self, self.focus_area_path)

    @classmethod
    def for_plan(cls, plan: Plan | int) -> models.QuerySet[Self]:
        """This model's rows that belong to ``plan``."""
        if cls.plan_path is None:
            raise TypeError(f"{cls.__name__} belongs to no single plan")
        plan_id = plan.pk if isinstance(plan, models.Model) else plan
        return cls._default_manager.filter(**{cls.plan_path: plan_id})


def _read_path(instance: models.Model, path: str | None) -> int | None:
    """The id at the end of ``path`` ("meeting__plan", "pk"), by attribute access."""
    if path is None:
        return None
    *hops, last = path.split("__")
    owner: Any = instance
    for hop in hops:
        owner = getattr(owner, hop)
        if hasattr(owner, "all") and hasattr(owner, "model"):  # a to-many hop: the first
            owner = owner.order_by("pk").first()
        if owner is None:
            return None
    if last == "pk":
        return owner.pk  # type: ignore[no-any-return]
    return getattr(owner, owner._meta.get_field(last).attname)  # type: ignore[no-any-return]


class PlanKey(_ForeignKey):
    """The plan foreign key of ``PlanScoped``: its reverse accessor is the concrete model's
    ``plan_related_name``. In migrations it is an ordinary ForeignKey."""

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        if not cls._meta.abstract:
            related_name = getattr(cls, "plan_related_name", "")
            if not related_name:
                raise ImproperlyConfigured(f"{cls.__name__} must set plan_related_name")
            self._related_name = self.remote_field.related_name = related_name
        super().contribute_to_class(cls, name, private_only, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


class PlanScoped(Audited):
    """An audited model that belongs to one plan through its own ``plan`` key."""

    plan_path = "plan"

    plan_related_name: ClassVar[str]

    plan = PlanKey("plans.Plan", on_delete=models.CASCADE, verbose_name=_("plan"))

    class Meta:
        abstract = True

    def plan_url(self, name: str, **kwargs: object) -> str:
        """The URL ``name`` under this object's plan (``/planer/<slug>/...``)."""
        return reverse(name, kwargs={"slug": self.plan.slug, **kwargs})


def actor_key(
    verbose_name: StrOrPromise, *, on_delete: Any = models.SET_NULL
) -> models.ForeignKey[User | None, User | None]:
    """The user who did something (registered, approved, uploaded): optional, without a
    reverse accessor. ``SET_NULL`` keeps the row when the user is deleted; ``PROTECT`` keeps
    the user while the row names them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def audited_models(model_classes: Iterable[type[models.Model]]) -> list[type[Audited]]:
    return [
        model for model in model_classes if issubclass(model, Audited) and not model._meta.abstract
    ]


def register_audited(model_classes: Iterable[type[models.Model]]) -> None:
    """Register each concrete ``Audited`` model with auditlog, with its declared options."""
    from auditlog.registry import auditlog

    for model in audited_models(model_classes):
        if auditlog.contains(model):
            continue
        auditlog.register(
            model,
            m2m_fields=set(model.audit_m2m),
            exclude_fields=list(model.audit_exclude),
        )
