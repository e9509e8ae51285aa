"""The trail in /admin/: auditlog's admin, reading entries through ``audit.display``.

auditlog's own rendering assumes every entry is a ``{field: [old, new]}`` diff and fails on
business events (``{"size": 1234}``); here both kinds read as they do on the trail pages.
"""

from __future__ import annotations

from auditlog.admin import LogEntryAdmin
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from helhedsplan.audit.models import AuditEntry


class AuditEntryAdmin(LogEntryAdmin):
    @admin.display(description=AuditEntry._meta.get_field("changes").verbose_name)
    def msg_short(self, obj: AuditEntry) -> str:
        if obj.is_event:
            return obj.event_label
        return ", ".join(row.field for row in obj.field_rows)[:100]

    @admin.display(description=AuditEntry._meta.get_field("changes").verbose_name)
    def msg(self, obj: AuditEntry) -> SafeString:
        if obj.is_event:
            rows = format_html_join(
                "", "<tr><th>{}</th><td>{}</td></tr>", ((k, v) for k, v in obj.event_rows)
            )
            return format_html("<p>{}</p><table>{}</table>", obj.event_label, rows)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((row.field, row.old or "", row.new) for row in obj.field_rows),
        )
        return format_html("<table>{}</table>", rows)


if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)
admin.site.register(AuditEntry, AuditEntryAdmin)
