from django.contrib import admin

from .models import AssessmentRound, Outcome, OutcomeRating, RoundReopening, ScaleLevel, Unit


@admin.register(ScaleLevel)
class ScaleLevelAdmin(admin.ModelAdmin):
    list_display = ["label", "points", "code", "position"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["title", "qualification", "position"]
    list_filter = ["qualification"]
    list_select_related = ["qualification"]
    inlines = [OutcomeInline]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "unit", "position"]
    list_filter = ["kind", "unit__qualification"]
    list_select_related = ["unit"]
    search_fields = ["text"]


class OutcomeRatingInline(admin.TabularInline):
    model = OutcomeRating
    extra = 0
    raw_id_fields = ["outcome"]


class RoundReopeningInline(admin.TabularInline):
    model = RoundReopening
    extra = 0
    readonly_fields = ["reopened_by", "reopened_at", "reason"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["assignment", "kind", "status", "rated_by", "rated_at", "submitted_at"]
    list_filter = ["kind", "status", "assignment__placement"]
    list_select_related = ["assignment__participant", "assignment__placement", "rated_by"]
    raw_id_fields = ["assignment", "rated_by", "submitted_by"]
    inlines = [OutcomeRatingInline, RoundReopeningInline]


@admin.register(RoundReopening)
class RoundReopeningAdmin(admin.ModelAdmin):
    list_display = ["round", "reopened_by", "reopened_at"]
    list_select_related = ["round__assignment__participant", "reopened_by"]
