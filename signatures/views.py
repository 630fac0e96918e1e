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

from accounts.roles import OFFICE, RECORDERS, WRITERS, RoleRequiredMixin, is_coordinator, is_mentor
from accounts.throttling import client_ip
from attendance.forms import parse_day
from attendance.models import week_start
from placements.access import assignment_to_change

from . import services
from .host_views import host_contacts
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


def evidence_of(request):
    """The evidence every signature keeps of the request it was made with."""
    return {
        "device_time": request.POST.get("device_time", ""),
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def learner_signs(request, assignment, consent):
    """The learner's part of a signing form: a drawn signature or a typed name, and their personal code (a wrong
    code is counted)."""
    strokes = services.clean_strokes(request.POST.get("strokes"))
    typed = request.POST.get("typed_name", "").strip()
    if not strokes and not typed:
        raise services.SignatureError(_("Draw the signature, or type the full name instead."))
    services.check_code(assignment, request.POST.get("code", ""))
    return {
        "role": SignatureEvent.Role.LEARNER,
        "consent_text": consent,
        "method": SignatureEvent.Method.CODE_DRAWN if strokes else SignatureEvent.Method.CODE_TYPED,
        "signer_name": assignment.participant.full_name,
        "strokes": strokes,
        "typed_name": typed,
    }


def may_sign_as_host(user, assignment):
    """The learner's own mentor, of the host company, signs for it when signed in."""
    return (
        is_mentor(user)
        and assignment.mentor_id == user.pk
        and assignment.host_company_id is not None
        and user.organisation_id == assignment.host_company_id
    )


def may_sign_as_school(user):
    """A coordinator (the assignment already kept to their schools) past their second factor in this session."""
    return is_coordinator(user) and user.is_verified()


class SignAgreementView(RoleRequiredMixin, View):
    """A learner's learning agreement: its content, the learner's, the host's and the school's signatures, and
    the forms for those who may sign here. The learner signs on the mentor's or the coordinator's device."""

    allowed_roles = RECORDERS

    def context(self, request, assignment, **more):
        state = services.agreement_states([assignment])[assignment.pk]
        return {
            "assignment": state["assignment"],
            "state": state,
            "data": state["data"],
            "may_sign_as_host": may_sign_as_host(request.user, assignment),
            "may_sign_as_school": may_sign_as_school(request.user),
            "is_coordinator": is_coordinator(request.user),
            "consent": {role: _(text) for role, text in services.AGREEMENT_CONSENT.items()},
            "host_contacts": host_contacts(assignment) if is_coordinator(request.user) else [],
            **more,
        }

    def get(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        return render(request, "signatures/sign_agreement.html", self.context(request, assignment))

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        who = request.POST.get("who")
        consent = _(services.AGREEMENT_CONSENT.get(who, "")) if who in services.AGREEMENT_CONSENT else ""
        try:
            if not request.POST.get("consent"):
                raise services.SignatureError(_("Tick the sentence to agree to it before signing."))
            if who == services.HOST:
                if not may_sign_as_host(request.user, assignment):
                    raise PermissionDenied
                organisation = assignment.host_company.name
                signer = {
                    "role": services.HOST,
                    "consent_text": consent,
                    "method": SignatureEvent.Method.SESSION,
                    "signer": request.user,
                    "signer_name": f"{request.user} ({organisation})",
                }
            elif who == services.SCHOOL:
                if not may_sign_as_school(request.user):
                    raise PermissionDenied
                school = assignment.placement.project.sending_organisation.name
                signer = {
                    "role": services.SCHOOL,
                    "consent_text": consent,
                    "method": SignatureEvent.Method.TWO_FACTOR,
                    "signer": request.user,
                    "signer_name": f"{request.user} ({school})",
                }
            elif who == services.LEARNER:
                signer = learner_signs(request, assignment, consent)
            else:
                raise Http404
            services.sign_agreement(
                assignment=assignment,
                shown_hash=request.POST.get("shown_hash", ""),
                collected_by=request.user,
                **signer,
                **evidence_of(request),
            )
        except services.SignatureError as error:
            context = self.context(request, assignment, error=str(error), error_for=who)
            return render(request, "signatures/sign_agreement.html", context, status=400)
        messages.success(request, _("Signed. The signature is kept with the agreement it signed."))
        return HttpResponseRedirect(reverse("signatures:sign_agreement", args=[assignment.pk]))


def allowance_to_sign(user, pk):
    """A hand-over of an allowance to one learner, of a school where `user` is a coordinator."""
    from grants.access import payment_to_change
    from grants.models import Payment

    payment = payment_to_change(user, pk)
    found = services.allowance_payments(Payment.objects.filter(pk=payment.pk))
    if not found:
        raise Http404
    return found[0]


class SignReceiptView(RoleRequiredMixin, View):
    """The learner signs the receipt of an allowance handed to them, on the coordinator's tablet."""

    allowed_roles = WRITERS

    def context(self, request, payment, **more):
        state = services.receipt_states([payment])[payment.pk]
        return {
            "payment": payment,
            "assignment": state["assignment"],
            "state": state,
            "data": state["data"],
            "consent_learner": _(services.RECEIPT_CONSENT),
            **more,
        }

    def get(self, request, pk):
        payment = allowance_to_sign(request.user, pk)
        return render(request, "signatures/sign_receipt.html", self.context(request, payment))

    def post(self, request, pk):
        payment = allowance_to_sign(request.user, pk)
        assignment = payment.learners[0]
        try:  # only the learner signs a receipt
            if not request.POST.get("consent"):
                raise services.SignatureError(_("Tick the sentence to agree to it before signing."))
            signer = learner_signs(request, assignment, _(services.RECEIPT_CONSENT))
            signer.pop("role")
            services.sign_receipt(
                payment=payment,
                assignment=assignment,
                shown_hash=request.POST.get("shown_hash", ""),
                collected_by=request.user,
                **signer,
                **evidence_of(request),
            )
        except services.SignatureError as error:
            context = self.context(request, payment, error=str(error), error_for="learner")
            return render(request, "signatures/sign_receipt.html", context, status=400)
        messages.success(request, _("Signed. The signature is kept with the receipt it signed."))
        return HttpResponseRedirect(reverse("signatures:sign_receipt", args=[payment.pk]))


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


class UploadPaperSheetView(RoleRequiredMixin, View):
    """A coordinator keeps the scan of a week's sheet signed on paper (a PDF, checked before it is kept)."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk, day):
        from django.core.exceptions import ValidationError

        from placements.access import placement_to_change

        from . import paper

        placement = placement_to_change(request.user, pk)
        day = parse_day(day)
        if day is None or not week_start(placement.start_date) <= week_start(day) <= placement.end_date:
            raise Http404
        monday = week_start(day)
        back = reverse("attendance:week", args=[placement.pk, f"{monday:%Y-%m-%d}"]) + "#paper-sheets"
        try:
            paper.keep_scan(user=request.user, placement=placement, monday=monday, upload=request.FILES.get("scan"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        messages.success(request, _("The scan of the signed sheet was kept."))
        return HttpResponseRedirect(back)


class PaperSheetView(RoleRequiredMixin, View):
    """The scan of a signed sheet, to the office of its school."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        from django.shortcuts import get_object_or_404

        from accounts.roles import scoped
        from common.private_files import serve
        from common.validators import parse_id

        from .models import PaperSheet

        sheet = get_object_or_404(scoped(PaperSheet.objects.all(), request.user), pk=parse_id(pk))
        return serve(sheet.path, filename=f"signed-sheet-{sheet.week_start:%Y-%m-%d}-{sheet.pk}.pdf")


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
            standing = services.current_hash(event) == event.content_hash
            context.update(event=event, standing=standing, intact=services.event_is_intact(event))
        else:
            context["unknown"] = True
    response = render(request, "signatures/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
