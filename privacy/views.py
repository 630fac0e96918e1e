"""Pages of personal-data protection: a learner's files, consent withdrawal, anonymisation and the learners
due for it. Every view names its roles; files are reached only through `get_file_for`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from accounts.roles import READERS, RoleRequiredMixin, restricted_rows
from common import private_files
from participants.access import participant_to_change

from . import services
from .access import file_for, file_to_change
from .forms import AnonymiseForm, UploadForm, WithdrawConsentForm
from .models import PersonalDataLog, record


class FileAddView(RoleRequiredMixin, View):
    template_name = "privacy/file_form.html"

    def get(self, request, pk):
        participant = participant_to_change(request.user, pk)
        return render(request, self.template_name, {"participant": participant, "form": UploadForm()})

    def post(self, request, pk):
        participant = participant_to_change(request.user, pk)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.store_upload(
                    participant,
                    form.cleaned_data["kind"],
                    form.cleaned_data["description"],
                    form.cleaned_data["file"],
                    request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("The file was added."))
                return HttpResponseRedirect(participant.get_absolute_url() + "#h-files")
        return render(request, self.template_name, {"participant": participant, "form": form}, status=400)


class FileView(RoleRequiredMixin, View):
    """Files are private: served here after the check, as a download, never from a public URL."""

    allowed_roles = READERS

    def get(self, request, pk):
        learner_file = file_for(request.user, pk)
        if not storages["private"].exists(learner_file.path):
            raise Http404
        record(
            learner_file.participant, request.user, PersonalDataLog.Action.FILE_OPENED, learner_file.get_kind_display()
        )
        return private_files.serve(
            learner_file.path,
            filename=f"{learner_file.kind}-{learner_file.pk}.{learner_file.extension}",
            content_type=learner_file.content_type,
        )


class FileDeleteView(RoleRequiredMixin, View):
    def get(self, request, pk):
        learner_file = file_to_change(request.user, pk)
        return render(
            request, "privacy/file_delete.html", {"file": learner_file, "participant": learner_file.participant}
        )

    def post(self, request, pk):
        learner_file = file_to_change(request.user, pk)
        services.delete_file(learner_file, request.user)
        messages.success(request, _("The file was deleted."))
        return HttpResponseRedirect(learner_file.participant.get_absolute_url() + "#h-files")


class WithdrawConsentView(RoleRequiredMixin, View):
    template_name = "privacy/withdraw_consent.html"

    def dispatch_kind(self, kind):
        if kind not in services.CONSENTS:
            raise Http404
        return services.CONSENTS[kind][1]

    def get(self, request, pk, kind):
        label = self.dispatch_kind(kind)
        participant = participant_to_change(request.user, pk)
        context = {"participant": participant, "form": WithdrawConsentForm(), "label": label, "kind": kind}
        return render(request, self.template_name, context)

    def post(self, request, pk, kind):
        label = self.dispatch_kind(kind)
        participant = participant_to_change(request.user, pk)
        form = WithdrawConsentForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw_consent(participant, kind, form.cleaned_data["withdrawn_on"], request.user)
            except ValidationError as error:
                form.add_error("withdrawn_on", error)
            else:
                messages.success(request, _("The withdrawal of the %(consent)s was recorded.") % {"consent": label})
                return HttpResponseRedirect(participant.get_absolute_url())
        context = {"participant": participant, "form": form, "label": label, "kind": kind}
        return render(request, self.template_name, context, status=400)


class AnonymiseView(RoleRequiredMixin, View):
    template_name = "privacy/anonymise.html"

    def context(self, participant, form):
        refusal, early = services.anonymisation_refusal(participant)
        return {
            "participant": participant,
            "form": form,
            "refusal": refusal,
            "early": early,
            "due_on": services.anonymisation_due_on(participant),
        }

    def get(self, request, pk):
        participant = participant_to_change(request.user, pk)
        return render(request, self.template_name, self.context(participant, AnonymiseForm()))

    def post(self, request, pk):
        participant = participant_to_change(request.user, pk)
        form = AnonymiseForm(request.POST)
        if form.is_valid():
            try:
                services.anonymise(participant, request.user, form.cleaned_data["reason"])
            except services.NotYet as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                messages.success(request, _("The learner was anonymised."))
                return HttpResponseRedirect(participant.get_absolute_url())
        return render(request, self.template_name, self.context(participant, form), status=400)


class DueView(RoleRequiredMixin, ListView):
    """Learners whose retention period is over: the same list the daily task writes to the log."""

    template_name = "privacy/due.html"
    context_object_name = "participants"
    paginate_by = 50

    def get_queryset(self):
        # The learners whose personal data the user handles (a coordinator's schools'), not the installation's:
        # the daily task lists them all, for the IT person.
        return restricted_rows(services.due_for_anonymisation(), self.request.user)

    def get_context_data(self, **kwargs):
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        context["years"] = settings.PERSONAL_DATA_RETENTION_YEARS
        for participant in context["participants"]:
            participant.due_on = services.anonymisation_due_on(participant)
        return context
