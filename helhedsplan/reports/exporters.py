"""Exporters: every file the product hands out, declared once, in one registry.

An exporter (after pretix's ``base/exporter.py``) declares what it is: an ``identifier``
(its name in the URL ``/planer/<slug>/eksport/<identifier>.<format>``), a Danish ``title``,
the ``permission`` to run it (a key of ``accounts.access.PERMISSIONS``), its ``audience``
(``INTERNAL``, or ``LEAVES`` the secretariat) and its ``formats``. It reads its parameters
from the query string in ``resolve`` (404 when they name nothing in the plan) and returns a
``Document`` (blocks) or ``Rows`` (sheets) from ``output``, which the one renderer per format
draws; ``svg`` and ``png`` draw a Document's picture, ``zip`` is an ``Archive`` it built.
Output that leaves passes ``suppression.prepare_for_release`` first.

An exporter may satisfy a required agreement attachment (``attachment_kind``: the
attachments checklist and the LBF package find it here) and may be part of the LBF package
(``in_lbf_package``). Exporters live in each app's ``exports.py``,
imported by ``ReportsConfig.ready``; adding one is a class with ``@register``::

    @register
    class FundingExporter(Exporter):
        identifier, title, permission = "finansiering", _lazy("Finansiering"), "plan.view"
        audience, formats = LEAVES, ("xlsx", "csv", "pdf")

        def output(self) -> Rows: ...  # read self.params in resolve(), 404 if not found
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from helhedsplan.reports import render, suppression
from helhedsplan.reports.document import Document, Image
from helhedsplan.reports.http import CONTENT_TYPES
from helhedsplan.reports.rows import Rows

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise

    from helhedsplan.accounts.access import PlanAccess
    from helhedsplan.plans.models import Plan


class Audience(StrEnum):
    INTERNAL = "internal"  # work material of the secretariat and the plan's partners
    LEAVES = "leaves"  # sent out of the secretariat: to LBF, the public, an auditor's file


INTERNAL, LEAVES = Audience.INTERNAL, Audience.LEAVES
FORMATS = tuple(CONTENT_TYPES)


@dataclass(frozen=True)
class Archive:
    """A file the exporter assembled itself (the LBF package's ZIP) from rendered files."""

    data: bytes
    files: int = 0


Output = Document | Rows | Archive


@dataclass(frozen=True)
class GeneratedFile:
    """One file an exporter can make for the plan now: for the checklist and the package."""

    exporter: str
    format: str
    params: Mapping[str, str]
    filename: str
    build: Callable[[], bytes]
    description: str
    version: str = ""
    what: str = ""  # the LBF package manifest's "Hvad"
    dated: str = ""  # and its "Dato"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def query(self) -> str:
        """The query string of its download (with the "?"), or ""."""
        return "?" + urlencode(self.params) if self.params else ""


@dataclass(frozen=True)
class MissingFile:
    """What the LBF package should hold and does not: a manifest row of its own."""

    what: str
    remark: str


class Exporter:
    identifier: ClassVar[str]
    title: ClassVar[StrOrPromise]
    permission: ClassVar[str]
    audience: ClassVar[Audience]
    formats: ClassVar[tuple[str, ...]]
    # The audit event a download writes; "{format}" in it is the format downloaded.
    event: ClassVar[str] = "export.downloaded"
    # The required agreement attachment (agreements.models.AttachmentKind) it makes, if any.
    attachment_kind: ClassVar[str] = ""
    # Its files go into the LBF package: in a folder of their own (``package_files``: the
    # agreement, the sub-agreements) or, with an ``attachment_kind``, under the attachments.
    in_lbf_package: ClassVar[bool] = False
    # Its files may be cached by the download view under the plan's data version: true
    # only when the output depends on nothing but the plan's data, the installation's, the
    # parameters, the audience, today and the language (the agreement's documents): never
    # on the audit trail, which a download (every download is audited) adds to without
    # raising the data version the file is keyed by.
    cached: ClassVar[bool] = False

    def __init__(
        self,
        plan: Plan,
        params: Mapping[str, str] | None = None,
        *,
        today: date | None = None,
        resolved: Mapping[str, Any] | None = None,
    ) -> None:
        """``resolved``: the objects ``resolve`` would look up, where the caller has them
        already (the checklist, the package), so that no page asks the database twice."""
        self.plan = plan
        self.params: Mapping[str, str] = params or {}
        self.today = today or timezone.localdate()
        self._prepared: Document | Rows | Archive | None = None
        # Whom this download is for: the exporter's audience unless the download view set it
        # from ``audience_for`` (before anything was rendered).
        self.audience_in_use: Audience = self.audience
        if resolved is None:
            self.resolve()
        else:
            self.__dict__.update(resolved)

    # --- what a subclass writes ---

    def resolve(self) -> None:
        """Look up what the parameters name in the plan; ``Http404`` if it is not there."""

    def allowed(self, access: PlanAccess) -> bool:
        """Whether this user may have this object (beyond ``permission``)."""
        return True

    def audience_for(self, access: PlanAccess) -> Audience:
        """The audience of this download for this user. Default: the exporter's own. An
        exporter read both inside and outside (the status report) answers ``LEAVES`` for a
        user who reads released copies (``PlanAccess.reads_released_copies``) or when its
        parameters ask for the external copy; the download view then sets ``audience_in_use``."""
        return self.audience

    def output(self) -> Document | Rows | Archive:
        raise NotImplementedError

    def filename(self, fmt: str) -> str:
        return f"{self.identifier}-{self.plan.slug}.{fmt}"

    def audit_instance(self) -> Model:
        return self.plan

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {"exporter": self.identifier, "format": fmt}

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[GeneratedFile] | None:
        """For an attachment exporter: its files for the plan now, or None when the data it
        needs is not there (the attachment is then missing unless uploaded)."""
        return None

    @classmethod
    def package_files(cls, plan: Plan, today: date) -> list[GeneratedFile | MissingFile]:
        """For an exporter ``in_lbf_package``: its files, with their paths in the ZIP as
        ``filename``, and a MissingFile for each that should be there and is not."""
        return []

    # --- the same for every exporter ---

    def audit_event(self, fmt: str) -> str:
        return self.event.format(format=fmt)

    def render(self, fmt: str) -> bytes:
        """The output in ``fmt``; output that leaves passes the suppression hook first.

        Made once per exporter and drawn in as many formats as asked.
        """
        if self._prepared is None:
            output = self.output()
            if self.audience_in_use == LEAVES:
                output = suppression.prepare_for_release(output, self)
            self._prepared = output
        return render_output(self._prepared, fmt)

    def as_file(self, fmt: str, **extra: str) -> GeneratedFile:
        """This export in ``fmt`` as a file of the checklist or the package, built when asked.

        ``extra``: ``filename`` (the path in the package; else ``filename(fmt)``),
        ``description``, ``version``, ``what``, ``dated``.
        """
        return GeneratedFile(
            exporter=self.identifier,
            format=fmt,
            params=dict(self.params),
            filename=extra.pop("filename", "") or self.filename(fmt),
            build=partial(self.render, fmt),
            description=extra.pop("description", "") or str(self.title),
            **extra,
        )

    # --- parameters ---

    def param(self, name: str) -> str:
        value = self.params.get(name, "")
        if not value:
            raise Http404(f"{name} mangler")
        return value

    def int_param(self, name: str) -> int:
        try:
            return int(self.param(name))
        except ValueError:
            raise Http404(f"{name} er ikke et tal") from None

    def date_param(self, name: str) -> date:
        """A date (ISO), today when absent or unreadable (as the pages read ``dato``)."""
        try:
            return date.fromisoformat(self.params.get(name, ""))
        except ValueError:
            return self.today


def render_output(output: Output, fmt: str) -> bytes:
    """The one dispatch to the renderers (looked up when called, so a test may replace one)."""
    if isinstance(output, Archive):
        if fmt != "zip":
            raise ValueError(fmt)
        return output.data
    if fmt in ("svg", "png"):
        svg = _picture(output)
        if fmt == "svg":
            return svg.encode()
        from helhedsplan import charts

        return charts.svg_to_png(svg)
    renderer: Callable[[Document | Rows], bytes] = getattr(render, f"render_{fmt}")
    return renderer(output)


def _picture(output: Document | Rows) -> str:
    images = (
        [b for b in output.blocks if isinstance(b, Image)] if isinstance(output, Document) else []
    )
    if len(images) != 1:
        raise ValueError("svg and png need a document with one picture")
    return images[0].svg


E = TypeVar("E", bound=type[Exporter])


@dataclass
class Registry:
    _exporters: dict[str, type[Exporter]] = field(default_factory=dict)

    def register(self, exporter: E) -> E:
        identifier = exporter.identifier
        if identifier in self._exporters and self._exporters[identifier] is not exporter:
            raise ValueError(f"Two exporters named {identifier!r}")
        unknown = set(exporter.formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"{identifier}: unknown formats {sorted(unknown)}")
        from helhedsplan.accounts.access import PERMISSIONS

        if exporter.permission not in PERMISSIONS:
            raise KeyError(f"{identifier}: unknown permission {exporter.permission!r}")
        self._exporters[identifier] = exporter
        return exporter

    def get(self, identifier: str) -> type[Exporter] | None:
        return self._exporters.get(identifier)

    def all(self) -> list[type[Exporter]]:
        """In the order they were registered (INSTALLED_APPS, then the order in a module)."""
        return list(self._exporters.values())

    def for_attachment(self, kind: str) -> list[type[Exporter]]:
        return [e for e in self._exporters.values() if e.attachment_kind == kind]

    def in_lbf_package(self) -> Iterator[type[Exporter]]:
        return (e for e in self._exporters.values() if e.in_lbf_package)

    def in_package(self, identifier: str) -> bool:
        exporter = self.get(identifier)
        return exporter is not None and exporter.in_lbf_package


registry = Registry()
register = registry.register


def export_url(plan: Plan, identifier: str, fmt: str, **params: Any) -> str:
    url = reverse("reports:export", kwargs={"slug": plan.slug, "exporter": identifier, "fmt": fmt})
    return url + ("?" + urlencode(params) if params else "")
