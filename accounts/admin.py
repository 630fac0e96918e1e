from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, SecurityEvent, User


class MembershipInline(admin.TabularInline):
    """The schools a user belongs to, with a role in each: what they may see (accounts.roles.scoped)."""

    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    list_select_related = ["organisation"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role in the project"), {"fields": ("role", "organisation", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Role in the project"), {"fields": ("role", "organisation")}),)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "actor"]
    list_filter = ["action"]
    search_fields = ["username"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
