from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Organisation

from .models import Assignment, ContactPerson, Placement, Project, Qualification


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "oid"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "city", "oid"]
    # The admin is the IT person's (superusers see every school): here they put an organisation in a school's
    # address book, e.g. one a superuser of no school created.
    filter_horizontal = ["schools"]
    inlines = [ContactInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "reference", "start_date", "end_date"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "eqf_level"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "qualification", "city", "country", "start_date", "end_date", "status"]
    list_filter = ["status", "project", "qualification"]
    list_select_related = ["project", "qualification"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "placement", "host_company", "mentor", "status"]
    list_filter = ["status", "placement"]
    list_select_related = ["participant", "placement", "host_company", "mentor"]
    raw_id_fields = ["participant"]


admin.site.register(ContactPerson)
