from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AttendanceRecord, AttendanceStatus, WeekSignoff, WorkPattern


@admin.register(AttendanceStatus)
class AttendanceStatusAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "is_excused", "counts_hours", "mentor_may_use", "needs_reason", "position"]


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "date", "status", "hours", "recorded_by", "recorded_at"]
    list_filter = ["status", "assignment__placement"]
    list_select_related = ["assignment__participant", "assignment__placement", "status", "recorded_by"]
    raw_id_fields = ["assignment"]


@admin.register(WeekSignoff)
class WeekSignoffAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "mentor", "week_start", "state"]
    list_filter = ["state", "placement"]


admin.site.register(WorkPattern)
