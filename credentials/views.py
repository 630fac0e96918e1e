"""Europass Mobility documents and digital credentials: the coordinator reviews and issues them per flow; the
office downloads them; the learner downloads their own from their My trip link."""

from __future__ import annotations

import io
import json
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, coordinates, has_role
from common import private_files
from documents.registry import NotIssuable
from placements.access import assignment_to_change, placement_for
from placements.models import Assignment

from . import services
from .access import europass_for, europass_to_change
from .forms import EuropassTextsForm
from .models import EuropassMobility

NAMES = services.FILES


def serve(content, filename, content_type):
    """Bytes made in this request (a ZIP of kept files, the fields as JSON) as a private download."""
    return private_files.protect(HttpResponse(content, content_type=content_type), filename)


def kept_file(europass, name):
    if name not in NAMES or not europass.issued or name not in europass.files:
        raise Http404
    content_type = "application/json" if name == "elm" else "application/pdf"
    return private_files.serve(
        europass.files[name], filename=services.filename(europass, name), content_type=content_type
    )


class FlowView(RoleRequiredMixin, View):
    """A flow's learners: whose Europass Mobility can be drafted, is being reviewed, or is issued."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        placement = placement_for(request.user, pk)
        assignments = list(
            Assignment.objects.filter(placement=placement)
            .exclude(status=Assignment.Status.WITHDRAWN)
            .select_related("participant", "europass", "certificate")
            .order_by("participant__name_key")
        )
        rows = []
        for assignment in assignments:
            europass = getattr(assignment, "europass", None)
            rows.append({"assignment": assignment, "europass": europass, "files": NAMES})
        ended = placement.end_date <= services.today()
        issued = [row["europass"] for row in rows if row["europass"] and "elm" in row["europass"].files]
        return render(
            request,
            "credentials/flow.html",
            {
                "placement": placement,
                "rows": rows,
                "ended": ended,
                "credentials_ready": len(issued),
                "perms_write": has_role(request.user, WRITERS),
            },
        )


class DraftView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk)
        try:
            europass = services.draft_for(assignment, request.user)
        except NotIssuable as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(reverse("credentials:flow", args=[assignment.placement_id]))
        return HttpResponseRedirect(reverse("credentials:edit", args=[europass.pk]))


class EditView(RoleRequiredMixin, View):
    """The coordinator reviews the texts before issuing; the facts come from the certificate and stay."""

    allowed_roles = OFFICE

    def page(self, request, europass, form, status=200):
        return render(
            request,
            "credentials/edit.html",
            {
                "europass": europass,
                "form": form,
                "facts": europass.assignment.certificate.data,
                # The texts are changed and issued by the learner's school's coordinator (roles per school);
                # everyone else reads them.
                "can_write": coordinates(request.user, europass),
            },
            status=status,
        )

    def get(self, request, pk):
        europass = europass_for(request.user, pk)
        return self.page(request, europass, EuropassTextsForm(instance=europass))

    def post(self, request, pk):
        if not has_role(request.user, WRITERS):
            raise PermissionDenied
        europass = europass_to_change(request.user, pk)
        form = EuropassTextsForm(request.POST, instance=europass)
        if not form.is_valid():
            return self.page(request, europass, form, status=400)
        try:
            services.update_texts(europass, form.cleaned_data)
        except services.CredentialRefused as refused:
            form.add_error(None, str(refused))
            return self.page(request, europass, form, status=400)
        messages.success(request, _("Saved. Read it once more, then issue it."))
        return HttpResponseRedirect(reverse("credentials:edit", args=[europass.pk]))


class IssueView(RoleRequiredMixin, View):
    """Issuing freezes the text for good: the page says so and asks first."""

    allowed_roles = WRITERS

    def get(self, request, pk):
        europass = europass_to_change(request.user, pk)
        return render(request, "credentials/issue.html", {"europass": europass})

    def post(self, request, pk):
        europass = europass_to_change(request.user, pk)
        try:
            services.issue(europass, request.user)
        except services.CredentialRefused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(reverse("credentials:edit", args=[europass.pk]))
        messages.success(request, _("Issued. The PDFs and the digital credential are being made; they appear here."))
        return HttpResponseRedirect(reverse("credentials:flow", args=[europass.assignment.placement_id]))


class MakeFilesView(RoleRequiredMixin, View):
    """Make an issued document's files again if the worker never did (a lost task)."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        europass = europass_to_change(request.user, pk)
        if europass.issued and set(NAMES) - set(europass.files):
            from .tasks import make_files

            make_files.delay(europass.pk)
            messages.success(request, _("The files are being made."))
        return HttpResponseRedirect(reverse("credentials:flow", args=[europass.assignment.placement_id]))


class FileView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk, name):
        return kept_file(europass_for(request.user, pk), name)


class EuropassDataView(RoleRequiredMixin, View):
    """The issued document's fields as JSON, to copy into the National Europass Centre's own form."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        europass = europass_for(request.user, pk)
        if not europass.issued:
            raise Http404
        body = json.dumps(services.europass_fields(europass), ensure_ascii=False, indent=2).encode()
        name = services.filename(europass, "pdf-en").replace(".pdf", ".json").replace("-en.json", "-data.json")
        return serve(body, name, "application/json")


class FlowCredentialsView(RoleRequiredMixin, View):
    """Every issued credential of a flow as one ZIP, to load into the issuer in one go."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        placement = placement_for(request.user, pk)
        kept = EuropassMobility.objects.filter(
            assignment__placement=placement, status=EuropassMobility.Status.ISSUED
        ).select_related("assignment__participant")
        storage = storages["private"]
        buffer = io.BytesIO()
        count = 0
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for europass in kept:
                path = europass.files.get("elm")
                if path and storage.exists(path):
                    with storage.open(path, "rb") as handle:
                        archive.writestr(services.filename(europass, "elm"), handle.read())
                    count += 1
        if not count:
            raise Http404
        return serve(buffer.getvalue(), f"credentials-{placement.pk}.zip", "application/zip")


def learner_file(request, token, name):
    """The learner's own Europass Mobility and credential, from their My trip link (no account)."""
    if request.method != "GET":
        return HttpResponse(status=405)
    from common.tokens import hash_token
    from preparation.models import TripLink

    link = get_object_or_404(TripLink.objects.active().select_related("assignment"), token_hash=hash_token(token))
    europass = get_object_or_404(EuropassMobility, assignment=link.assignment)
    response = kept_file(europass, name)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
