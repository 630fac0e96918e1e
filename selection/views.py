"""The call and the selection: the public call page and application form, the office's pages (the call, its
flows, criteria and committee, applications, ranking, confirmation) and the committee's scoring pages, which
only members of that call's committee open."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView, View

from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, sees_restricted_of
from accounts.throttling import client_ip
from common import private_files
from common.lists import ListControlsMixin
from common.views import FormPageMixin, InlineFormSetView, SavedMessageMixin, announce_saved
from placements.models import Placement
from placements.sites import SiteMixin

from . import selectors, services
from .access import (
    appeal_to_change,
    application_document_for,
    application_documents_for,
    application_for,
    application_to_change,
    call_for,
    call_to_change,
    calls_for,
    can_change_call,
    committee_seat_for,
)
from .forms import (
    AppealDecisionForm,
    AppealForm,
    ApplicationDocumentForm,
    ApplicationForm,
    CallForm,
    CommitteeFormSet,
    ConflictForm,
    CriterionFormSet,
    FlowFormSet,
    PublicApplicationForm,
    ReplaceForm,
    ScoreForm,
)
from .models import Application, Call, CommitteeMember

# Public pages


def get_published_call(project, pk):
    """A call the public may read on `project`'s site: its published ones only, 404 otherwise."""
    return get_object_or_404(Call.objects.published().filter(project=project).select_related("project"), pk=pk)


def call_project(kwargs):
    return Call.objects.published().filter(pk=kwargs["pk"]).values_list("project__public_slug", flat=True)


def public_context(call):
    text, plain = call.text_in("ro" if get_language() == "ro" else "en")
    return {
        "call": call,
        "text": text,
        "plain": plain,
        "flows": list(call.flows.select_related("placement__qualification")),
        "criteria": list(call.criteria.all()),
        "is_open": call.accepts_applications(timezone.localdate()),
    }


class PublicCallView(SiteMixin, View):
    def get(self, request, site, pk):
        return render(request, "selection/public_call.html", public_context(get_published_call(self.project, pk)))


class ApplyView(SiteMixin, View):
    template_name = "selection/apply.html"

    def page(self, request, call, form):
        return render(request, self.template_name, public_context(call) | {"form": form})

    def get(self, request, site, pk):
        call = get_published_call(self.project, pk)
        return self.page(request, call, PublicApplicationForm(call=call))

    def post(self, request, site, pk):
        call = get_published_call(self.project, pk)
        form = PublicApplicationForm(request.POST, call=call)
        if form.is_valid():
            # Counted per project's site: one site's applicants never close another's form.
            address = (self.project.pk, client_ip(request) or "unknown")
            if services.APPLICATIONS_PER_ADDRESS.exceeded(address):
                form.add_error(None, _("Too many applications from this connection. Please try again in an hour."))
                return self.page(request, call, form)
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "agree")}
            try:
                services.submit_application(
                    call_id=call.pk,
                    placement_id=data.pop("placement").pk,
                    qualification_id=data.pop("qualification").pk,
                    **data,
                )
            except services.SelectionRefused as refused:
                form.add_error(None, str(refused))
            else:
                services.APPLICATIONS_PER_ADDRESS.count(address)
                return HttpResponseRedirect(reverse("selection:apply_done", args=[site, call.pk]))
        return self.page(request, call, form)


class ApplyDoneView(SiteMixin, View):
    def get(self, request, site, pk):
        return render(request, "selection/apply_done.html", public_context(get_published_call(self.project, pk)))


# The office's pages


class CallListView(RoleRequiredMixin, ListView):
    allowed_roles = OFFICE
    template_name = "selection/call_list.html"
    context_object_name = "calls"

    def get_queryset(self):
        return calls_for(self.request.user).order_by("-opens_on", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["my_calls"] = set(
            CommitteeMember.objects.filter(user=self.request.user).values_list("call_id", flat=True)
        )
        return context


class CallCreateView(RoleRequiredMixin, FormPageMixin, SavedMessageMixin, CreateView):
    allowed_roles = WRITERS
    initial_from_query = ("project",)
    create_title = gettext_lazy("New call for applications")
    list_crumb = ("selection:calls", gettext_lazy("Calls"))
    model = Call
    form_class = CallForm
    template_name = "placements/object_form.html"


class CallUpdateView(RoleRequiredMixin, FormPageMixin, SavedMessageMixin, UpdateView):
    allowed_roles = WRITERS
    list_crumb = ("selection:calls", gettext_lazy("Calls"))
    form_class = CallForm
    template_name = "placements/object_form.html"

    def get_object(self, queryset=None):
        return call_to_change(self.request.user, self.kwargs["pk"])


class CallDetailView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        call = call_for(request.user, pk)
        progress = selectors.scoring_progress(call)
        counts = {status: 0 for status in Application.Status.values}
        for status in call.applications.values_list("status", flat=True):
            counts[status] += 1
        fairness = selectors.labelled_fairness(call) if call.ranked_at else None
        context = {
            "call": call,
            "flows": list(call.flows.select_related("placement")),
            "criteria": list(call.criteria.all()),
            "progress": progress,
            "counts": counts,
            "total_applications": sum(counts.values()),
            "membership": selectors.membership(request.user, call),
            "ranking": selectors.ranked_flows(call) if call.ranked_at else None,
            "fairness": fairness,
            "can_write": can_change_call(request.user, call),
            "replace_form": ReplaceForm(),
            "erase_after_days": settings.SELECTION_ERASE_AFTER_DAYS,
            "confirm_refusal": services.confirmation_refusal(call, timezone.localdate()),
        }
        return render(request, "selection/call_detail.html", context)


class CallFormSetView(RoleRequiredMixin, InlineFormSetView):
    allowed_roles = WRITERS
    template_name = "selection/formset.html"
    wide_fields = ("descriptors",)

    def get_owner(self, request, pk):
        return call_to_change(request.user, pk)

    def refusal(self, call):
        if call.ranked_at is not None:
            return _("The ranking is decided: the call's set-up can no longer change.")
        return None


class FlowsView(CallFormSetView):
    formset_class = FlowFormSet
    title = gettext_lazy("Flows and places")

    def get_context(self, call):
        if Placement.objects.filter(project_id=call.project_id).exists():
            return {}
        here = reverse("selection:flows", args=[call.pk])
        make = f"{reverse('placements:create')}?{urlencode({'project': call.project_id, 'next': here})}"
        return {"empty_hint": (_("The project has no flow yet: a call offers places on flows (placements)."), make)}


class CriteriaView(CallFormSetView):
    formset_class = CriterionFormSet
    title = gettext_lazy("Criteria")


class CommitteeView(CallFormSetView):
    formset_class = CommitteeFormSet
    title = gettext_lazy("Committee")


class ApplicationListView(RoleRequiredMixin, ListControlsMixin, ListView):
    allowed_roles = OFFICE
    template_name = "selection/application_list.html"
    context_object_name = "applications"
    sort_options = {"name": ("last_name", "first_name", "pk"), "date": ("created_at", "pk")}
    default_sort = "name"
    id_filters = {"flow": "placement_id"}

    def get(self, request, *args, **kwargs):
        self.call = call_for(request.user, kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.queryset = self.call.applications.select_related("placement", "qualification")
        return super().get_queryset()

    def apply_search(self, queryset, text):
        for word in text.split():
            queryset = queryset.filter(last_name__icontains=word) | queryset.filter(first_name__icontains=word)
        return queryset

    def apply_filters(self, queryset, params):
        if params.get("status") in Application.Status.values:
            queryset = queryset.filter(status=params["status"])
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            call=self.call,
            # Roles per school: the coordinator of the call's school enters applications.
            is_coordinator=can_change_call(self.request.user, self.call),
            statuses=Application.Status.choices,
            flows=list(self.call.flows.select_related("placement")),
            filters=self.request.GET,
        )
        return context


class ApplicationCreateView(RoleRequiredMixin, View):
    """A teacher or coordinator enters a learner's application, on a phone at school."""

    allowed_roles = WRITERS

    def page(self, request, call, form):
        return render(request, "selection/application_form.html", {"call": call, "form": form})

    def get(self, request, pk):
        call = call_to_change(request.user, pk)
        return self.page(request, call, ApplicationForm(call=call))

    def post(self, request, pk):
        call = call_to_change(request.user, pk)
        form = ApplicationForm(request.POST, call=call)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                application = services.submit_application(
                    call_id=call.pk,
                    placement_id=data.pop("placement").pk,
                    qualification_id=data.pop("qualification").pk,
                    entered_by_id=request.user.pk,
                    **data,
                )
            except services.SelectionRefused as refused:
                form.add_error(None, str(refused))
            else:
                announce_saved(request, application)
                if application.status == Application.Status.INELIGIBLE:
                    messages.warning(request, application.ineligible_reason)
                return HttpResponseRedirect(reverse("selection:application_new", args=[call.pk]))
        return self.page(request, call, form)


class ApplicationDetailView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        application = application_for(request.user, pk)
        context = {
            "application": application,
            "call": application.call,
            # By the role in the call's school (roles per school), as the changes (application_to_change).
            "show_restricted": sees_restricted_of(request.user, application),
            "appeals": list(application.appeals.all()),
            "appeal_form": AppealForm(prefix="appeal"),
            "decision_form": AppealDecisionForm(prefix="decision"),
            "can_write": sees_restricted_of(request.user, application),
            "documents": list(
                application_documents_for(request.user, application.documents.select_related("uploaded_by"))
            ),
        }
        return render(request, "selection/application_detail.html", context)


class ApplicationDocumentAddView(RoleRequiredMixin, View):
    """The coordinator attaches a document the learner brought (an ID copy, a school certificate, a letter)."""

    allowed_roles = WRITERS
    template_name = "selection/document_form.html"

    def page(self, request, application, form, status=200):
        context = {"application": application, "call": application.call, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.page(request, application_to_change(request.user, pk), ApplicationDocumentForm())

    def post(self, request, pk):
        application = application_to_change(request.user, pk)
        form = ApplicationDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_document(
                    application_id=application.pk,
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                    upload=form.cleaned_data["file"],
                    user_id=request.user.pk,
                )
            except ValidationError as error:
                form.add_error("file", error)
            except services.SelectionRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The document was added."))
                return HttpResponseRedirect(application.get_absolute_url() + "#documents-title")
        return self.page(request, application, form, status=400)


class ApplicationDocumentView(RoleRequiredMixin, View):
    """Documents are private: served here after the check, as a download, never from a public URL."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        document = application_document_for(request.user, pk)
        return private_files.serve(
            document.path,
            filename=f"{document.kind}-{document.pk}.{document.extension}",
            content_type=document.content_type,
        )


class AppealCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        application = application_to_change(request.user, pk)
        form = AppealForm(request.POST, prefix="appeal")
        if not form.is_valid():
            messages.error(request, _("Give the date the appeal was received and its grounds. Nothing was saved."))
        else:
            try:
                services.record_appeal(
                    application_id=application.pk, recorded_by_id=request.user.pk, **form.cleaned_data
                )
            except services.SelectionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The appeal is recorded."))
        return HttpResponseRedirect(application.get_absolute_url())


class AppealDecideView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        appeal = appeal_to_change(request.user, pk)
        form = AppealDecisionForm(request.POST, prefix="decision")
        if not form.is_valid():
            messages.error(request, _("Choose the outcome, its date and the reasons. Nothing was saved."))
        else:
            try:
                services.decide_appeal(appeal_id=appeal.pk, **form.cleaned_data)
            except services.SelectionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The decision on the appeal is recorded."))
        return HttpResponseRedirect(appeal.application.get_absolute_url())


# The committee


class ScoringView(RoleRequiredMixin, View):
    """A member's own list: what they scored, what is left. Before every score is in, no one else's."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        member = committee_seat_for(request.user, pk)
        progress = selectors.scoring_progress(member.call)
        context = {
            "member": member,
            "call": member.call,
            "applications": selectors.member_sheet(member),
            "progress": progress,
        }
        return render(request, "selection/scoring.html", context)


class ScoreView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def fetch(self, request, pk):
        application = application_for(request.user, pk)
        member = committee_seat_for(request.user, application.call_id)
        return member, application

    def page(self, request, member, application, form, conflict_form):
        context = {
            "member": member,
            "call": member.call,
            "application": application,
            "form": form,
            "conflict_form": conflict_form,
            "conflict": member.conflicts.filter(application=application).first(),
        }
        return render(request, "selection/score.html", context)

    def score_form(self, member, application, data=None):
        own = dict(
            selectors.scores_for(member.user, member.call)
            .filter(member=member, application=application)
            .values_list("criterion_id", "value")
        )
        return ScoreForm(data, criteria=selectors.scored_criteria(member.call), initial_scores=own)

    def get(self, request, pk):
        member, application = self.fetch(request, pk)
        return self.page(request, member, application, self.score_form(member, application), ConflictForm())

    def post(self, request, pk):
        member, application = self.fetch(request, pk)
        form = self.score_form(member, application, request.POST)
        if form.is_valid():
            try:
                services.record_scores(member_id=member.pk, application_id=application.pk, scores=form.scores())
            except services.SelectionRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Your scores for %(name)s are saved.") % {"name": application})
                return HttpResponseRedirect(reverse("selection:scoring", args=[member.call_id]))
        return self.page(request, member, application, form, ConflictForm())


class ConflictView(RoleRequiredMixin, View):
    allowed_roles = OFFICE
    http_method_names = ["post"]

    def post(self, request, pk):
        application = application_for(request.user, pk)
        member = committee_seat_for(request.user, application.call_id)
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                services.declare_conflict(
                    member_id=member.pk, application_id=application.pk, reason=form.cleaned_data["reason"]
                )
            except services.SelectionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request, _("Your conflict of interest is recorded; you will not score this applicant.")
                )
                return HttpResponseRedirect(reverse("selection:scoring", args=[member.call_id]))
        else:
            messages.error(request, _("Say what the conflict of interest is."))
        return HttpResponseRedirect(reverse("selection:score", args=[application.pk]))


class SignMinutesView(RoleRequiredMixin, View):
    allowed_roles = OFFICE
    http_method_names = ["post"]

    def post(self, request, pk):
        member = committee_seat_for(request.user, pk)
        try:
            services.sign_minutes(member_id=member.pk)
        except services.SelectionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("You signed the minutes."))
        return HttpResponseRedirect(member.call.get_absolute_url())


class CallActionView(RoleRequiredMixin, View):
    """A coordinator's step on the whole call (rank, confirm): a POST that says what happened."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def act(self, request, call):
        raise NotImplementedError

    def post(self, request, pk):
        call = call_to_change(request.user, pk)
        try:
            self.act(request, call)
        except services.SelectionRefused as refused:
            messages.error(request, str(refused))
        return HttpResponseRedirect(call.get_absolute_url())


class RankView(CallActionView):
    def act(self, request, call):
        services.decide_ranking(call_id=call.pk)
        messages.success(request, _("The ranking is decided. Committee members can now sign the minutes."))


class EraseView(CallActionView):
    def act(self, request, call):
        erased = services.erase_unselected(call_id=call.pk)
        messages.success(request, _("The personal data of %(count)s applications were erased.") % {"count": erased})


class ConfirmView(CallActionView):
    """Irreversible: the page says what confirming does (and why it cannot be done yet) before the POST does it."""

    http_method_names = ["get", "post"]

    def get(self, request, pk):
        call = call_to_change(request.user, pk)
        selected = (
            call.applications.filter(status=Application.Status.SELECTED, participant=None)
            .values("placement__title")
            .annotate(count=Count("pk"))
            .order_by("placement__title")
        )
        context = {
            "call": call,
            "refusal": services.confirmation_refusal(call, timezone.localdate()),
            "selected": list(selected),
            "reserve": call.applications.filter(status=Application.Status.RESERVE).count(),
        }
        return render(request, "selection/confirm.html", context)

    def act(self, request, call):
        made = services.confirm_selection(call_id=call.pk, confirmed_by_id=request.user.pk)
        messages.success(
            request, _("Selection confirmed: %(count)s learners are now participants on their flows.") % {"count": made}
        )


class ReplaceView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        application = application_to_change(request.user, pk)
        form = ReplaceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for the withdrawal."))
        else:
            try:
                taken_by = services.replace_from_reserve(
                    application_id=application.pk, reason=form.cleaned_data["reason"]
                )
            except services.SelectionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _("%(old)s withdrew; %(new)s takes the place from the reserve list.")
                    % {"old": application, "new": taken_by},
                )
        return HttpResponseRedirect(application.call.get_absolute_url())
