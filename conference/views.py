"""The final conference: public pages (the event, registering, the confirmation, cancelling) and the
coordinators' pages (the event and its agenda and speakers, the registrations, the check-in on the day)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView, View

from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, coordinates, sees_restricted_of
from accounts.throttling import client_ip
from common import private_files
from common.lists import ListControlsMixin
from common.views import FormPageMixin, InlineFormSetView, SavedMessageMixin
from documents.models import DocumentJob
from placements.sites import SiteMixin, public_site

from . import services
from .access import event_for, event_to_change, events_for, registration_to_change
from .forms import AgendaFormSet, EventForm, RegistrationForm, SpeakerFormSet
from .models import Event, Registration, normalise_code

# Public pages: no sign-in


def get_published_event(project, pk):
    """A conference the public may see on `project`'s site: its published ones only, 404 otherwise."""
    return get_object_or_404(Event.objects.published().filter(project=project).select_related("project"), pk=pk)


def get_registration_by_code(project, code):
    """A registration by its personal code, on the site of its conference's project only."""
    return get_object_or_404(
        Registration.objects.select_related("event__project", "certificate_job"),
        event__project=project,
        code=normalise_code(code),
    )


def event_project(kwargs):
    return Event.objects.published().filter(pk=kwargs["pk"]).values_list("project__public_slug", flat=True)


def registration_project(kwargs):
    found = Registration.objects.filter(code=normalise_code(kwargs["code"]))
    return found.values_list("event__project__public_slug", flat=True)


def public_event_context(event):
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return {
        "event": event,
        "agenda": list(event.agenda.all()),
        "speakers": list(event.speakers.all()),
        "places_left": services.places_left(event, confirmed),
        "registration_open": services.is_open(event),
    }


class EventView(SiteMixin, TemplateView):
    """The project's current conference; a page that says so when none is announced yet (the navigation links
    here)."""

    template_name = "conference/event.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = Event.objects.filter(project=self.project).current()
        if event is not None:
            context.update(public_event_context(event))
        return context


class RegisterView(SiteMixin, View):
    template_name = "conference/register.html"

    def page(self, request, event, form, status=200):
        return render(request, self.template_name, public_event_context(event) | {"form": form}, status=status)

    def get(self, request, site, pk):
        event = get_published_event(self.project, pk)
        return self.page(request, event, RegistrationForm())

    def post(self, request, site, pk):
        event = get_published_event(self.project, pk)
        form = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                services.register(event.pk, form.cleaned_data, client_ip(request))
            except services.RegistrationRefused as error:
                form.add_error(None, str(error))
            else:
                # The same answer whether the address was new or already registered: the email says which.
                return HttpResponseRedirect(reverse("conference:register_done", args=[site, event.pk]))
        return self.page(request, event, form)


class RegisterDoneView(SiteMixin, View):
    """The answer to every accepted registration: look in your mailbox. It shows no code, no name and no
    status, so that it says nothing about whether the address was registered before."""

    def get(self, request, site, pk):
        event = get_published_event(self.project, pk)
        return render(request, "conference/register_done.html", public_event_context(event))


class RegisteredView(SiteMixin, TemplateView):
    """The confirmation: what the person registered for, their status and code, and how to cancel."""

    template_name = "conference/registered.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registration"] = get_registration_by_code(self.project, kwargs["code"])
        context["event"] = context["registration"].event
        return context


class CancelView(SiteMixin, View):
    template_name = "conference/cancel.html"

    def get(self, request, site, code):
        registration = get_registration_by_code(self.project, code)
        return render(request, self.template_name, {"registration": registration, "event": registration.event})

    def post(self, request, site, code):
        registration = get_registration_by_code(self.project, code)
        registration, _promoted = services.cancel(registration.code)
        return render(
            request,
            self.template_name,
            {"registration": registration, "event": registration.event, "just_cancelled": True},
        )


class MyCertificateView(SiteMixin, View):
    """The attendee's own certificate, with their code: asked for with a POST, made by the document jobs,
    downloaded from here once ready. Only for someone checked in; anyone else's code is a 404."""

    template_name = "conference/my_certificate.html"

    def registration(self, code):
        registration = get_registration_by_code(self.project, code)
        if registration.checked_in_at is None:
            raise Http404
        return registration

    def get(self, request, site, code):
        registration = self.registration(code)
        job = registration.certificate_job
        context = {"registration": registration, "event": registration.event, "job": job}
        if request.htmx:
            return render(request, "conference/partials/my_certificate_status.html", context)
        return render(request, self.template_name, context)

    def post(self, request, site, code):
        registration = self.registration(code)
        try:
            services.request_own_certificate(registration)
        except services.RegistrationRefused as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(registration.get_certificate_url())


def my_certificate_download(request, site, code):
    """The file of the attendee's own certificate job: this registration's, done, and still checked in."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    registration = get_registration_by_code(public_site(request, site), code)
    job = registration.certificate_job
    if (
        registration.checked_in_at is None
        or job is None
        or job.status != DocumentJob.Status.DONE
        or job.params.get("registration") != registration.pk
    ):
        raise Http404
    return private_files.serve(job.file, filename=job.filename)


# Coordinators' pages


class EventListView(RoleRequiredMixin, ListView):
    allowed_roles = OFFICE
    template_name = "conference/manage_list.html"
    context_object_name = "events"

    def get_queryset(self):
        return events_for(self.request.user).annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
            attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )


class EventCreateView(RoleRequiredMixin, FormPageMixin, SavedMessageMixin, CreateView):
    allowed_roles = WRITERS
    create_title = gettext_lazy("New conference")
    list_crumb = ("conference:manage", gettext_lazy("Conferences"))
    model = Event
    form_class = EventForm
    template_name = "placements/object_form.html"


class EventUpdateView(RoleRequiredMixin, FormPageMixin, SavedMessageMixin, UpdateView):
    allowed_roles = WRITERS
    list_crumb = ("conference:manage", gettext_lazy("Conferences"))
    form_class = EventForm
    template_name = "placements/object_form.html"

    def get_object(self, queryset=None):
        return event_to_change(self.request.user, self.kwargs["pk"])

    def form_valid(self, form):
        response = super().form_valid(form)
        promoted = services.update_capacity(self.object)
        if promoted:
            messages.info(self.request, _("More places: the first on the waiting list now have a place."))
        return response


class EventDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = OFFICE
    template_name = "conference/manage_event.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        return event_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        counts = dict(
            event.registrations.values_list("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
        )
        context.update(
            agenda=list(event.agenda.all()),
            speakers=list(event.speakers.all()),
            counts=counts,
            places_left=services.places_left(event, counts.get(Registration.Status.CONFIRMED, 0)),
            attended=event.registrations.filter(checked_in_at__isnull=False).count(),
            figures=services.figures(event.project),
            is_coordinator=coordinates(self.request.user, event),  # its changes: the event's school's coordinator
        )
        return context


class FormSetView(RoleRequiredMixin, InlineFormSetView):
    """The agenda or the speakers of a conference, edited as one form."""

    allowed_roles = WRITERS
    template_name = "conference/formset.html"
    wide_fields = ("bio", "title")

    def get_owner(self, request, pk):
        return event_to_change(request.user, pk)


class AgendaView(FormSetView):
    formset_class = AgendaFormSet
    title = gettext_lazy("Agenda")


class SpeakersView(FormSetView):
    formset_class = SpeakerFormSet
    title = gettext_lazy("Speakers")


class RegistrationListView(RoleRequiredMixin, ListControlsMixin, ListView):
    allowed_roles = OFFICE
    template_name = "conference/registration_list.html"
    context_object_name = "registrations"
    sort_options = {
        "date": ("created_at", "pk"),
        "-date": ("-created_at", "-pk"),
        "name": ("name", "pk"),
        "-name": ("-name", "-pk"),
        "organisation": ("organisation", "name", "pk"),
        "-organisation": ("-organisation", "name", "pk"),
    }
    default_sort = "date"

    def get(self, request, *args, **kwargs):
        self.event = event_for(request.user, kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.queryset = self.event.registrations.select_related("checked_in_by")
        return super().get_queryset()

    def apply_search(self, queryset, text):
        return queryset.search(text)

    def apply_filters(self, queryset, params):
        if params.get("type") in Registration.Type.values:
            queryset = queryset.filter(type=params["type"])
        if params.get("status") in Registration.Status.values:
            queryset = queryset.filter(status=params["status"])
        if params.get("local") == "yes":
            queryset = queryset.filter(local_employer=True)
        if params.get("attended") == "yes":
            queryset = queryset.filter(checked_in_at__isnull=False)
        elif params.get("attended") == "no":
            queryset = queryset.filter(checked_in_at__isnull=True)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            event=self.event,
            types=Registration.Type.choices,
            statuses=Registration.Status.choices,
            filters=self.request.GET,
            show_needs=sees_restricted_of(self.request.user, self.event),  # by the role in the event's school
            is_coordinator=sees_restricted_of(self.request.user, self.event),  # the check-in: the same rule
        )
        return context


CHECK_IN_LIMIT = 60


def check_in_rows(event, text):
    """Who the desk may look for: everyone not cancelled, by name; those waiting are shown without the button."""
    queryset = event.registrations.active().select_related("checked_in_by").order_by("name", "pk")
    text = (text or "").strip()[:100]
    if text:
        queryset = queryset.search(text)
    rows = list(queryset[: CHECK_IN_LIMIT + 1])
    return rows[:CHECK_IN_LIMIT], len(rows) > CHECK_IN_LIMIT


class CheckInView(RoleRequiredMixin, View):
    """The desk on the day: search by name or code, one tap per person. htmx swaps the results as one types;
    without JavaScript the search is a plain GET form and each button a plain POST."""

    allowed_roles = WRITERS

    def get(self, request, pk):
        event = event_to_change(request.user, pk)
        text = request.GET.get("q", "")
        rows, more = check_in_rows(event, text)
        context = {
            "event": event,
            "rows": rows,
            "more": more,
            "search_text": text,
            "attended": event.registrations.filter(checked_in_at__isnull=False).count(),
            "confirmed": event.registrations.filter(status=Registration.Status.CONFIRMED).count(),
        }
        if request.htmx and request.htmx.target == "check-in-results":
            return render(request, "conference/partials/check_in_results.html", context)
        return render(request, "conference/check_in.html", context)


class CheckInToggleView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        registration = registration_to_change(request.user, pk)
        error = None
        try:
            registration = services.check_in(registration.pk, request.user, undo=request.POST.get("undo") == "1")
        except services.RegistrationRefused as refused:
            error = str(refused)
        if request.htmx:
            event = registration.event
            context = {
                "registration": registration,
                "error": error,
                "search_text": request.POST.get("q", "")[:100],
                "oob": True,
                "attended": event.registrations.filter(checked_in_at__isnull=False).count(),
                "confirmed": event.registrations.filter(status=Registration.Status.CONFIRMED).count(),
            }
            return render(request, "conference/partials/check_in_row.html", context)
        if error:
            messages.error(request, error)
        url = reverse("conference:check_in", args=[registration.event_id])
        query = request.POST.get("q", "").strip()[:100]
        if query:
            url = f"{url}?{urlencode({'q': query})}"
        return HttpResponseRedirect(f"{url}#registration-{registration.pk}")
