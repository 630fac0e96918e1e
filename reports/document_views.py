"""Pages for mobility certificates: ask for a learner's or a placement's, revoke one; the public check.

The document engine (documents/) makes and serves the files; this app registers what they say
(reports/documents.py).
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import View

from accounts.roles import OFFICE, READERS, WRITERS, RoleRequiredMixin, get_for
from documents import jobs
from documents.models import DocumentJob
from placements.access import assignment_for, placement_for

from . import certificates
from .models import Certificate


class RequestCertificateView(RoleRequiredMixin, View):
    allowed_roles = READERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = assignment_for(request.user, pk)
        title = _("Certificate of %(name)s") % {"name": assignment.participant.full_name}
        job = jobs.request_document(request.user, DocumentJob.Kind.CERTIFICATE, {"assignment": assignment.pk}, title)
        return HttpResponseRedirect(job.get_absolute_url())


class RequestPlacementCertificatesView(RoleRequiredMixin, View):
    allowed_roles = OFFICE
    http_method_names = ["post"]

    def post(self, request, pk):
        placement = placement_for(request.user, pk)
        if request.POST.get("format") == "pdf":
            kind, title = DocumentJob.Kind.PLACEMENT_CERTIFICATES_PDF, _("Certificates of %(placement)s, to print")
        else:
            kind, title = DocumentJob.Kind.PLACEMENT_CERTIFICATES, _("Certificates of %(placement)s")
        job = jobs.request_document(
            request.user, kind, {"placement": placement.pk}, title % {"placement": placement.title}
        )
        return HttpResponseRedirect(job.get_absolute_url())


class RevokeCertificateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        certificate = get_for(request.user, Certificate.objects.select_related("assignment__participant"), pk=pk)
        try:
            certificates.revoke(certificate, request.user, request.POST.get("reason", ""))
            messages.success(request, _("Certificate %(number)s was revoked.") % {"number": certificate.number})
        except certificates.NotIssuable as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(certificate.assignment.participant.get_absolute_url())


@require_GET
def verify(request, code):
    """Public: whether a certificate is valid, with the holder's name, the dates and the issuer; nothing else."""
    certificate = Certificate.objects.filter(verification_code=code).first()
    status = 200 if certificate else 404
    return render(request, "reports/verify.html", {"certificate": certificate}, status=status)
