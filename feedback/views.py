"""The questionnaire by personal link (no sign-in: the token is the key, one question per screen, works without
JavaScript) and the office's pages: the overview, a placement's results, the links with their QR codes, the
moderation of free text."""

import segno
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, coordinates, get_for
from common.exceptions import NotAllowed
from common.validators import parse_id
from placements.access import placement_for, placement_to_change
from placements.models import Placement

from . import charts, selectors, services
from .models import Answer, Invitation
from .questions import HOST, LEARNER, questions_for

# By personal link

# Each language under its own name; the hosts' questionnaire also in Portuguese (the mentors are in Portugal).
LINK_LANGUAGES = {
    LEARNER: [("ro", "Română"), ("en", "English")],
    HOST: [("pt", "Português"), ("en", "English"), ("ro", "Română")],
}


def invitation_or_404(token):
    try:
        return services.open_link(token)
    except services.LinkNotUsable:
        raise Http404 from None


class LinkView(View):
    """Shared by the questionnaire's screens: the link's invitation, and its language for the whole page."""

    def dispatch(self, request, token, *args, **kwargs):
        self.invitation = invitation_or_404(token)
        self.invitation.token = token  # opened with its token: its own pages link to each other with it
        language = request.GET.get("lang")
        if language:
            services.set_language(token=token, language=language)
            self.invitation.refresh_from_db(fields=["language"])
        with translation.override(self.invitation.language):
            return super().dispatch(request, token, *args, **kwargs)

    def page(self, template, context, status=200):
        questions = questions_for(self.invitation.kind)
        base = {
            "invitation": self.invitation,
            "total": len(questions),
            "placement": self.invitation.placement,
            "languages": LINK_LANGUAGES[self.invitation.kind],
        }
        return render(self.request, template, base | context, status=status)


class StartView(LinkView):
    def get(self, request, token):
        if self.invitation.is_answered:
            return self.page("feedback/answered.html", {})
        return self.page("feedback/start.html", {})


class QuestionView(LinkView):
    def asked(self, step):
        questions = questions_for(self.invitation.kind)
        if not 1 <= step <= len(questions):
            raise Http404
        return questions[step - 1]

    def get(self, request, token, step):
        if self.invitation.is_answered:
            return self.page("feedback/answered.html", {})
        asked = self.asked(step)
        answer = services.answers_of(self.invitation).get(asked.code)
        return self.page("feedback/question.html", {"question": asked, "answer": answer, "step": step})

    def post(self, request, token, step):
        asked = self.asked(step)
        choice = request.POST.get("choice")
        if choice == "keep":
            choice = None
        try:
            services.save_answer(
                token=token, question_code=asked.code, choice=choice, text=request.POST.get("text", "")
            )
        except services.AlreadyAnswered as refused:
            return self.page("feedback/answered.html", {"refused": str(refused)}, status=409)
        except ValueError:
            answer = services.answers_of(self.invitation).get(asked.code)
            context = {"question": asked, "answer": answer, "step": step, "error": _("Choose one of the answers.")}
            return self.page("feedback/question.html", context, status=400)
        total = len(questions_for(self.invitation.kind))
        if step < total:
            return HttpResponseRedirect(reverse("feedback:question", args=[token, step + 1]))
        return HttpResponseRedirect(reverse("feedback:send", args=[token]))


class SendView(LinkView):
    """The last screen: what was answered, and the button that sends it."""

    def get(self, request, token):
        if self.invitation.is_answered:
            return self.page("feedback/answered.html", {})
        answered = services.questions_with_answers(self.invitation)
        return self.page("feedback/send.html", {"answered": answered})

    def post(self, request, token):
        try:
            services.finish(token=token)
        except services.AlreadyAnswered as refused:
            return self.page("feedback/answered.html", {"refused": str(refused)}, status=409)
        return HttpResponseRedirect(reverse("feedback:start", args=[token]) + "?sent=1")


# The office


class OverviewView(RoleRequiredMixin, TemplateView):
    allowed_roles = OFFICE
    template_name = "feedback/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placements = list(
            Placement.objects.visible_to(self.request.user).select_related("project").order_by("-start_date", "title")
        )
        context["rows"] = selectors.placement_overview(placements)
        return context


class ResultsView(RoleRequiredMixin, TemplateView):
    allowed_roles = OFFICE
    template_name = "feedback/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placement = placement_for(self.request.user, kwargs["pk"])
        # The flow's school's coordinator reads the words not yet approved and moderates them (roles per school:
        # coordinator at one school and staff at another reads the second's approved words only).
        coordinator = coordinates(self.request.user, placement)
        sections = []
        for kind, title in ((LEARNER, _("Learners")), (HOST, _("Hosts and mentors"))):
            found = selectors.results([placement.pk], kind)
            charted = [
                (counts, charts.answers_chart(counts, chart_id=f"chart-{kind}-{counts.question.code}"))
                for counts in found.questions
            ]
            sections.append({"kind": kind, "title": title, "results": found, "charted": charted})
        context.update(
            placement=placement,
            sections=sections,
            comments=selectors.comments([placement.pk], approved_only=not coordinator),
            can_send=coordinator and services.stage_has_ended(placement),
            ended=services.stage_has_ended(placement),
            is_coordinator=coordinator,
        )
        return context


class SendInvitationsView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        try:
            sent = services.send_invitations(placement_id=placement.pk, by_id=request.user.pk)
        except NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _(
                    "%(created)d new link(s) made; %(emailed)d sent by email; %(without)d without an email "
                    "address: print their QR codes from the links page."
                )
                % {"created": sent.created, "emailed": sent.emailed, "without": sent.without_email},
            )
        return HttpResponseRedirect(reverse("feedback:results", args=[placement.pk]))


class LinksView(RoleRequiredMixin, View):
    """Each learner's and mentor's questionnaire, and new links with their QR codes to print and hand over:
    coordinators only, since a link is the key to someone's questionnaire. The database keeps only a hash of each
    link's token, so a link's address and QR code are shown once, in the answer that makes it (POST)."""

    allowed_roles = WRITERS
    template_name = "feedback/links.html"

    def get(self, request, pk):
        placement = placement_to_change(request.user, pk)
        invitations = (
            Invitation.objects.filter(placement=placement)
            .usable()
            .select_related("assignment__participant", "mentor", "contact__organisation")
            .order_by("kind", "assignment__participant__name_key", "pk")
        )
        return self.page(request, placement, invitations=list(invitations))

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        chosen = request.POST.get("invitation")
        invitation_id = parse_id(chosen) if chosen else None
        if chosen and invitation_id is None:
            raise Http404
        # An invitation of another placement is not found by the service, which reads only this placement's.
        made = services.new_links_to_print(placement_id=placement.pk, invitation_id=invitation_id)
        rows = []
        for invitation in made:
            url = services.link_url(invitation)
            # segno writes the SVG from the URL alone, no user input: safe to put in the page as it is.
            qr = mark_safe(segno.make(url, error="m").svg_inline(dark="#000", light="#fff", border=2, omitsize=True))
            rows.append({"invitation": invitation, "url": url, "qr": qr})
        return self.page(request, placement, rows=rows, made=True)

    def page(self, request, placement, invitations=(), rows=(), made=False):
        context = {"placement": placement, "invitations": invitations, "rows": rows, "made": made}
        response = render(request, self.template_name, context)
        response["Cache-Control"] = "private, no-store"
        return response


class ModerateView(RoleRequiredMixin, View):
    """Approve a learner's or host's words (then staff and the report may read them), or hide them again."""

    allowed_roles = WRITERS

    def post(self, request, pk):
        answer = get_for(request.user, Answer.objects.select_related("invitation"), pk=parse_id(pk), write=True)
        try:
            if request.POST.get("action") == "hide":
                services.hide_comment(answer_id=answer.pk)
                messages.success(request, _("The answer is hidden again."))
            else:
                services.approve_comment(answer_id=answer.pk, by_id=request.user.pk)
                messages.success(request, _("The answer is approved: staff can read it now."))
        except NotAllowed as refused:
            messages.error(request, str(refused))
        return HttpResponseRedirect(reverse("feedback:results", args=[answer.invitation.placement_id]) + "#comments")
