"""Before departure: each flow's readiness (go / not yet per learner), a learner's checklist with the parental
consent, the preparation sessions and their attendance, and the flow's insurance policies. The office reads;
coordinators write; the support-plan item shows to coordinators only."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, can_see_restricted_data, get_for, has_role
from attendance.models import AttendanceStatus
from common.validators import parse_id
from placements.models import Assignment, Placement

from . import selectors, services
from .forms import ConsentUploadForm, PlanForm, PolicyFormSet, SessionForm
from .models import PreparationPlan, PreparationSession, SessionAttendance


def get_placement_for(user, pk):
    return get_for(user, Placement.objects.select_related("project"), pk=pk)


def get_assignment_for(user, pk):
    return get_for(user, Assignment.objects.select_related("participant", "placement", "readiness"), pk=pk)


def get_session_for(user, pk):
    return get_for(user, PreparationSession.objects.select_related("placement"), pk=pk)


class OverviewView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request):
        flows = []
        for placement in Placement.objects.select_related("project").order_by("start_date", "pk"):
            rows = selectors.flow_readiness(placement)
            flows.append({"placement": placement, "ready": sum(1 for r in rows if r.go), "learners": len(rows)})
        return render(request, "preparation/overview.html", {"flows": flows})


class FlowView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        placement = get_placement_for(request.user, pk)
        restricted = can_see_restricted_data(request.user)
        rows = selectors.flow_readiness(placement)
        labels = [label for code, label in selectors.ITEMS if restricted or code not in selectors.RESTRICTED_ITEMS]
        context = {
            "placement": placement,
            "rows": [(row, row.visible_items(restricted)) for row in rows],
            "labels": labels,
            "ready": sum(1 for row in rows if row.go),
            "sessions": list(placement.preparation_sessions.all()),
            "policies": list(placement.insurance_policies.all()),
            "plan": PreparationPlan.objects.filter(placement=placement).first(),
        }
        return render(request, "preparation/flow.html", context)


class LearnerView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def page(self, request, assignment, form):
        restricted = can_see_restricted_data(request.user)
        row = selectors.learner_readiness(assignment)
        attendance = SessionAttendance.objects.filter(assignment=assignment).select_related("session", "status")
        context = {
            "assignment": assignment,
            "participant": assignment.participant,
            "row": row,
            "items": row.visible_items(restricted),
            "restricted": restricted,
            "attendance": list(attendance.order_by("session__starts_at")),
            "form": form,
        }
        return render(request, "preparation/learner.html", context)

    def get(self, request, pk):
        return self.page(request, get_assignment_for(request.user, pk), ConsentUploadForm())


class ConsentUploadView(LearnerView):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_assignment_for(request.user, pk)
        form = ConsentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_parental_consent(
                    assignment_id=assignment.pk,
                    upload=form.cleaned_data["file"],
                    signed_on=form.cleaned_data["signed_on"],
                    user=request.user,
                )
            except services.PreparationRefused as refused:
                form.add_error("file", str(refused))
            else:
                messages.success(request, _("The signed parental consent is kept."))
                return HttpResponseRedirect(reverse("preparation:learner", args=[assignment.pk]))
        return self.page(request, assignment, form)


class SupportPlanView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_assignment_for(request.user, pk)
        services.set_support_plan(assignment_id=assignment.pk, ready=request.POST.get("ready") == "1")
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(reverse("preparation:learner", args=[assignment.pk]))


class PlanView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def page(self, request, placement, form):
        return render(request, "preparation/plan_form.html", {"placement": placement, "form": form})

    def get(self, request, pk):
        placement = get_placement_for(request.user, pk)
        plan = PreparationPlan.objects.filter(placement=placement).first() or PreparationPlan(placement=placement)
        return self.page(request, placement, PlanForm(instance=plan))

    def post(self, request, pk):
        placement = get_placement_for(request.user, pk)
        plan = PreparationPlan.objects.filter(placement=placement).first() or PreparationPlan(placement=placement)
        form = PlanForm(request.POST, instance=plan)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("preparation:flow", args=[placement.pk]))
        return self.page(request, placement, form)


class InsuranceView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def page(self, request, placement, formset):
        return render(request, "preparation/insurance.html", {"placement": placement, "formset": formset})

    def get(self, request, pk):
        placement = get_placement_for(request.user, pk)
        return self.page(request, placement, PolicyFormSet(instance=placement))

    def post(self, request, pk):
        placement = get_placement_for(request.user, pk)
        formset = PolicyFormSet(request.POST, instance=placement)
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("preparation:flow", args=[placement.pk]))
        return self.page(request, placement, formset)


class SessionCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def page(self, request, placement, form):
        return render(request, "preparation/session_form.html", {"placement": placement, "form": form})

    def get(self, request, pk):
        return self.page(request, get_placement_for(request.user, pk), SessionForm())

    def post(self, request, pk):
        placement = get_placement_for(request.user, pk)
        form = SessionForm(request.POST, instance=PreparationSession(placement=placement))
        if form.is_valid():
            session = form.save()
            messages.success(request, _("“%(object)s” was saved.") % {"object": session})
            return HttpResponseRedirect(session.get_absolute_url())
        return self.page(request, placement, form)


class SessionEditView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def page(self, request, session, form):
        return render(
            request, "preparation/session_form.html", {"placement": session.placement, "form": form, "session": session}
        )

    def get(self, request, pk):
        session = get_session_for(request.user, pk)
        return self.page(request, session, SessionForm(instance=session))

    def post(self, request, pk):
        session = get_session_for(request.user, pk)
        form = SessionForm(request.POST, instance=session)
        if form.is_valid():
            form.save()
            messages.success(request, _("“%(object)s” was saved.") % {"object": session})
            return HttpResponseRedirect(session.get_absolute_url())
        return self.page(request, session, form)


class SessionView(RoleRequiredMixin, View):
    """A session and its attendance: the office reads it; a coordinator records it, every learner at once."""

    allowed_roles = OFFICE

    def page(self, request, session, errors=None, posted=None):
        recorded = {a.assignment_id: a for a in session.attendance.select_related("status")}
        learners = list(
            Assignment.objects.active()
            .filter(placement=session.placement)
            .select_related("participant")
            .order_by("participant__name_key")
        )
        lines = []
        for assignment in learners:
            record = recorded.get(assignment.pk)
            posted_line = (posted or {}).get(assignment.pk, {})
            lines.append(
                {
                    "assignment": assignment,
                    "record": record,
                    "status_id": posted_line.get("status_id", record.status_id if record else None),
                    "reason": posted_line.get("reason", record.reason if record else ""),
                    "hours": posted_line.get("hours", ""),
                    "error": (errors or {}).get(assignment.pk),
                }
            )
        context = {
            "session": session,
            "placement": session.placement,
            "lines": lines,
            "statuses": list(AttendanceStatus.objects.filter(not_a_working_day=False)),
            "can_write": has_role(request.user, WRITERS),
            "errors": errors,
        }
        return render(request, "preparation/session.html", context, status=400 if errors else 200)

    def get(self, request, pk):
        return self.page(request, get_session_for(request.user, pk))

    def post(self, request, pk):
        if not has_role(request.user, WRITERS):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        session = get_session_for(request.user, pk)
        entries, posted = [], {}
        for key in request.POST:
            if not key.startswith("status-"):
                continue
            assignment_id = parse_id(key.removeprefix("status-"))
            if assignment_id is None:
                continue
            line = {
                "status_id": parse_id(request.POST.get(key, "")),
                "reason": request.POST.get(f"reason-{assignment_id}", "")[:300],
                "hours": request.POST.get(f"hours-{assignment_id}", "")[:10],
            }
            posted[assignment_id] = line
            entries.append(services.SessionEntry(assignment_id, line["status_id"], line["reason"], line["hours"]))
        try:
            saved = services.record_session_attendance(
                session_id=session.pk, entries=entries, recorded_by_id=request.user.pk
            )
        except services.AttendanceErrors as failed:
            return self.page(request, session, errors=failed.errors, posted=posted)
        except services.PreparationRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Attendance saved for %(count)s learners.") % {"count": saved})
        return HttpResponseRedirect(session.get_absolute_url())
