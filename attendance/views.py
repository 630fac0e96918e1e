from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import ListView, TemplateView, UpdateView, View

from accounts.models import User
from accounts.roles import (
    OFFICE,
    READERS,
    RECORDERS,
    CatalogueAdminMixin,
    RoleRequiredMixin,
    coordinates,
    get_for,
    has_role,
    is_mentor,
)
from common.exceptions import NotAllowed
from common.validators import parse_id
from common.views import FormPageMixin, SavedMessageMixin
from placements.access import assignment_for, assignment_to_change, placement_for, placement_to_change
from placements.models import Assignment

from . import services
from .forms import ReopenForm, StatusForm, WorkPatternForm, entries_from_grid, entry_from_row, parse_day
from .models import AttendanceRecord, AttendanceStatus, WeekSignoff, WorkPattern, week_start
from .selectors import day_record, statuses_for, today_assignments, today_row, today_rows, week_context

# Today: one row per learner, one tap per status


class TodayView(RoleRequiredMixin, TemplateView):
    allowed_roles = RECORDERS
    template_name = "attendance/today.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        day = parse_day(self.request.GET.get("day")) or today
        rows = kwargs.get("rows") or today_rows(self.request.user, day, statuses_for(self.request.user))
        context.update(
            day=day,
            today=today,
            previous_day=day - timedelta(days=1),
            next_day=day + timedelta(days=1) if day < today else None,
            rows=rows,
            all_present_refusal=all_present_refusal({row["placement"]["pk"] for row in rows}, day),
        )
        return context


def all_present_refusal(placement_ids, day):
    """Why "everyone present" cannot work on `day`, or "": a day off in the work pattern of every placement
    (`placement_ids`) of the learners on the page."""
    if not placement_ids or services.working_placements(placement_ids, day):
        return ""
    return _(
        "%(day)s is not a working day in the work pattern: nobody is expected. A learner who worked that day is "
        "recorded alone, with the hours worked."
    ) % {"day": date_format(day, "l j F")}


class RecordDayView(RoleRequiredMixin, View):
    """One learner-day from the Today screen; answers htmx with the row, a plain form with a redirect."""

    allowed_roles = RECORDERS
    http_method_names = ["post"]

    def post(self, request, pk, day):
        day = parse_day(day)
        if day is None:
            raise Http404
        entry = entry_from_row(pk, day, request.POST)
        try:
            result = services.save_days(request.user, [entry])
        except NotAllowed as error:
            # Not one of the user's learners: a recorder writes exactly the assignments they see, so as for a
            # page of an assignment they do not see, 404.
            raise Http404 from error
        # The save read the learner, their placement and the statuses once; a tap without a status read nothing.
        assignment = result.assignments.get(pk) or assignment_to_change(request.user, pk)
        statuses = statuses_for(request.user, result.statuses.values() or None)
        row = today_row(
            statuses,
            day,
            pk=assignment.pk,
            name=assignment.participant.full_name,
            placement={"pk": assignment.placement_id, "title": assignment.placement.title},
            record=result.records[entry.key] if entry.key in result.records else day_record(assignment.pk, day),
            error=result.errors.get(entry.key),
            entry=entry,
        )
        if request.htmx:
            return render(request, "attendance/partials/today_row.html", {"row": row, "day": day})
        if result.ok:
            return HttpResponseRedirect(f"{reverse('attendance:today')}?day={day:%Y-%m-%d}#row-{assignment.pk}")
        rows = [row if r["pk"] == assignment.pk else r for r in today_rows(request.user, day, statuses)]
        view = TodayView(request=request, kwargs={})
        return render(request, TodayView.template_name, view.get_context_data(rows=rows), status=400)


class AllPresentView(RoleRequiredMixin, View):
    allowed_roles = RECORDERS
    http_method_names = ["post"]

    def post(self, request):
        day = parse_day(request.POST.get("day")) or timezone.localdate()
        assignments = list(today_assignments(request.user, day))
        refusal = all_present_refusal({a.placement_id for a in assignments}, day)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(f"{reverse('attendance:today')}?day={day:%Y-%m-%d}")
        result = services.mark_all_present(request.user, day, assignments)
        if result.ok:
            count = len(result.saved)
            messages.success(
                request,
                ngettext("%(count)d learner recorded as present.", "%(count)d learners recorded as present.", count)
                % {"count": count},
            )
        else:
            messages.error(request, " ".join(sorted(set(result.errors.values()))))
        return HttpResponseRedirect(f"{reverse('attendance:today')}?day={day:%Y-%m-%d}")


# The week grid


class WeekView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def placement_and_week(self, request, pk, day):
        # The grid reads of the flow only its own columns and its work pattern (the days, services.pattern_for).
        placement = placement_for(request.user, pk, related=("work_pattern",))
        day = parse_day(day)
        if day is None:
            raise Http404
        monday = week_start(day)
        if not week_start(placement.start_date) <= monday <= placement.end_date:
            raise Http404
        return placement, monday

    def get(self, request, pk, day):
        placement, monday = self.placement_and_week(request, pk, day)
        return render(request, "attendance/week.html", week_context(request.user, placement, monday))

    def post(self, request, pk, day):
        if not has_role(request.user, RECORDERS):
            raise PermissionDenied
        placement, monday = self.placement_and_week(request, pk, day)
        entries = [e for e in entries_from_grid(request.POST) if monday <= e.date < monday + timedelta(days=7)]
        try:
            result = services.save_days(request.user, entries)
        except NotAllowed as error:
            raise PermissionDenied from error
        template = "attendance/partials/week_grid.html" if request.htmx else "attendance/week.html"
        if result.ok:
            count = len(result.saved)
            message = (
                ngettext("Saved %(count)d day.", "Saved %(count)d days.", count) % {"count": count}
                if count
                else _("Nothing to save.")
            )
            if not request.htmx:
                messages.success(request, message)
                return HttpResponseRedirect(request.path)
            context = week_context(request.user, placement, monday)
            context["saved_message"] = message
            return render(request, template, context)
        context = week_context(request.user, placement, monday, posted=request.POST, result=result)
        return render(request, template, context, status=200 if request.htmx else 400)


class CurrentWeekView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request, pk):
        placement = placement_for(request.user, pk)
        today = placement.local_today()
        day = min(max(today, placement.start_date), placement.end_date)
        return HttpResponseRedirect(reverse("attendance:week", args=[placement.pk, f"{week_start(day):%Y-%m-%d}"]))


class SubmitWeekView(WeekView):
    allowed_roles = RECORDERS
    http_method_names = ["post"]

    def placement_and_week(self, request, pk, day):
        # Handing in a week changes the flow's sign-off: a flow of the schools where the user changes rows (roles
        # per school), or a mentor's own learners' flow.
        placement_to_change(request.user, pk)
        return super().placement_and_week(request, pk, day)

    def post(self, request, pk, day):
        placement, monday = self.placement_and_week(request, pk, day)
        if is_mentor(request.user):
            mentor = request.user
        else:  # a coordinator submits on a mentor's behalf, e.g. from a signed paper sheet
            mentor_id = request.POST.get("mentor", "")
            mentors = User.objects.filter(mentored_assignments__placement=placement).distinct()
            mentor = get_object_or_404(mentors, pk=parse_id(mentor_id) or 0)
        try:
            services.submit_week(request.user, placement, monday, mentor)
            messages.success(request, _("The week was submitted for approval."))
        except services.AttendanceError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(reverse("attendance:week", args=[placement.pk, f"{monday:%Y-%m-%d}"]))


class SignoffActionView(RoleRequiredMixin, View):
    http_method_names = ["post"]
    action = "approve"

    def post(self, request, pk):
        signoff = get_for(request.user, WeekSignoff.objects.select_related("placement"), pk=pk, write=True)
        try:
            if self.action == "approve":
                services.approve_week(request.user, signoff)
                messages.success(request, _("The week was approved and is now locked."))
            else:
                form = ReopenForm(request.POST)
                services.reopen_week(request.user, signoff, form.data.get("reason", ""))
                messages.success(request, _("The week was reopened."))
        except services.AttendanceError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(
            reverse("attendance:week", args=[signoff.placement_id, f"{signoff.week_start:%Y-%m-%d}"])
        )


# Summaries


class PlacementSummaryView(RoleRequiredMixin, TemplateView):
    allowed_roles = READERS
    template_name = "attendance/placement_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        placement = placement_for(user, kwargs["pk"], members=True)
        assignments = list(
            Assignment.objects.visible_to(user)
            .filter(placement=placement)
            .select_related("participant", "mentor")
            .order_by("participant__name_key")
        )
        records = AttendanceRecord.objects.filter(assignment__in=assignments).select_related("status")
        summaries = services.summarise(placement, assignments, records, placement.project.required_attendance_rate)
        signoffs = {(s.mentor_id, s.week_start): s for s in WeekSignoff.objects.filter(placement=placement)}
        mentors = sorted({a.mentor for a in assignments if a.mentor}, key=str)
        today = placement.local_today()
        weeks = [
            {
                "monday": monday,
                "started": monday <= today,
                "states": [(mentor, signoffs.get((mentor.pk, monday))) for mentor in mentors],
            }
            for monday in services.placement_weeks(placement)
        ]
        context.update(
            placement=placement, summaries=summaries, weeks=weeks, required=placement.project.required_attendance_rate
        )
        # The flow's work pattern is offered to its school's coordinator (roles per school).
        context["is_coordinator"] = coordinates(user, placement)
        return context


class LearnerAttendanceView(RoleRequiredMixin, TemplateView):
    allowed_roles = READERS
    template_name = "attendance/learner.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = assignment_for(self.request.user, kwargs["pk"])
        placement = assignment.placement
        records = list(assignment.attendance.select_related("status", "recorded_by"))
        by_date = {r.date: r for r in records}
        days = [
            (d, by_date.get(d.date)) for d in services.placement_days(placement) if d.hours > 0 or d.date in by_date
        ]
        required = placement.project.required_attendance_rate
        summary = services.summarise(placement, [assignment], records, required)[0]
        changes = (
            AttendanceRecord.history.filter(assignment_id=assignment.pk)
            .select_related("status", "history_user")
            .order_by("-history_date")[:30]
        )
        context.update(
            assignment=assignment,
            placement=placement,
            days=days,
            summary=summary,
            today=placement.local_today(),
            changes=changes,
        )
        return context


# Coordinator settings: statuses and work patterns


class StatusListView(RoleRequiredMixin, ListView):
    allowed_roles = OFFICE
    template_name = "attendance/status_list.html"
    context_object_name = "statuses"
    queryset = AttendanceStatus.objects.all()


class StatusUpdateView(CatalogueAdminMixin, FormPageMixin, SavedMessageMixin, UpdateView):
    list_crumb = ("attendance:status_list", gettext_lazy("Attendance statuses"))
    model = AttendanceStatus
    form_class = StatusForm
    template_name = "placements/object_form.html"
    success_url = reverse_lazy("attendance:status_list")


class WorkPatternView(RoleRequiredMixin, UpdateView):
    form_class = WorkPatternForm
    template_name = "attendance/work_pattern.html"

    def get_object(self, queryset=None):
        placement = placement_to_change(self.request.user, self.kwargs["pk"])
        return WorkPattern.objects.filter(placement=placement).first() or WorkPattern(placement=placement)

    def get_success_url(self):
        messages.success(self.request, _("The work pattern was saved."))
        return reverse("attendance:placement", args=[self.object.placement_id])
