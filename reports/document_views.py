"""Pages for documents: ask for one, watch it being made, download it; the public certificate check."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import ListView, TemplateView, View

from accounts.models import Role
from accounts.roles import OFFICE, READERS, WRITERS, RoleRequiredMixin, has_role, role_of
from attendance.forms import parse_day
from attendance.models import week_start
from placements.models import Project
from placements.views import get_assignment_for, get_placement_for

from . import certificates, jobs
from .models import Certificate, DocumentJob

# Documents only a coordinator may ask for or download, even one who has since lost the role.
COORDINATOR_ONLY = {DocumentJob.Kind.LEARNER_DATA_EXPORT}


def get_job_for(user, pk):
    """A coordinator sees every job; everyone else only the jobs they asked for."""
    queryset = DocumentJob.objects.select_related("requested_by")
    if role_of(user) != Role.COORDINATOR:
        queryset = queryset.filter(requested_by=user).exclude(kind__in=COORDINATOR_ONLY)
    return get_object_or_404(queryset, pk=pk)


class RequestCertificateView(RoleRequiredMixin, View):
    allowed_roles = READERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_assignment_for(request.user, pk)
        title = _("Certificate of %(name)s") % {"name": assignment.participant.full_name}
        job = jobs.request_document(request.user, DocumentJob.Kind.CERTIFICATE, {"assignment": assignment.pk}, title)
        return HttpResponseRedirect(job.get_absolute_url())


class RequestPlacementCertificatesView(RoleRequiredMixin, View):
    allowed_roles = OFFICE
    http_method_names = ["post"]

    def post(self, request, pk):
        placement = get_placement_for(request.user, pk)
        if request.POST.get("format") == "pdf":
            kind, title = DocumentJob.Kind.PLACEMENT_CERTIFICATES_PDF, _("Certificates of %(placement)s, to print")
        else:
            kind, title = DocumentJob.Kind.PLACEMENT_CERTIFICATES, _("Certificates of %(placement)s")
        job = jobs.request_document(
            request.user, kind, {"placement": placement.pk}, title % {"placement": placement.title}
        )
        return HttpResponseRedirect(job.get_absolute_url())


def _assignment_document(kind, title):
    def prepare(request, pk):
        assignment = get_assignment_for(request.user, pk)
        return {"assignment": assignment.pk}, title % {"name": assignment.participant.full_name}

    return kind, READERS, prepare


def _attendance_sheet(request, pk):
    placement = get_placement_for(request.user, pk)
    day = parse_day(request.POST.get("week", "")) or timezone.localdate()
    monday = week_start(min(max(day, placement.start_date), placement.end_date))
    title = _("Attendance sheet of %(placement)s, week of %(day)s") % {"placement": placement.title, "day": monday}
    return {"placement": placement.pk, "week": monday.isoformat()}, title


def _final_report(title):
    def prepare(request, pk):
        project = get_object_or_404(Project, pk=pk)
        return {"project": project.pk}, title % {"project": project.title}

    return prepare


def _conference_certificate(request, pk):
    from conference.views import get_registration_for

    registration = get_registration_for(request.user, pk)
    return {"registration": registration.pk}, _("Certificate of attendance of %(name)s") % {"name": registration.name}


def _conference_certificates(request, pk):
    from conference.views import get_event_for

    event = get_event_for(request.user, pk)
    return {"event": event.pk}, _("Certificates of attendance, %(event)s") % {"event": event.title}


def _learner_data(request, pk):
    from privacy.export import request_export

    return request_export(request, pk)


# kind in the URL: (job kind, roles that may ask, function giving the job's parameters and title)
DOCUMENTS = {
    "learner-data": (DocumentJob.Kind.LEARNER_DATA_EXPORT, WRITERS, _learner_data),
    "learning-agreement": _assignment_document(
        DocumentJob.Kind.LEARNING_AGREEMENT, gettext_lazy("Learning agreement of %(name)s")
    ),
    "attendance-record": _assignment_document(
        DocumentJob.Kind.ATTENDANCE_RECORD, gettext_lazy("Attendance record of %(name)s")
    ),
    "attendance-sheet": (DocumentJob.Kind.ATTENDANCE_SHEET, READERS, _attendance_sheet),
    "conference-certificate": (DocumentJob.Kind.CONFERENCE_CERTIFICATE, OFFICE, _conference_certificate),
    "conference-certificates": (DocumentJob.Kind.CONFERENCE_CERTIFICATES, OFFICE, _conference_certificates),
    "final-report": (DocumentJob.Kind.FINAL_REPORT, OFFICE, _final_report(gettext_lazy("Final report of %(project)s"))),
    "final-report-xlsx": (
        DocumentJob.Kind.FINAL_REPORT_XLSX,
        OFFICE,
        _final_report(gettext_lazy("Final report of %(project)s (spreadsheet)")),
    ),
}


class RequestDocumentView(RoleRequiredMixin, View):
    """Ask for one of the documents in DOCUMENTS; the object's own access check decides the rest."""

    allowed_roles = READERS
    http_method_names = ["post"]

    def post(self, request, kind, pk):
        if kind not in DOCUMENTS:
            raise Http404
        job_kind, roles, prepare = DOCUMENTS[kind]
        if not has_role(request.user, roles):
            raise PermissionDenied
        params, title = prepare(request, pk)
        job = jobs.request_document(request.user, job_kind, params, str(title))
        return HttpResponseRedirect(job.get_absolute_url())


class JobView(RoleRequiredMixin, TemplateView):
    allowed_roles = READERS

    def get_template_names(self):
        return ["reports/partials/job_status.html" if self.request.htmx else "reports/job.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = get_job_for(self.request.user, kwargs["pk"])
        return context


class RetryJobView(RoleRequiredMixin, View):
    allowed_roles = READERS
    http_method_names = ["post"]

    def post(self, request, pk):
        job = get_job_for(request.user, pk)
        if job.status == DocumentJob.Status.FAILED:
            DocumentJob.objects.filter(pk=job.pk).update(status=DocumentJob.Status.QUEUED, progress=0, error="")
            jobs.dispatch(job.pk)
        return HttpResponseRedirect(job.get_absolute_url())


class DownloadView(RoleRequiredMixin, View):
    """Files are private: they are served here after the check, never from a public URL."""

    allowed_roles = READERS

    def get(self, request, pk):
        job = get_job_for(request.user, pk)
        storage = storages["private"]
        if job.status != DocumentJob.Status.DONE or not job.file or not storage.exists(job.file):
            raise Http404
        return FileResponse(storage.open(job.file, "rb"), as_attachment=True, filename=job.filename)


class MyDocumentsView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "reports/documents.html"
    context_object_name = "jobs"
    paginate_by = 30

    def get_queryset(self):
        return DocumentJob.objects.filter(requested_by=self.request.user)


class RevokeCertificateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        certificate = get_object_or_404(Certificate.objects.select_related("assignment__participant"), pk=pk)
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
