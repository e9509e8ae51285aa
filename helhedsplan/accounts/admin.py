"""Staff administration: users and their roles per plan."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from helhedsplan.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    filter_horizontal = ["areas"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_demo"]
    list_filter = ["is_staff", "is_demo", "memberships__role", "memberships__plan"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Demo"), {"fields": ["is_demo"]}))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "plan", "role"]
    list_filter = ["plan", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["areas"]
