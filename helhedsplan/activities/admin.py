"""Staff administration of the activities themselves (areas, partners, responsibility).

The day-to-day work (activity plan, registrations, delivery, evaluations) has its own pages
for the plan's roles; changing what an activity *is* follows a change of the sub-agreement
and is rare, so staff do it here (every change is audited like any other).
"""

from django.contrib import admin

from helhedsplan.activities.models import Activity, ActivityArea, DeliverySettings, Partner


class ActivityAreaInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ActivityArea
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    inlines = [ActivityAreaInline]
    list_display = ["name", "plan", "focus_area", "responsible", "unit"]
    list_filter = ["plan", "focus_area__code", "responsible"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["partners", "success_criteria"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "plan", "kind"]
    list_filter = ["plan", "kind"]


admin.site.register(DeliverySettings)
