"""The partnership pages: local employers (list and record), their profile, contacts, offers and introductions,
and the agreements with partners. Office reads, coordinators write."""

from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.models import Organisation
from accounts.roles import OFFICE, WRITERS, RoleRequiredMixin, coordinates, get_for, in_schools
from common.exceptions import NotAllowed
from common.validators import parse_id

from . import services
from .access import employer_to_change, partner_for, partner_to_change
from .forms import AgreementForm, ContactEventForm, IntroductionForm, OfferForm, OutcomeForm, ProfileForm
from .models import Agreement, Introduction, Offer, PartnerProfile


class EmployerListView(RoleRequiredMixin, TemplateView):
    allowed_roles = OFFICE
    template_name = "employers/employer_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        employers = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).select_related("profile")
        # An employer in several schools' address books (kept so by an upgrade): only this school's graduates'
        # introductions are counted.
        introductions = in_schools(Introduction.objects.filter(organisation=OuterRef("pk")), user)
        context["employers"] = list(
            in_schools(employers, user)
            .prefetch_related("profile__qualifications")
            .annotate(
                offer_count=Count("offers", distinct=True),
                introduction_count=Coalesce(
                    Subquery(introductions.order_by().values("organisation").annotate(n=Count("pk")).values("n")), 0
                ),
            )
            .order_by("name")
        )
        context["lapsing"] = list(in_schools(Agreement.objects.lapsing().select_related("organisation"), user))
        return context


class PartnerDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = OFFICE
    template_name = "employers/partner_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = partner_for(user, kwargs["pk"])
        profile = getattr(organisation, "profile", None)
        # Of a partner in several schools' address books, only this school's graduates' introductions.
        introductions = in_schools(Introduction.objects.select_related("participant"), user)
        context.update(
            organisation=organisation,
            profile=profile,
            qualifications=list(profile.qualifications.all()) if profile else [],
            people=list(organisation.contacts.all()),
            events=list(organisation.contact_events.select_related("recorded_by")[:50]),
            offers=list(
                organisation.offers.select_related("qualification").prefetch_related(
                    Prefetch("introductions", queryset=introductions)
                )
            ),
            introductions=list(introductions.filter(organisation=organisation).select_related("offer")),
            agreements=list(organisation.agreements.all()),
            contact_form=ContactEventForm(initial={"happened_on": timezone.localdate()}),
            outcomes=Introduction.Outcome.choices,
            commitments=[
                label
                for flag, label in (
                    ("offers_jobs", _("job offers")),
                    ("offers_interviews", _("interviews")),
                    ("hosts_visits", _("company visits")),
                )
                if profile and getattr(profile, flag)
            ],
            is_employer=organisation.kind == Organisation.Kind.EMPLOYER,
            # Its changes are offered to a coordinator of a school whose address book it is in (roles per school).
            is_coordinator=coordinates(user, organisation),
        )
        return context


class FormPage(RoleRequiredMixin, View):
    """A coordinator's form about one partner: GET shows it, POST saves and goes back to the partner's page."""

    allowed_roles = WRITERS
    template_name = "employers/form.html"
    title = ""

    def organisation(self, request, pk):
        return partner_to_change(request.user, pk)

    def form(self, organisation, data=None):
        raise NotImplementedError

    def save(self, form, organisation):
        form.save()

    def get(self, request, pk):
        organisation = self.organisation(request, pk)
        return self.page(request, organisation, self.form(organisation))

    def post(self, request, pk):
        organisation = self.organisation(request, pk)
        form = self.form(organisation, request.POST)
        if form.is_valid():
            try:
                self.save(form, organisation)
            except NotAllowed as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("employers:detail", args=[organisation.pk]))
        return self.page(request, organisation, form, status=400)

    def page(self, request, organisation, form, status=200):
        context = {"organisation": organisation, "form": form, "title": self.title}
        return render(request, self.template_name, context, status=status)


class ProfileView(FormPage):
    @property
    def title(self):
        return _("Partner profile")

    def form(self, organisation, data=None):
        profile = PartnerProfile.objects.filter(organisation=organisation).first() or PartnerProfile(
            organisation=organisation
        )
        return ProfileForm(data, instance=profile)


class ContactAddView(FormPage):
    @property
    def title(self):
        return _("Record a contact")

    def form(self, organisation, data=None):
        return ContactEventForm(data, initial={"happened_on": timezone.localdate()})

    def save(self, form, organisation):
        event = form.save(commit=False)
        event.organisation = organisation
        event.recorded_by = self.request.user
        event.save()


class OfferCreateView(FormPage):
    @property
    def title(self):
        return _("New offer")

    def organisation(self, request, pk):
        return employer_to_change(request.user, pk)

    def form(self, organisation, data=None):
        return OfferForm(data, instance=Offer(organisation=organisation))


class IntroduceView(FormPage):
    @property
    def title(self):
        return _("Introduce a graduate")

    def organisation(self, request, pk):
        return employer_to_change(request.user, pk)

    def form(self, organisation, data=None):
        initial = {"introduced_on": timezone.localdate(), "offer": parse_id(self.request.GET.get("offer"))}
        graduates = in_schools(services.graduates(), self.request.user)
        return IntroductionForm(data, initial=initial, organisation=organisation, graduates=graduates)

    def save(self, form, organisation):
        data = form.cleaned_data
        services.introduce(
            organisation_id=organisation.pk,
            participant_id=data["participant"].pk,
            consent=data["consent"],
            consent_on=data["consent_on"],
            by_id=self.request.user.pk,
            offer_id=data["offer"].pk if data["offer"] else None,
            introduced_on=data["introduced_on"],
            note=data["note"],
        )


class OutcomeView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request, pk):
        introduction = get_for(request.user, Introduction.objects.all(), pk=parse_id(pk), write=True)
        form = OutcomeForm(request.POST)
        if form.is_valid():
            services.set_outcome(introduction_id=introduction.pk, outcome=form.cleaned_data["outcome"])
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Choose an outcome."))
        return HttpResponseRedirect(reverse("employers:detail", args=[introduction.organisation_id]) + "#introductions")


class AgreementListView(RoleRequiredMixin, TemplateView):
    allowed_roles = OFFICE
    template_name = "employers/agreement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreements = in_schools(Agreement.objects.all(), self.request.user)
        context["agreements"] = list(agreements.select_related("organisation"))
        context["lapsing"] = set(agreements.lapsing().values_list("pk", flat=True))
        # Each agreement's edit link only where it opens: of the schools where the user is coordinator.
        changeable = in_schools(Agreement.objects.all(), self.request.user, write=True)
        context["changeable"] = set(changeable.values_list("pk", flat=True))
        context["today"] = timezone.localdate()
        return context


class AgreementCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def get(self, request):
        initial = {"organisation": parse_id(request.GET.get("organisation"))}
        return self.page(request, AgreementForm(initial=initial, user=request.user))

    def post(self, request):
        form = AgreementForm(request.POST, user=request.user)
        if form.is_valid():
            agreement = form.save()
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(agreement.get_absolute_url())
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        context = {"form": form, "title": _("New partnership agreement"), "organisation": None}
        return render(request, "employers/form.html", context, status=status)


class AgreementEditView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def agreement(self, request, pk):
        return get_for(request.user, Agreement.objects.select_related("organisation"), pk=parse_id(pk), write=True)

    def get(self, request, pk):
        agreement = self.agreement(request, pk)
        return self.page(request, AgreementForm(instance=agreement, user=request.user), agreement)

    def post(self, request, pk):
        agreement = self.agreement(request, pk)
        form = AgreementForm(request.POST, instance=agreement, user=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(agreement.get_absolute_url())
        return self.page(request, form, agreement, status=400)

    def page(self, request, form, agreement, status=200):
        context = {"form": form, "title": agreement.title, "organisation": agreement.organisation}
        return render(request, "employers/form.html", context, status=status)
