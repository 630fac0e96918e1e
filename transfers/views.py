from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accounts.roles import RoleRequiredMixin, scoped
from common import private_files

from .access import batch_to_change
from .files import FileProblem
from .forms import UploadForm
from .kinds import spec_for
from .models import ExportRecord, ImportBatch, Kind
from .services import ImportRefused, commit_batch, export_file, forget_file, plan_batch, receive_upload

FORMATS = ("csv", "xlsx")
LIST_PAGES = {
    Kind.PARTICIPANTS: "participants:list",
    Kind.ORGANISATIONS: "placements:organisation_list",
    Kind.PLACEMENTS: "placements:list",
    Kind.ASSIGNMENTS: "placements:list",
}


def get_spec(kind):
    spec = spec_for(kind)
    if spec is None:
        raise Http404
    return spec


class TransfersHomeView(RoleRequiredMixin, TemplateView):
    template_name = "transfers/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = Kind.choices
        user = self.request.user
        context["imports"] = scoped(ImportBatch.objects.select_related("uploaded_by"), user)[:10]
        context["exports"] = scoped(ExportRecord.objects.select_related("exported_by"), user)[:10]
        return context


class ImportView(RoleRequiredMixin, View):
    """The upload page of one kind, with its columns, template and export; an upload leads to the preview."""

    def page(self, request, spec, form, status=200):
        context = {
            "spec": spec,
            "kind_label": Kind(spec.kind).label,
            "columns": spec.columns_for(request.user),
            "form": form,
            "list_url": reverse(LIST_PAGES[spec.kind]),
        }
        return render(request, "transfers/import.html", context, status=status)

    def get(self, request, kind):
        return self.page(request, get_spec(kind), UploadForm())

    def post(self, request, kind):
        spec = get_spec(kind)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = receive_upload(spec.kind, form.cleaned_data["file"], request.user)
            except FileProblem as problem:
                form.add_error("file", str(problem))
            else:
                return HttpResponseRedirect(reverse("transfers:batch", args=[batch.pk]))
        return self.page(request, spec, form, status=400)


class BatchView(RoleRequiredMixin, View):
    """GET: what the file will do, row by row. POST: do it, all or nothing."""

    def page(self, request, batch, plan=None, status=200):
        context = {
            "batch": batch,
            "plan": plan,
            "kind_label": Kind(batch.kind).label,
            "list_url": reverse(LIST_PAGES[batch.kind]),
        }
        return render(request, "transfers/batch.html", context, status=status)

    def get(self, request, pk):
        batch = batch_to_change(request.user, pk)
        if batch.status != ImportBatch.Status.PENDING:
            return self.page(request, batch)
        return self.page(request, batch, plan_batch(batch))

    def post(self, request, pk):
        batch = batch_to_change(request.user, pk)
        if batch.status != ImportBatch.Status.PENDING:
            return HttpResponseRedirect(request.path)
        try:
            commit_batch(batch)
        except ImportRefused as refused:
            # The corrected spreadsheet comes as a new upload; this one is of no further use.
            forget_file(batch, ImportBatch.Status.DISCARDED)
            messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
            return self.page(request, batch, refused.plan, status=400)
        messages.success(request, _("The file was imported."))
        return HttpResponseRedirect(request.path)


class DiscardView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        batch = batch_to_change(request.user, pk)
        if batch.status == ImportBatch.Status.PENDING:
            forget_file(batch, ImportBatch.Status.DISCARDED)
            messages.success(request, _("The uploaded file was deleted; nothing was imported."))
        return HttpResponseRedirect(reverse("transfers:import", args=[batch.kind]))


class DownloadView(RoleRequiredMixin, View):
    """The export of one kind (logged), or its empty template, as CSV or XLSX."""

    template = False

    def get(self, request, kind, file_format):
        spec = get_spec(kind)
        if file_format not in FORMATS:
            raise Http404
        content, content_type, filename = export_file(spec.kind, file_format, request.user, template=self.template)
        return private_files.protect(HttpResponse(content, content_type=content_type), filename)
