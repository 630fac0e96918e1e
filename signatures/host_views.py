"""The coordinator sends a host company's representative a link to sign a learning agreement; the public page
the link opens sends a one-time code to the same address and takes the signature (signatures/host_links.py)."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from accounts.roles import WRITERS, RoleRequiredMixin
from accounts.throttling import client_ip
from common.validators import parse_id
from placements.access import assignment_to_change
from placements.models import ContactPerson

from . import host_links, services


def host_contacts(assignment):
    """The host company's contact people with an address: those a link may go to."""
    if not assignment.host_company_id:
        return ContactPerson.objects.none()
    return ContactPerson.objects.filter(organisation_id=assignment.host_company_id).exclude(email="")


class SendHostLinkView(RoleRequiredMixin, View):
    """A coordinator sends the link to one of the host company's contact people (an id of the host's own
    contacts only: another organisation's contact in the body is refused)."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        back = reverse("signatures:sign_agreement", args=[assignment.pk])
        contact = host_contacts(assignment).filter(pk=parse_id(request.POST.get("contact"))).first()
        if contact is None:
            messages.error(request, _("Choose one of the host company's contact people with an e-mail address."))
            return HttpResponseRedirect(back)
        host_links.send_link(user=request.user, assignment=assignment, name=contact.name, email=contact.email)
        messages.success(
            request, _("The link to sign was sent to %(email)s. It is valid for 14 days.") % {"email": contact.email}
        )
        return HttpResponseRedirect(back)


class HostSignView(View):
    """Public, by the link's token: the agreement, a button that sends the code, and the signing form."""

    def page(self, request, token, link, status=200, **more):
        state = services.agreement_states([link.assignment])[link.assignment.pk]
        context = {
            "link": link,
            "token": token,
            "state": state,
            "data": state["data"],
            "assignment": state["assignment"],
            "consent_host": _(services.AGREEMENT_CONSENT[services.HOST]),
            **more,
        }
        response = render(request, "signatures/host_sign.html", context, status=status)
        response["X-Robots-Tag"] = "noindex"
        # The token is in the address: no other site gets it as a referrer (same-origin keeps the form's Origin
        # header, which the CSRF check needs; no-referrer makes browsers send "null").
        response["Referrer-Policy"] = "same-origin"
        return response

    def gone(self, request, error):
        response = render(request, "signatures/host_sign.html", {"gone": str(error)}, status=410)
        response["X-Robots-Tag"] = "noindex"
        return response

    def link(self, request, token):
        try:
            link = host_links.usable_link(token)
        except host_links.LinkError as error:
            return None, self.gone(request, error)
        if link is None:
            raise Http404
        return link, None

    def get(self, request, token):
        link, refused = self.link(request, token)
        return refused or self.page(request, token, link)

    def post(self, request, token):
        link, refused = self.link(request, token)
        if refused:
            return refused
        if request.POST.get("action") == "code":
            try:
                host_links.send_code(link)
            except host_links.LinkError as error:
                return self.page(request, token, link, status=429, error=str(error), code_sent=True)
            return self.page(request, token, link, code_sent=True)
        try:
            if not request.POST.get("consent"):
                raise services.SignatureError(_("Tick the sentence to agree to it before signing."))
            host_links.sign(
                token=token,
                code=request.POST.get("code", ""),
                typed_name=request.POST.get("typed_name", ""),
                strokes=services.clean_strokes(request.POST.get("strokes")),
                shown_hash=request.POST.get("shown_hash", ""),
                consent_text=_(services.AGREEMENT_CONSENT[services.HOST]),
                device_time=request.POST.get("device_time", ""),
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except services.SignatureError as error:
            return self.page(request, token, link, status=400, error=str(error), code_sent=True)
        response = render(request, "signatures/host_sign.html", {"done": True})
        response["X-Robots-Tag"] = "noindex"
        return response
