from django.contrib import admin

from .models import LearnerFile, PersonalDataLog


@admin.register(PersonalDataLog)
class PersonalDataLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, for the data-protection officer to read."""

    list_display = ["at", "user", "participant", "action", "detail"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LearnerFile)
class LearnerFileAdmin(admin.ModelAdmin):
    """Listed for the IT person; the files themselves open only through the app's permission-checked view."""

    list_display = ["participant", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = [
        "participant",
        "kind",
        "description",
        "path",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
    ]

    def has_add_permission(self, request):
        return False
