"""The coordinators' pages after the stage: the graduates' overview (recognition and follow-up per learner),
the recognition decision and the follow-up call of one learner. Staff read the overview; coordinators write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, coordinates, get_for, in_schools
from common.validators import parse_id
from placements.access import assignment_to_change
from placements.models import Project
from placements.selectors import current_project

from . import services
from .forms import FollowUpForm, RecognitionForm
from .models import FollowUp, FollowUpLink


class OverviewView(RoleRequiredMixin, TemplateView):
    allowed_roles = OFFICE
    template_name = "alumni/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = current_project(parse_id(self.request.GET.get("project", "")), self.request.user)
        rows = []
        if project is not None:
            today = timezone.localdate()
            for assignment in services.overview_rows(project.pk, today):
                by_months = {f.months: f for f in assignment.follow_ups.all()}
                rows.append(
                    {
                        "assignment": assignment,
                        "over": services.stage_over(assignment, today),
                        "recognition": getattr(assignment, "recognition", None),
                        "follow_ups": [(m, by_months.get(m)) for m in FollowUp.CHECKPOINTS],
                    }
                )
        context.update(
            project=project,
            projects=in_schools(Project.objects.only("pk", "title", "start_date"), self.request.user),
            rows=rows,
            counts=services.path_counts(project.pk) if project else [],
            situations=FollowUp.Situation.choices,
            checkpoints=FollowUp.CHECKPOINTS,
            # Its changes (links, recognitions, follow-ups) are offered to the project's school's coordinator.
            is_coordinator=project is not None and coordinates(self.request.user, project),
        )
        return context


def apply_errors(form, error):
    for field, texts in error.message_dict.items():
        for message in texts:
            form.add_error(field if field in form.fields else None, message)


class RecognitionView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    template_name = "alumni/recognition.html"

    def page(self, request, assignment, form, status=200):
        return render(request, self.template_name, {"assignment": assignment, "form": form}, status=status)

    def get(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        existing = getattr(assignment, "recognition", None)
        if existing:
            initial = {
                "decision": existing.decision,
                "outcomes": list(existing.outcomes.values_list("pk", flat=True)),
                "how": existing.how,
                "decided_on": existing.decided_on,
            }
        else:
            suggested = services.suggested_outcomes(assignment)
            initial = {"outcomes": list(suggested), "decided_on": timezone.localdate()}
        form = RecognitionForm(initial=initial, qualification_id=assignment.placement.qualification_id)
        return self.page(request, assignment, form)

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        form = RecognitionForm(request.POST, qualification_id=assignment.placement.qualification_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_recognition(
                    assignment_id=assignment.pk,
                    decision=data["decision"],
                    outcome_ids=[o.pk for o in data["outcomes"]],
                    how=data["how"],
                    decided_on=data["decided_on"],
                    by_id=request.user.pk,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The recognition decision was saved."))
                return HttpResponseRedirect(assignment.participant.get_absolute_url())
        return self.page(request, assignment, form, status=400)


class FollowUpView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    template_name = "alumni/follow_up.html"

    def page(self, request, assignment, form, status=200, made=None):
        """The learner's follow-ups and links. A link's address is shown only in the answer that made it
        (`made`): the database keeps the hash of its token, not the token."""
        context = {
            "assignment": assignment,
            "form": form,
            "recorded": list(assignment.follow_ups.all()),
            "links": list(FollowUpLink.objects.usable().filter(assignment=assignment).order_by("months")),
            "made": made,
            "made_url": services.follow_up_url(made) if made is not None else "",
        }
        response = render(request, self.template_name, context, status=status)
        response["Cache-Control"] = "private, no-store"
        return response

    def get(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        months = parse_id(request.GET.get("months")) or 3
        existing = assignment.follow_ups.filter(months=months).first()
        initial = {"months": months, "recorded_on": timezone.localdate(), "situation": FollowUp.Situation.UNKNOWN}
        if existing:
            initial |= {
                "situation": existing.situation,
                "consent": existing.consent,
                "note": existing.note,
                "recorded_on": existing.recorded_on,
            }
        return self.page(request, assignment, FollowUpForm(initial=initial))

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_follow_up(
                    assignment_id=assignment.pk,
                    months=data["months"],
                    situation=data["situation"],
                    consent=data["consent"],
                    note=data["note"],
                    recorded_on=data["recorded_on"],
                    by_id=request.user.pk,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The follow-up was saved."))
                return HttpResponseRedirect(reverse("alumni:overview"))
        return self.page(request, assignment, form, status=400)


class NewFollowUpLinkView(RoleRequiredMixin, View):
    """A new address for a graduate's follow-up link, shown once (the earlier one stops working): to read out or
    send by message when the emailed one is lost."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        link = get_for(
            request.user,
            FollowUpLink.objects.usable().select_related("assignment__participant"),
            write=True,
            pk=parse_id(pk),
        )
        services.new_follow_up_link(link)
        assignment = link.assignment
        form = FollowUpForm(initial={"months": link.months, "recorded_on": timezone.localdate()})
        return FollowUpView().page(request, assignment, form, made=link)


class MakeLinksView(RoleRequiredMixin, View):
    """Make (and email) the follow-up links of a checkpoint for every graduate who reached it."""

    allowed_roles = WRITERS

    def post(self, request):
        # A project of the schools where the user is coordinator (roles per school).
        project = current_project(parse_id(request.POST.get("project", "")), request.user, write=True)
        months = parse_id(request.POST.get("months"))
        if project is not None:
            try:
                made = services.make_follow_up_links(project_id=project.pk, months=months or 0)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(created)d new link(s) made, %(emailed)d sent by email.")
                    % {"created": made.created, "emailed": made.emailed},
                )
        overview = reverse("alumni:overview")
        return HttpResponseRedirect(f"{overview}?project={project.pk}" if project else overview)


# The graduate's own answer, by link: no sign-in

LINK_LANGUAGES = [("ro", "Română"), ("en", "English")]


class AnswerView(View):
    template_name = "alumni/answer.html"

    def dispatch(self, request, token, *args, **kwargs):
        try:
            self.link = services.open_follow_up_link(token)
        except services.LinkNotUsable:
            raise Http404 from None
        language = request.GET.get("lang")
        if language in dict(LINK_LANGUAGES):
            FollowUpLink.objects.filter(pk=self.link.pk).update(language=language)
            self.link.language = language
        with translation.override(self.link.language):
            return super().dispatch(request, token, *args, **kwargs)

    def page(self, request, context=None, status=200):
        base = {"link": self.link, "languages": LINK_LANGUAGES, "situations": FollowUp.Situation.choices[:-1]}
        return render(request, self.template_name, base | (context or {}), status=status)

    def get(self, request, token):
        return self.page(request, {"done": self.link.answered_at is not None})

    def post(self, request, token):
        situation = request.POST.get("situation", "")
        consent = request.POST.get("consent")
        errors = {}
        if situation not in FollowUp.Situation.values:
            errors["situation"] = _("Choose one answer.")
        if consent not in ("yes", "no"):
            errors["consent"] = _("Choose yes or no.")
        if errors:
            return self.page(request, {"errors": errors, "chosen": situation, "consent": consent}, status=400)
        try:
            services.answer_follow_up(token=token, situation=situation, consent=consent == "yes")
        except services.AlreadyAnswered as refused:
            return self.page(request, {"done": True, "refused": str(refused)}, status=409)
        return self.page(request, {"done": True, "just_sent": True})
