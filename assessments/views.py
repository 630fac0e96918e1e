from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, TemplateView, UpdateView, View

from accounts.roles import (
    OFFICE,
    RATERS,
    READERS,
    WRITERS,
    RoleRequiredMixin,
    coordinates,
    get_for,
    has_role,
    scoped,
)
from common.validators import parse_id
from common.views import SavedMessageMixin
from placements.access import assignment_for, assignment_to_change, assignments_to_change, placement_for
from placements.models import Assignment, Qualification

from . import charts, services
from .access import may_change_framework
from .forms import OutcomeForm, ReopenForm, RoundForm, ScaleFormSet, UnitForm
from .models import SHORT_KIND_LABELS, AssessmentRound, Outcome, ScaleLevel, Unit


def round_kind(kind):
    if kind not in AssessmentRound.Kind.values:
        raise Http404
    return AssessmentRound.Kind(kind)


# Progress


class AssignmentAssessmentView(RoleRequiredMixin, TemplateView):
    """A learner's rounds and their progress from baseline to final."""

    allowed_roles = READERS
    http_method_names = ["get", "head", "options"]
    template_name = "assessments/assignment.html"

    def get_context_data(self, **kwargs):
        assignment = assignment_for(self.request.user, kwargs["pk"])
        rounds = services.rounds_by_kind(assignment)
        progress = services.assignment_progress(assignment, rounds)
        return super().get_context_data(
            assignment=assignment,
            can_rate=may_rate(self.request.user, assignment),
            rounds=[(kind, rounds.get(kind)) for kind in AssessmentRound.Kind],
            progress=progress,
            chart=charts.progress_chart(
                progress["units"],
                progress["levels"],
                title=_("Baseline and final level per learning outcome: %(name)s")
                % {"name": assignment.participant.full_name},
            ),
            **kwargs,
        )


class PlacementAssessmentView(RoleRequiredMixin, TemplateView):
    """Where a placement's learners are in their rounds, and the average gain per unit."""

    allowed_roles = READERS
    http_method_names = ["get", "head", "options"]
    template_name = "assessments/placement.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        placement = placement_for(user, kwargs["pk"])
        assignments = (
            Assignment.objects.visible_to(user)
            .filter(placement=placement)
            .select_related("participant")
            .prefetch_related("assessment_rounds")
        )
        progress = services.placement_progress(placement, assignments)
        return super().get_context_data(
            placement=placement,
            progress=progress,
            chart=charts.gain_chart(progress["units"]),
            kinds=list(SHORT_KIND_LABELS.items()),
            **kwargs,
        )


# Rounds


def may_rate(user, assignment):
    """Whether `user` rates `assignment`'s rounds: a rater who may change it (its mentor; a coordinator of the
    learner's school)."""
    return has_role(user, RATERS) and assignments_to_change(user).filter(pk=assignment.pk).exists()


class RoundView(RoleRequiredMixin, View):
    """The rating page: every outcome of the learner's qualification, grouped by unit, with the scale."""

    allowed_roles = READERS

    def get(self, request, pk, kind):
        assignment = assignment_for(request.user, pk)
        return render_round(request, assignment, round_kind(kind))

    def post(self, request, pk, kind):
        kind = round_kind(kind)
        if not has_role(request.user, RATERS):
            raise PermissionDenied
        assignment = assignment_to_change(request.user, pk)
        data = services.round_page(assignment, kind)
        if data["round"] is not None and data["round"].is_locked:
            return render_round(request, assignment, kind, data=data, refused=services.locked_message(data["round"]))
        submit = request.POST.get("action") == "submit"
        form = RoundForm(data["units"], data["levels"], request.POST, submit=submit, saved=data["saved"])
        if form.is_valid():
            try:
                round = services.save_round(assignment, kind, form.ratings(), user=request.user, submit=submit)
            except services.RoundLocked as locked:
                return render_round(request, assignment, kind, refused=str(locked))
            except services.RatingsInvalid as invalid:
                form.add_service_errors(invalid.errors)
            else:
                if submit:
                    messages.success(request, _("The round was submitted and is now locked."))
                    return HttpResponseRedirect(reverse("assessments:assignment", args=[assignment.pk]))
                messages.success(request, _("The draft was saved. Submit it when every outcome is rated."))
                return HttpResponseRedirect(round.get_absolute_url())
        return render_round(request, assignment, kind, data=data, form=form)


def render_round(request, assignment, kind, *, data=None, form=None, reopen_form=None, refused=None):
    """The round page: the rating form while the round is open and the user may rate, else the ratings."""
    user = request.user
    data = data or services.round_page(assignment, kind)
    round = data["round"]
    locked = round is not None and round.is_locked
    # The rating form and the reopening by the role in the learner's school (roles per school): where the POST
    # would open (assignment_to_change), not wherever the user's highest role would.
    if form is None and not locked and may_rate(user, assignment):
        form = RoundForm(data["units"], data["levels"], saved=data["saved"])
    if reopen_form is None and locked and coordinates(user, assignment):
        reopen_form = ReopenForm()
    context = {
        "assignment": assignment,
        "kind": kind,
        "form": form,
        "reopen_form": reopen_form,
        "refused": refused,
        **data,
    }
    return render(request, "assessments/round.html", context, status=409 if refused else 200)


class RoundReopenView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk, kind):
        assignment = assignment_to_change(request.user, pk)
        kind = round_kind(kind)
        round = get_object_or_404(AssessmentRound, assignment=assignment, kind=kind)
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.reopen_round(round, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The round was reopened; it can be changed and submitted again."))
                return HttpResponseRedirect(round.get_absolute_url())
        return render_round(request, assignment, kind, reopen_form=form)


# The framework


class FrameworkListView(RoleRequiredMixin, TemplateView):
    allowed_roles = OFFICE
    http_method_names = ["get", "head", "options"]
    template_name = "assessments/framework_list.html"

    def get_context_data(self, **kwargs):
        qualifications = Qualification.objects.annotate(
            unit_count=Count("assessment_units", distinct=True),
            outcome_count=Count("assessment_units__outcomes", distinct=True),
        ).order_by("name")
        return super().get_context_data(qualifications=qualifications, levels=services.scale(), **kwargs)


class FrameworkView(RoleRequiredMixin, TemplateView):
    """The units and outcomes of one qualification; the coordinator edits and orders them from here."""

    allowed_roles = OFFICE
    http_method_names = ["get", "head", "options"]
    template_name = "assessments/framework.html"

    def get_context_data(self, **kwargs):
        qualification = get_for(self.request.user, Qualification.objects.all(), pk=kwargs["pk"])
        return super().get_context_data(
            qualification=qualification,
            sections=services.numbered(services.framework(qualification.pk)),
            kinds=Outcome.Kind.choices,
            may_change_framework=may_change_framework(self.request.user, qualification.pk),
            **kwargs,
        )


class FrameworkOwnerMixin(RoleRequiredMixin):
    """A page that changes a qualification's framework: assessments.access.may_change_framework decides (the
    administrators; a coordinator while no other school uses the qualification), else 403."""

    allowed_roles = WRITERS

    def qualification_id(self) -> int:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, WRITERS):
            if not may_change_framework(request.user, self.qualification_id()):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FrameworkEditMixin(FrameworkOwnerMixin, SavedMessageMixin):
    template_name = "assessments/framework_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which finds the qualification
        context["qualification"] = self.qualification
        return context


class UnitCreateView(FrameworkEditMixin, CreateView):
    form_class = UnitForm

    def qualification_id(self):
        return get_object_or_404(Qualification, pk=parse_id(self.kwargs["pk"])).pk

    def get_form_kwargs(self):
        self.qualification = get_for(self.request.user, Qualification.objects.all(), pk=self.kwargs["pk"], write=True)
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Unit(
            qualification=self.qualification,
            position=services.next_position(Unit.objects.filter(qualification=self.qualification)),
        )
        return kwargs


class UnitUpdateView(FrameworkEditMixin, UpdateView):
    form_class = UnitForm
    queryset = Unit.objects.select_related("qualification")

    def qualification_id(self):
        return get_object_or_404(Unit, pk=parse_id(self.kwargs["pk"])).qualification_id

    def get_object(self, queryset=None):
        unit = super().get_object(scoped(self.get_queryset(), self.request.user))
        self.qualification = unit.qualification
        return unit


class OutcomeFormMixin(FrameworkEditMixin):
    form_class = OutcomeForm

    def get_form_kwargs(self):
        return {"qualification": self.qualification, **super().get_form_kwargs()}

    def form_valid(self, form):
        if "unit" in form.changed_data or form.instance.pk is None:
            form.instance.position = services.next_position(Outcome.objects.filter(unit=form.cleaned_data["unit"]))
        return super().form_valid(form)


class OutcomeCreateView(OutcomeFormMixin, CreateView):
    def qualification_id(self):
        return get_object_or_404(Unit, pk=parse_id(self.kwargs["pk"])).qualification_id

    def get_form_kwargs(self):
        self.unit = get_for(
            self.request.user, Unit.objects.select_related("qualification"), pk=self.kwargs["pk"], write=True
        )
        self.qualification = self.unit.qualification
        return super().get_form_kwargs()

    def get_initial(self):
        return {"unit": self.unit}


class OutcomeUpdateView(OutcomeFormMixin, UpdateView):
    queryset = Outcome.objects.select_related("unit__qualification")

    def qualification_id(self):
        return get_object_or_404(
            Outcome.objects.select_related("unit"), pk=parse_id(self.kwargs["pk"])
        ).unit.qualification_id

    def get_object(self, queryset=None):
        outcome = super().get_object(scoped(self.get_queryset(), self.request.user))
        self.qualification = outcome.unit.qualification
        return outcome


class MoveView(FrameworkOwnerMixin, View):
    """POST direction=up|down: one place up or down among the siblings."""

    http_method_names = ["post"]
    model = None

    def qualification_id(self):
        item = get_object_or_404(self.model, pk=parse_id(self.kwargs["pk"]))
        return item.qualification_id if self.model is Unit else item.unit.qualification_id

    def post(self, request, pk):
        item = get_for(request.user, self.model.objects.all(), pk=pk, write=True)
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            return HttpResponseBadRequest(_("Say whether to move it up or down."))
        services.move(item, up=direction == "up")
        return HttpResponseRedirect(item.get_absolute_url())


class UnitMoveView(MoveView):
    model = Unit


class OutcomeMoveView(MoveView):
    model = Outcome


class ScaleView(RoleRequiredMixin, View):
    """The coordinator words the scale: labels and descriptors; the points stay."""

    allowed_roles = WRITERS
    template_name = "assessments/scale.html"

    def get(self, request):
        return self.render(ScaleFormSet(queryset=ScaleLevel.objects.order_by("position", "pk")))

    def post(self, request):
        formset = ScaleFormSet(request.POST, queryset=ScaleLevel.objects.order_by("position", "pk"))
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, _("The scale was saved."))
            return HttpResponseRedirect(reverse("assessments:scale"))
        return self.render(formset)

    def render(self, formset):
        return render(self.request, self.template_name, {"formset": formset})
