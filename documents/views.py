"""Pages of the document engine: ask for a document, watch it being made, download it, list one's own.

Which documents there are, and who may ask for each, comes from the apps (registry.register_request): the
object's own access check, in the app's `prepare`, decides the rest.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.views.generic import ListView, TemplateView, View

from accounts.roles import READERS, RoleRequiredMixin, has_role
from common import private_files

from . import jobs
from .access import job_for, shows_error_detail
from .models import DocumentJob
from .registry import REQUESTS


class RequestDocumentView(RoleRequiredMixin, View):
    """Ask for one of the registered documents; the object's own access check decides the rest."""

    allowed_roles = READERS
    http_method_names = ["post"]

    def post(self, request, kind, pk):
        if kind not in REQUESTS:
            raise Http404
        document = REQUESTS[kind]
        if not has_role(request.user, document.roles):
            raise PermissionDenied
        params, title = document.prepare(request, pk)
        job = jobs.request_document(request.user, document.kind, params, str(title))
        return HttpResponseRedirect(job.get_absolute_url())


class JobView(RoleRequiredMixin, TemplateView):
    allowed_roles = READERS

    def get_template_names(self):
        return ["documents/partials/job_status.html" if self.request.htmx else "documents/job.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = job = job_for(self.request.user, kwargs["pk"])
        # What went wrong in a failed job is for the coordinators of its school; the person who asked reads a fixed
        # sentence.
        context["show_error_detail"] = job.status == DocumentJob.Status.FAILED and shows_error_detail(
            self.request.user, job
        )
        return context


class RetryJobView(RoleRequiredMixin, View):
    allowed_roles = READERS
    http_method_names = ["post"]

    def post(self, request, pk):
        job = job_for(request.user, pk)
        if job.status == DocumentJob.Status.FAILED:
            DocumentJob.objects.filter(pk=job.pk).update(
                status=DocumentJob.Status.QUEUED, progress=0, error="", error_detail=""
            )
            jobs.dispatch(job.pk)
        return HttpResponseRedirect(job.get_absolute_url())


class DownloadView(RoleRequiredMixin, View):
    """Files are private: they are served here after the check, never from a public URL."""

    allowed_roles = READERS

    def get(self, request, pk):
        job = job_for(request.user, pk)
        if job.status != DocumentJob.Status.DONE:
            raise Http404
        return private_files.serve(job.file, filename=job.filename)


class MyDocumentsView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "documents/documents.html"
    context_object_name = "jobs"
    paginate_by = 30

    def get_queryset(self):
        return DocumentJob.objects.filter(requested_by=self.request.user)
