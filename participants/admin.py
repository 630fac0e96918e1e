from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Barrier, Participant


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "qualification", "project", "archived_at"]
    list_filter = ["project", "qualification", "gender"]
    search_fields = ["name_key"]
    list_select_related = ["qualification", "project"]
    filter_horizontal = ["barriers"]


@admin.register(Barrier)
class BarrierAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
