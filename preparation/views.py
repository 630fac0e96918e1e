"""Before departure: each flow's readiness (go / not yet per learner), a learner's checklist with the parental
consent, the preparation sessions and their attendance, and the flow's insurance policies. The office reads;
coordinators write; the support-plan item shows to coordinators only."""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, coordinates, get_for, has_role, sees_restricted_of
from attendance.models import AttendanceStatus
from common.tokens import hash_token
from common.validators import parse_id
from common.views import InlineFormSetView
from placements.access import assignment_for, assignment_to_change, placement_for, placement_to_change, placements_for
from placements.models import Assignment

from . import selectors, services
from .access import incident_to_change, session_for, session_to_change
from .forms import (
    AccommodationFormSet,
    ConsentUploadForm,
    IncidentForm,
    LegFormSet,
    PolicyFormSet,
    RoomFormSet,
    SessionForm,
    SharedNotesForm,
    TripPlanForm,
    WithdrawForm,
)
from .models import Accommodation, Incident, PreparationPlan, PreparationSession, SessionAttendance, TripLink


class OverviewView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request):
        flows = []
        for placement in placements_for(request.user).select_related("project").order_by("start_date", "pk"):
            rows = selectors.flow_readiness(placement)
            flows.append({"placement": placement, "ready": sum(1 for r in rows if r.go), "learners": len(rows)})
        return render(request, "preparation/overview.html", {"flows": flows})


# Where each readiness item is filled in: the learner's form's field, or a page of the flow or the learner.
PARTICIPANT_FIELDS = {
    "id_document": "id_id_document_number",
    "ehic": "id_health_insurance_number",
    "emergency_contact": "id_emergency_contact_name",
}


def fix_url(row, code, back):
    """The page (and field) that fills the missing item `code` of a learner's readiness, returning to `back`."""
    assignment = row.assignment
    query = "?" + urlencode({"next": back})
    edit = reverse("participants:edit", args=[assignment.participant_id]) + query
    if code in PARTICIPANT_FIELDS:
        return f"{edit}#{PARTICIPANT_FIELDS[code]}"
    if code == "consent":
        if not assignment.participant.processing_consent_in_force:
            return f"{edit}#id_consent_data_processing_on"
        return reverse("preparation:learner", args=[assignment.pk]) + "#consent-title"
    if code == "insurance":
        return reverse("preparation:insurance", args=[assignment.placement_id])
    if code == "support_plan":
        return reverse("preparation:learner", args=[assignment.pk])
    return "#sessions-title"


def with_fixes(row, items, back):
    return [(code, label, ok, fix_url(row, code, back) if ok is False and back else None) for code, label, ok in items]


class FlowView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        placement = placement_for(request.user, pk)
        restricted = sees_restricted_of(request.user, placement)  # by the role in the flow's school
        rows = selectors.flow_readiness(placement)
        labels = [label for code, label in selectors.ITEMS if restricted or code not in selectors.RESTRICTED_ITEMS]
        back = request.get_full_path()
        writer = restricted  # a coordinator at the flow's school; staff read the page and change nothing: no form link
        context = {
            "placement": placement,
            "rows": [(row, with_fixes(row, row.visible_items(restricted), back if writer else None)) for row in rows],
            "labels": labels,
            "ready": sum(1 for row in rows if row.go),
            "sessions": list(placement.preparation_sessions.all()),
            "policies": list(placement.insurance_policies.all()),
            "plan": PreparationPlan.objects.filter(placement=placement).first(),
            "is_coordinator": writer,  # its changes are offered to the flow's school's coordinator only
        }
        return render(request, "preparation/flow.html", context)


class LearnerView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def page(self, request, assignment, form):
        restricted = sees_restricted_of(request.user, assignment)  # by the role in the learner's school
        row = selectors.learner_readiness(assignment)
        attendance = SessionAttendance.objects.filter(assignment=assignment).select_related("session", "status")
        context = {
            "assignment": assignment,
            "participant": assignment.participant,
            "row": row,
            "items": row.visible_items(restricted),
            "restricted": restricted,
            "is_coordinator": restricted,  # the same rule: its changes only where they would open
            "attendance": list(attendance.order_by("session__starts_at")),
            "form": form,
            "notes_form": SharedNotesForm(
                initial={"shared_with_teachers": getattr(row.readiness, "shared_with_teachers", "")}
            ),
        }
        return render(request, "preparation/learner.html", context)

    def get(self, request, pk):
        return self.page(request, assignment_for(request.user, pk), ConsentUploadForm())


class ConsentUploadView(LearnerView):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
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
        assignment = assignment_to_change(request.user, pk)
        services.set_support_plan(assignment_id=assignment.pk, ready=request.POST.get("ready") == "1")
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(reverse("preparation:learner", args=[assignment.pk]))


class PlanView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def page(self, request, placement, form):
        return render(request, "preparation/plan_form.html", {"placement": placement, "form": form})

    def get(self, request, pk):
        placement = placement_to_change(request.user, pk)
        plan = PreparationPlan.objects.filter(placement=placement).first() or PreparationPlan(placement=placement)
        return self.page(request, placement, TripPlanForm(instance=plan))

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        plan = PreparationPlan.objects.filter(placement=placement).first() or PreparationPlan(placement=placement)
        form = TripPlanForm(request.POST, instance=plan)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("preparation:flow", args=[placement.pk]))
        return self.page(request, placement, form)


class InsuranceView(RoleRequiredMixin, InlineFormSetView):
    """A flow's travel and accident insurance policies, edited as one form (common.views.InlineFormSetView)."""

    allowed_roles = WRITERS
    formset_class = PolicyFormSet
    title = gettext_lazy("Insurance policies")
    template_name = "preparation/insurance.html"

    def get_owner(self, request, pk):
        return placement_to_change(request.user, pk)

    def get_context(self, owner):
        return {"placement": owner}

    def success_url(self, owner):
        return reverse("preparation:flow", args=[owner.pk])


class SessionCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def page(self, request, placement, form):
        return render(request, "preparation/session_form.html", {"placement": placement, "form": form})

    def get(self, request, pk):
        return self.page(request, placement_to_change(request.user, pk), SessionForm())

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
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
        session = session_to_change(request.user, pk)
        return self.page(request, session, SessionForm(instance=session))

    def post(self, request, pk):
        session = session_to_change(request.user, pk)
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
        statuses = list(AttendanceStatus.objects.filter(not_a_working_day=False))
        # "Everyone present" fills the form only: the coordinator changes the few who were not, then saves.
        preset = next((s.pk for s in statuses if s.code == "present"), None) if request.GET.get("all") else None
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
                    "status_id": posted_line.get("status_id", record.status_id if record else preset),
                    "reason": posted_line.get("reason", record.reason if record else ""),
                    "hours": posted_line.get("hours", ""),
                    "error": (errors or {}).get(assignment.pk),
                }
            )
        context = {
            "session": session,
            "placement": session.placement,
            "lines": lines,
            "statuses": statuses,
            "can_write": coordinates(request.user, session.placement),  # the flow's school's coordinator
            "preset": preset,
            "unrecorded": sum(1 for line in lines if not line["record"]),
            "errors": errors,
        }
        return render(request, "preparation/session.html", context, status=400 if errors else 200)

    def get(self, request, pk):
        return self.page(request, session_for(request.user, pk))

    def post(self, request, pk):
        if not has_role(request.user, WRITERS):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        session = session_to_change(request.user, pk)  # of the schools where the user is coordinator
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


class SharedNotesView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        form = SharedNotesForm(request.POST)
        if form.is_valid():
            readiness = services.readiness_for(assignment.pk)
            readiness.shared_with_teachers = form.cleaned_data["shared_with_teachers"].strip()
            readiness.save(update_fields=["shared_with_teachers"])
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("The notes are too long. Nothing was saved."))
        return HttpResponseRedirect(reverse("preparation:learner", args=[assignment.pk]))


# Travel, accommodation, My trip


class TravelView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        placement = placement_for(request.user, pk)
        context = {
            "placement": placement,
            "legs": list(placement.travel_legs.prefetch_related("travellers__participant", "accompanying")),
            "accommodations": list(
                placement.accommodations.prefetch_related("rooms__occupants__participant").order_by("name")
            ),
            "plan": PreparationPlan.objects.filter(placement=placement).first(),
            "is_coordinator": coordinates(request.user, placement),  # roles per school
        }
        return render(request, "preparation/travel.html", context)


class PlacementFormSetView(RoleRequiredMixin, InlineFormSetView):
    allowed_roles = WRITERS
    template_name = "preparation/formset.html"
    wide_fields = ("travellers", "occupants", "accompanying")

    def get_owner(self, request, pk):
        return placement_to_change(request.user, pk)

    def placement_of(self, owner):
        return owner

    def get_context(self, owner):
        return {"placement": self.placement_of(owner)}

    def success_url(self, owner):
        return reverse("preparation:travel", args=[self.placement_of(owner).pk])


class LegsView(PlacementFormSetView):
    formset_class = LegFormSet
    title = gettext_lazy("Travel legs")


class AccommodationView(PlacementFormSetView):
    formset_class = AccommodationFormSet
    title = gettext_lazy("Accommodation")


class RoomsView(PlacementFormSetView):
    formset_class = RoomFormSet
    title = gettext_lazy("Rooms")

    def get_owner(self, request, pk):
        return get_for(request.user, Accommodation.objects.select_related("placement"), pk=pk, write=True)

    def placement_of(self, owner):
        return owner.placement


class LinksView(RoleRequiredMixin, View):
    """The learners' personal "My trip" links: made, shown, revoked here. Coordinators only: a link opens a
    learner's trip without an account."""

    allowed_roles = WRITERS

    def get(self, request, pk):
        return links_page(request, placement_to_change(request.user, pk))


def links_page(request, placement, made=None):
    """The placement's learners with whether each has a working link. A link's address is shown only in the
    answer that made it (`made`): the database keeps the hash of its token, not the token."""
    links = {link.assignment_id: link for link in TripLink.objects.active().filter(assignment__placement=placement)}
    assignments = list(placement.assignments.active().select_related("participant").order_by("participant__name_key"))
    rows = [(a, links.get(a.pk)) for a in assignments]
    context = {"placement": placement, "rows": rows, "made": made}
    if made is not None:
        context["made_url"] = request.build_absolute_uri(made.get_absolute_url())
    response = render(request, "preparation/links.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


class LinksForFlowView(RoleRequiredMixin, View):
    """Links for every learner of the flow without one, shown at once on a sheet to print or copy from: the
    page is the response of the POST, never stored or shown again."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        made = services.create_trip_links_for_flow(placement_id=placement.pk, created_by_id=request.user.pk)
        rows = []
        for link in made:
            url = request.build_absolute_uri(link.get_absolute_url())
            rows.append({"participant": link.assignment.participant, "url": url, "qr": selectors.qr_svg(url)})
        kept = TripLink.objects.active().filter(assignment__placement=placement).count() - len(made)
        response = render(request, "preparation/links_sheet.html", {"placement": placement, "rows": rows, "kept": kept})
        response["Cache-Control"] = "private, no-store"
        return response


class LinkCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        try:
            link = services.create_trip_link(assignment_id=assignment.pk, created_by_id=request.user.pk)
        except services.PreparationRefused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(reverse("preparation:links", args=[assignment.placement_id]))
        # Shown in this answer only, like backup codes: the token is not stored, so it cannot be shown again.
        return links_page(request, assignment.placement, made=link)


class LinkRevokeView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        link = get_for(request.user, TripLink.objects.select_related("assignment"), pk=pk, write=True)
        services.revoke_trip_link(link_id=link.pk)
        messages.success(request, _("The link no longer works."))
        return HttpResponseRedirect(reverse("preparation:links", args=[link.assignment.placement_id]))


def my_trip(request, token):
    """A learner's own trip, opened with their personal link, no account. Unknown or revoked: 404."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    link = get_object_or_404(
        TripLink.objects.active().select_related(
            "assignment__participant", "assignment__placement", "assignment__host_company", "assignment__mentor"
        ),
        token_hash=hash_token(token),
    )
    if link.assignment.status == Assignment.Status.WITHDRAWN:
        raise Http404
    language = "en" if request.GET.get("lang") == "en" else "ro"
    with translation.override(language):
        response = render(
            request, "preparation/my_trip.html", selectors.my_trip(link.assignment) | {"token": token, "lang": language}
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


class EmergencySheetView(RoleRequiredMixin, View):
    """Every learner's emergency contact, EHIC, room and shared notes, for the accompanying teachers.
    Restricted: coordinators only; each opening is written to the personal-data log."""

    allowed_roles = WRITERS

    def get(self, request, pk):
        placement = placement_to_change(request.user, pk)
        services.log_emergency_sheet(user=request.user, placement_id=placement.pk)
        context = {
            "placement": placement,
            "rows": selectors.emergency_sheet(placement),
            "policies": list(placement.insurance_policies.all()),
            "teachers": list(placement.accompanying_persons.all()),
        }
        return render(request, "preparation/emergency.html", context)


class IncidentListView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def get(self, request, pk):
        placement = placement_to_change(request.user, pk)
        incidents = list(placement.incidents.select_related("assignment__participant"))
        return render(request, "preparation/incidents.html", {"placement": placement, "incidents": incidents})


class IncidentCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def page(self, request, placement, form, incident=None):
        context = {"placement": placement, "form": form, "incident": incident, "withdraw_form": WithdrawForm()}
        return render(request, "preparation/incident_form.html", context)

    def get(self, request, pk):
        placement = placement_to_change(request.user, pk)
        return self.page(request, placement, IncidentForm(placement=placement))

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        form = IncidentForm(request.POST, placement=placement, instance=Incident(placement=placement))
        if form.is_valid():
            incident = form.save(commit=False)
            incident.recorded_by = request.user
            incident.save()
            messages.success(request, _("The incident is recorded."))
            return HttpResponseRedirect(incident.get_absolute_url())
        return self.page(request, placement, form)


class IncidentView(IncidentCreateView):
    def get(self, request, pk):
        incident = incident_to_change(request.user, pk)
        return self.page(
            request, incident.placement, IncidentForm(instance=incident, placement=incident.placement), incident
        )

    def post(self, request, pk):
        incident = incident_to_change(request.user, pk)
        form = IncidentForm(request.POST, instance=incident, placement=incident.placement)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(incident.get_absolute_url())
        return self.page(request, incident.placement, form, incident)


class IncidentWithdrawView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        incident = incident_to_change(request.user, pk)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for the withdrawal."))
        else:
            try:
                services.withdraw_after_incident(incident_id=incident.pk, reason=form.cleaned_data["reason"])
            except services.PreparationRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The learner is withdrawn; the incident says so."))
        return HttpResponseRedirect(incident.get_absolute_url())
