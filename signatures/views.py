"""Signing a learner's attendance week on the mentor's phone (the mentor signed in; the learner with their
personal code and a drawn or typed signature), the coordinator's reset of a learner's code, and the public
page that checks a signature by the code printed with it."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import View

from accounts.roles import RECORDERS, WRITERS, RoleRequiredMixin, is_coordinator, is_mentor
from accounts.throttling import client_ip
from attendance.forms import parse_day
from attendance.models import week_start
from placements.access import assignment_to_change

from . import services
from .models import SignatureEvent


def assignment_and_week(user, pk, day):
    assignment = assignment_to_change(user, pk)
    day = parse_day(day)
    if day is None:
        raise Http404
    monday = week_start(day)
    placement = assignment.placement
    if not week_start(placement.start_date) <= monday <= placement.end_date:
        raise Http404
    return assignment, monday


class SignWeekView(RoleRequiredMixin, View):
    allowed_roles = RECORDERS

    def context(self, request, assignment, monday, **more):
        state = services.week_states([assignment], assignment.placement, monday)[assignment.pk]
        mentor = is_mentor(request.user)
        return {
            "assignment": assignment,
            "placement": assignment.placement,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "state": state,
            "may_sign_as_mentor": mentor and assignment.mentor_id == request.user.pk,
            "is_coordinator": is_coordinator(request.user),
            "consent_mentor": _(services.CONSENT[SignatureEvent.Role.MENTOR]),
            "consent_learner": _(services.CONSENT[SignatureEvent.Role.LEARNER]),
            **more,
        }

    def get(self, request, pk, day):
        assignment, monday = assignment_and_week(request.user, pk, day)
        return render(request, "signatures/sign_week.html", self.context(request, assignment, monday))

    def post(self, request, pk, day):
        assignment, monday = assignment_and_week(request.user, pk, day)
        who = request.POST.get("who")
        data = request.POST
        try:
            if not data.get("consent"):
                raise services.SignatureError(_("Tick the sentence to agree to it before signing."))
            common = {
                "assignment": assignment,
                "monday": monday,
                "collected_by": request.user,
                "shown_hash": data.get("shown_hash", ""),
                "device_time": data.get("device_time", ""),
                "ip_address": client_ip(request),
                "user_agent": request.META.get("HTTP_USER_AGENT", ""),
            }
            if who == "mentor":
                if not (is_mentor(request.user) and assignment.mentor_id == request.user.pk):
                    raise PermissionDenied
                services.sign_week(
                    **common,
                    role=SignatureEvent.Role.MENTOR,
                    consent_text=_(services.CONSENT[SignatureEvent.Role.MENTOR]),
                    method=SignatureEvent.Method.SESSION,
                    signer=request.user,
                    signer_name=str(request.user),
                )
            elif who == "learner":
                strokes = services.clean_strokes(data.get("strokes"))
                typed = data.get("typed_name", "").strip()
                if not strokes and not typed:
                    raise services.SignatureError(_("Draw the signature, or type the full name instead."))
                services.check_code(assignment, data.get("code", ""))
                services.sign_week(
                    **common,
                    role=SignatureEvent.Role.LEARNER,
                    consent_text=_(services.CONSENT[SignatureEvent.Role.LEARNER]),
                    method=SignatureEvent.Method.CODE_DRAWN if strokes else SignatureEvent.Method.CODE_TYPED,
                    signer_name=assignment.participant.full_name,
                    strokes=strokes,
                    typed_name=typed,
                )
            else:
                raise Http404
        except services.SignatureError as error:
            context = self.context(request, assignment, monday, error=str(error), error_for=who)
            return render(request, "signatures/sign_week.html", context, status=400)
        messages.success(request, _("Signed. The signature is kept with the days it signed."))
        return HttpResponseRedirect(reverse("signatures:sign_week", args=[assignment.pk, f"{monday:%Y-%m-%d}"]))


class ResetCodeView(RoleRequiredMixin, View):
    """A coordinator gives a learner a new signing code (lost card, or someone else saw it)."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        services.reset_code(request.user, assignment)
        messages.success(request, _("The learner has a new signing code: it is on their My trip page."))
        back = parse_day(request.POST.get("week", "")) or assignment.placement.start_date
        week = f"{week_start(back):%Y-%m-%d}"
        return HttpResponseRedirect(reverse("signatures:sign_week", args=[assignment.pk, week]))


@require_GET
def verify(request):
    """Public: the code printed with a signature answers what was signed, by whom, when, and whether the days
    are still as they were signed."""
    code = (request.GET.get("code") or "").strip().upper()
    context = {"code": code}
    if code:
        event = None
        if len(code) == 16 and all(c in "0123456789ABCDEF" for c in code):
            event = (
                SignatureEvent.objects.filter(event_hash__startswith=code.lower())
                .select_related("assignment__participant", "assignment__placement")
                .first()
            )
        if event is not None:
            state = services.week_states([event.assignment], event.assignment.placement, event.week_start)
            standing = state[event.assignment.pk]["hash"] == event.content_hash
            context.update(event=event, standing=standing, intact=services.event_is_intact(event))
        else:
            context["unknown"] = True
    response = render(request, "signatures/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
