"""The money's pages: coordinators write, staff read, mentors see none of it (every view admits OFFICE at most)."""

from decimal import Decimal

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import ListView, View

from accounts.models import Organisation
from accounts.roles import (
    OFFICE,
    WRITERS,
    CatalogueAdminMixin,
    RoleRequiredMixin,
    coordinates,
    get_for,
    organisations_to_change,
)
from common import private_files
from common.templatetags.mobility_tags import money
from common.urls import url_for_each
from common.validators import parse_id
from placements.access import (
    assignment_for,
    assignment_to_change,
    placement_for,
    placement_to_change,
    project_for,
    project_to_change,
    projects_for,
    projects_to_change,
)
from placements.models import Assignment, Placement

from . import (
    allowances,
    beneficiary_module,
    charts,
    gazetteer,
    inforeuro,
    module_import,
    reconciliation,
    selectors,
    services,
)
from .access import payment_to_change, rate_table_for, rate_table_to_change
from .forms import (
    BAND_ROWS,
    GROUP_ROWS,
    AccompanyingForm,
    AgencyPaymentFormSet,
    AllowanceForm,
    BandFormSet,
    CitySearchForm,
    GroupFormSet,
    InforEuroForm,
    LocationForm,
    MobilityGrantForm,
    ModuleFiguresForm,
    ModuleImportForm,
    PaymentForm,
    PreparatoryVisitForm,
    ProjectGrantForm,
    RateTableForm,
    RealCostForm,
    SignedCopyForm,
    band_formset,
    copied_table,
    group_formset,
)
from .models import (
    AccompanyingPerson,
    ExchangeRate,
    Location,
    ModuleFigures,
    Payment,
    PreparatoryVisit,
    ProjectGrant,
    RateTable,
    Receipt,
    TravelMode,
)


def _is_coordinator(user, obj):
    """Whether the page of `obj` (a project, a flow) offers its changes: to its school's coordinator (roles per
    school: coordinator at one school and staff at another reads the second's money, changes nothing of it)."""
    return coordinates(user, obj)


# Rate tables


class RateTableListView(RoleRequiredMixin, ListView):
    allowed_roles = OFFICE
    template_name = "grants/rate_table_list.html"
    context_object_name = "tables"
    queryset = RateTable.objects.annotate(
        band_count=Count("bands", distinct=True), group_count=Count("groups", distinct=True)
    )


class RateTableDetailView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        table = rate_table_for(request.user, pk)
        return render(request, "grants/rate_table_detail.html", {"table": table})


class RateTableFormView(CatalogueAdminMixin, View):
    """The table, its distance bands and its country groups on one page, saved together or not at all. A new
    table may start from another one (`?from=<table>&year=<call year>`): copy, then correct."""

    allowed_roles = WRITERS

    def get_table(self, pk):
        return rate_table_to_change(self.request.user, pk) if pk else RateTable()

    def get(self, request, pk=None):
        table = self.get_table(pk)
        previous = None
        if pk is None and "from" in request.GET:
            previous = rate_table_for(request.user, parse_id(request.GET["from"]) or 0)
        year = parse_id(request.GET.get("year", "")) or None
        if previous is not None:
            initial, bands, groups = copied_table(previous, year or previous.call_year + 1)
            return self.page(
                table,
                RateTableForm(instance=table, initial=initial),
                band_formset(len(bands) + 1)(instance=table, initial=bands),
                group_formset(len(groups))(instance=table, initial=groups),
                previous,
            )
        initial = {"call_year": year} if year else {}
        extra = (1, 1) if pk else (BAND_ROWS, GROUP_ROWS)
        return self.page(
            table,
            RateTableForm(instance=table, initial=initial),
            band_formset(extra[0])(instance=table),
            group_formset(extra[1])(instance=table),
        )

    def post(self, request, pk=None):
        table = self.get_table(pk)
        form = RateTableForm(request.POST, instance=table)
        bands = BandFormSet(request.POST, instance=table)
        groups = GroupFormSet(request.POST, instance=table)
        if not (form.is_valid() & bands.is_valid() & groups.is_valid()):
            return self.page(table, form, bands, groups)
        keep = [f.cleaned_data for f in bands.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        keep_groups = [f.cleaned_data for f in groups.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            table = services.save_rate_table(table=form.save(commit=False), bands=keep, groups=keep_groups)
        except ValidationError as error:
            form.add_error(None, error)
            return self.page(table, form, bands, groups)
        messages.success(request, _("The rate table was saved. Figures already reported keep their snapshot."))
        return HttpResponseRedirect(table.get_absolute_url())

    def page(self, table, form, bands, groups, previous=None):
        context = {"table": table, "form": form, "bands": bands, "groups": groups, "previous": previous}
        return render(self.request, "grants/rate_table_form.html", context)


# Coordinates


class LocationView(RoleRequiredMixin, View):
    """An organisation's coordinates: picked from the offline gazetteer or typed."""

    allowed_roles = WRITERS

    def get(self, request, pk):
        organisation = get_object_or_404(organisations_to_change(Organisation.objects.all(), request.user), pk=pk)
        location = Location.objects.filter(organisation=organisation).first()
        return self.page(organisation, LocationForm(instance=location, initial={"place": organisation.city}))

    def post(self, request, pk):
        organisation = get_object_or_404(organisations_to_change(Organisation.objects.all(), request.user), pk=pk)
        location = Location.objects.filter(organisation=organisation).first()
        if "geonames_id" in request.POST:
            city = gazetteer.by_id(parse_id(request.POST["geonames_id"]) or 0)
            if city is None:
                messages.error(request, _("That city is not in the gazetteer; type the coordinates instead."))
                return HttpResponseRedirect(request.path)
            services.set_location(
                organisation_id=organisation.pk,
                place=f"{city.name} ({city.country})",
                latitude=Decimal(str(round(city.latitude, 5))),
                longitude=Decimal(str(round(city.longitude, 5))),
                geonames_id=city.geonames_id,
            )
        else:
            form = LocationForm(request.POST, instance=location or Location(organisation=organisation))
            if not form.is_valid():
                return self.page(organisation, form)
            data = form.cleaned_data
            services.set_location(
                organisation_id=organisation.pk,
                place=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
        messages.success(request, _("The coordinates of “%(name)s” were saved.") % {"name": organisation})
        return HttpResponseRedirect(organisation.get_absolute_url())

    def page(self, organisation, form):
        search = CitySearchForm(self.request.GET or {"q": organisation.city})
        cities = gazetteer.search(search.data.get("q", ""), str(organisation.country.code)) if search.is_valid() else []
        context = {"organisation": organisation, "form": form, "search": search, "cities": cities}
        return render(self.request, "grants/location_form.html", context)


# The project's budget


LEARNER_ROW = """
    <tr{}>
      <td>
        <a href="{}">{}</a>
        {}
        {}
      </td>
      <td>{}</td>
      <td class="text-end text-nowrap">{}</td>
      <td>{}</td>
      <td>{}</td>
      <td class="text-end">{}</td>
      <td class="text-end">{}</td>
      <td class="text-end">{}</td>
    </tr>
    """


def learner_rows(budget, mobility_url, modes):
    """The budget page's learners table, a row per mobility, written here rather than in the template (the same
    markup, whitespace included: the template's loop was a tenth of the page's cost); escaped as the template
    escapes, numbers localised as it localises them."""
    limits = format_html('<span class="badge text-bg-danger">{}</span>', _("check the limits"))
    changed = format_html('<span class="badge text-bg-secondary">{}</span>', _("changed"))
    written = {}  # (column, value) -> the cell as the page writes it, escaped: the rows repeat a few flows, bands,
    # modes, days and amounts (the page's language is the same for every row)

    def cell(column, value, write):
        key = (column, value)
        if key not in written:
            written[key] = conditional_escape(write(value))
        return written[key]

    def km(value):
        return "–" if value is None else format_html("{} km", floatformat(value, "0g"))

    rows = []
    for row in budget.mobilities:
        planned, actual, placement = row.planned, row.actual, row.assignment.placement
        css = ""
        if row.at_risk or row.eligibility:
            css = ' class="table-danger"'
        elif row.changes:
            css = ' class="table-warning"'
        rows.append(
            mark_safe(
                LEARNER_ROW.format(
                    css,
                    conditional_escape(mobility_url(row.assignment.pk)),
                    conditional_escape(row.assignment.participant),
                    limits if row.eligibility else "",
                    changed if row.changes else "",
                    cell("flow", placement.pk, lambda _pk, placement=placement: placement),
                    cell("km", planned.km, km),
                    cell("band", planned.band_label, lambda label: label or "–"),
                    cell("mode", row.grant.travel_mode, lambda mode: modes.get(mode, mode)),
                    cell("days", actual.days, localize),
                    "–" if budget.missing else cell("amount", planned.total, lambda amount: money(amount, "")),
                    "–" if budget.missing else cell("amount", actual.total, lambda amount: money(amount, "")),
                )
            )
        )
    return rows


class BudgetView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        # project_for's query, with the sending organisation's coordinates the budget's distances start from.
        project = get_object_or_404(
            projects_for(request.user).select_related("sending_organisation__location"), pk=parse_id(pk)
        )
        # The flows the page lists, read once for the page and for the budget's rows.
        placements = list(project.placements.select_related("receiving_partner__location"))
        budget = selectors.project_budget(project, placements)
        # Each learner's link and travel label from one reverse() and one dict, not one per row.
        modes = {mode: str(label) for mode, label in TravelMode.choices}  # translated once, not once a row
        rows = learner_rows(budget, url_for_each("grants:mobility"), modes)
        year = selectors.call_year(project, budget.grant)
        previous = None
        if budget.rates is None:
            previous = RateTable.objects.filter(call_year__lt=year).order_by("-call_year").first()
        context = {
            "project": project,
            "budget": budget,
            "call_year": year,
            "previous_table": previous,
            "chart": charts.budget_chart(budget.categories) if not budget.missing else "",
            "snapshot": project.budget_snapshots.first(),
            "is_coordinator": _is_coordinator(request.user, project),
            "learner_rows": rows,
            "placements": placements,
        }
        return render(request, "grants/budget.html", context)


class ProjectGrantEditView(RoleRequiredMixin, View):
    """The grant agreement's figures (the agreement number is the project's reference) and the payments
    received from the National Agency, on one page."""

    allowed_roles = WRITERS

    def get_grant(self, project):
        return ProjectGrant.objects.filter(project=project).first() or ProjectGrant(
            project=project, call_year=selectors.call_year(project)
        )

    def get(self, request, pk):
        project = project_to_change(request.user, pk)
        grant = self.get_grant(project)
        return self.page(project, ProjectGrantForm(instance=grant), AgencyPaymentFormSet(instance=grant))

    def post(self, request, pk):
        project = project_to_change(request.user, pk)
        grant = self.get_grant(project)
        form = ProjectGrantForm(request.POST, instance=grant)
        payments = AgencyPaymentFormSet(request.POST, instance=grant)
        if not (form.is_valid() & payments.is_valid()):
            return self.page(project, form, payments)
        services.save_grant(grant=form.save(commit=False), agency_payments=payments, user=request.user)
        messages.success(request, _("The grant was saved."))
        return HttpResponseRedirect(reverse("grants:budget", args=[project.pk]))

    def page(self, project, form, payments):
        context = {"project": project, "form": form, "payments": payments}
        return render(self.request, "grants/grant_form.html", context)


class SnapshotView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request, pk):
        project = project_to_change(request.user, pk)
        services.take_snapshot(project=project, user=request.user)
        messages.success(request, _("The figures were kept: reports state them until you keep new ones."))
        return HttpResponseRedirect(reverse("grants:budget", args=[project.pk]))


# One mobility


class MobilityView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        assignment = assignment_for(request.user, pk, project_only=True)
        project = assignment.placement.project
        _grant, rates = selectors.project_rates(project)
        row = None
        if rates is not None:
            assignment = selectors.project_assignments(project).get(pk=assignment.pk)
            origin = Location.objects.filter(organisation_id=project.sending_organisation_id).first()
            number = selectors.participant_numbers(project).get(assignment.pk, 1)
            row = selectors.mobility_figures(rates, assignment, origin, number, project)
        coordinator = _is_coordinator(request.user, project)
        context = {
            "assignment": assignment,
            "project": project,
            "row": row,
            "rates": rates,
            "is_coordinator": coordinator,
            "real_costs": assignment.real_costs.all() if coordinator else [],
            "cost_form": RealCostForm() if coordinator else None,
        }
        return render(request, "grants/mobility.html", context)


class MobilityEditView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def get(self, request, pk):
        assignment = assignment_to_change(request.user, pk, project_only=True)
        grant = selectors.mobility_grant(assignment)
        return self.page(assignment, MobilityGrantForm(instance=grant))

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk, project_only=True)
        form = MobilityGrantForm(request.POST, instance=selectors.mobility_grant(assignment))
        if not form.is_valid():
            return self.page(assignment, form)
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("Saved; the grant was computed again from these facts."))
        return HttpResponseRedirect(reverse("grants:mobility", args=[assignment.pk]))

    def page(self, assignment, form):
        return render(self.request, "grants/mobility_form.html", {"assignment": assignment, "form": form})


class RealCostAddView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request, pk):
        assignment = assignment_to_change(request.user, pk, project_only=True)
        form = RealCostForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_real_cost(
                    assignment=assignment,
                    reason=form.cleaned_data["reason"],
                    amount=form.cleaned_data["amount"],
                    upload=form.cleaned_data.get("receipt_file"),
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as error:
                form.add_error("receipt_file", error)
        if form.errors:
            return render(request, "grants/real_cost_form.html", {"assignment": assignment, "form": form}, status=200)
        messages.success(request, _("The cost was added at its real amount."))
        return HttpResponseRedirect(reverse("grants:mobility", args=[assignment.pk]))


# Accompanying persons


class AccompanyingFormView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def objects(self, request, placement_pk=None, pk=None):
        if pk is not None:
            stay = get_for(
                request.user, AccompanyingPerson.objects.select_related("placement__project"), pk=pk, write=True
            )
            return stay.placement, stay
        placement = get_for(request.user, Placement.objects.select_related("project"), pk=placement_pk, write=True)
        return placement, AccompanyingPerson(placement=placement)

    def get(self, request, placement_pk=None, pk=None):
        placement, stay = self.objects(request, placement_pk, pk)
        return self.page(placement, AccompanyingForm(instance=stay, placement=placement))

    def post(self, request, placement_pk=None, pk=None):
        placement, stay = self.objects(request, placement_pk, pk)
        form = AccompanyingForm(request.POST, instance=stay, placement=placement)
        if not form.is_valid():
            return self.page(placement, form)
        form.instance._history_user = request.user
        services.save_accompanying(stay=form.save(commit=False))
        messages.success(request, _("The accompanying person was saved."))
        return HttpResponseRedirect(reverse("grants:budget", args=[placement.project_id]) + "#accompanying")

    def page(self, placement, form):
        return render(self.request, "grants/accompanying_form.html", {"placement": placement, "form": form})


# Preparatory visits


class PreparatoryVisitFormView(RoleRequiredMixin, View):
    """A preparatory visit of the project: the coordinators of the project's school write it; its figure is on the
    budget page."""

    allowed_roles = WRITERS

    def objects(self, request, project_pk=None, pk=None):
        if pk is not None:
            visit = get_for(request.user, PreparatoryVisit.objects.select_related("project"), pk=pk, write=True)
            return visit.project, visit
        project = project_to_change(request.user, project_pk)
        return project, PreparatoryVisit(project=project)

    def form(self, project, visit, data=None):
        _grant, rates = selectors.project_rates(project)
        most = rates.table.preparatory_visit_persons if rates else None
        return PreparatoryVisitForm(data, instance=visit, project=project, most_persons=most)

    def get(self, request, project_pk=None, pk=None):
        project, visit = self.objects(request, project_pk, pk)
        return self.page(project, visit, self.form(project, visit))

    def post(self, request, project_pk=None, pk=None):
        project, visit = self.objects(request, project_pk, pk)
        form = self.form(project, visit, request.POST)
        if not form.is_valid():
            return self.page(project, visit, form)
        visit = form.save(commit=False)
        visit.project = project  # never from the request's body
        visit._history_user = request.user
        visit.save()
        messages.success(request, _("The preparatory visit was saved."))
        return HttpResponseRedirect(reverse("grants:budget", args=[project.pk]) + "#preparatory")

    def page(self, project, visit, form):
        context = {"project": project, "visit": visit, "form": form}
        return render(self.request, "grants/preparatory_visit_form.html", context)


class PreparatoryVisitDeleteView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        visit = get_for(request.user, PreparatoryVisit.objects.select_related("project"), pk=pk, write=True)
        project = visit.project
        visit._history_user = request.user
        visit.delete()
        messages.success(request, _("The preparatory visit was deleted."))
        return HttpResponseRedirect(reverse("grants:budget", args=[project.pk]) + "#preparatory")


# Payments


class PaymentListView(RoleRequiredMixin, View):
    allowed_roles = OFFICE

    def get(self, request, pk):
        project = project_for(request.user, pk)
        payments = (
            Payment.objects.filter(project=project)
            .select_related("placement", "receipt")
            .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("participant")))
        )
        context = {"project": project, "payments": payments, "is_coordinator": _is_coordinator(request.user, project)}
        return render(request, "grants/payment_list.html", context)


class PaymentFormView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def objects(self, request, project_pk=None, pk=None):
        if pk is not None:
            payment = payment_to_change(request.user, pk)
            return payment.project, payment
        return project_to_change(request.user, project_pk), Payment()

    def get(self, request, project_pk=None, pk=None):
        project, payment = self.objects(request, project_pk, pk)
        return self.page(project, payment, PaymentForm(instance=payment, project=project))

    def post(self, request, project_pk=None, pk=None):
        project, payment = self.objects(request, project_pk, pk)
        form = PaymentForm(request.POST, request.FILES, instance=payment, project=project)
        if form.is_valid():
            try:
                services.save_payment(
                    payment=form.save(commit=False),
                    project=project,
                    assignments=form.cleaned_data["assignments"],
                    upload=form.cleaned_data.get("receipt_file"),
                    user=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_error(None, error)
                else:
                    form.add_error("receipt_file", error)
        if form.errors:
            return self.page(project, payment, form)
        messages.success(request, _("The payment was saved."))
        return HttpResponseRedirect(reverse("grants:payments", args=[project.pk]))

    def page(self, project, payment, form):
        history = payment.history.select_related("history_user")[:20] if payment.pk else []
        context = {"project": project, "payment": payment, "form": form, "history": history}
        return render(self.request, "grants/payment_form.html", context)


class ReceiptView(RoleRequiredMixin, View):
    """Receipts are private: served after the check, as a download."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        receipt = get_for(request.user, Receipt.objects.all(), pk=pk)
        return private_files.serve(
            receipt.path, filename=f"receipt-{receipt.pk}.{receipt.extension}", content_type=receipt.content_type
        )


# Reconciliation with the Beneficiary Module


class ReconciliationView(RoleRequiredMixin, View):
    """Our figures next to what the coordinator typed from the Module, per mobility, differences named."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        project = project_for(request.user, pk)
        budget, lines = reconciliation.project_reconciliation(project)
        typed = [line for line in lines if line.typed]
        context = {
            "project": project,
            "budget": budget,
            "lines": lines,
            "typed_count": len(typed),
            "differing_count": sum(1 for line in typed if line.differences),
            "is_coordinator": _is_coordinator(request.user, project),
        }
        return render(request, "grants/reconciliation.html", context)


class ModuleFiguresView(RoleRequiredMixin, View):
    """The coordinator types one mobility's figures from the Module's screen."""

    allowed_roles = WRITERS

    def objects(self, request, assignment_pk=None, stay_pk=None):
        if assignment_pk is not None:
            assignment = assignment_to_change(request.user, assignment_pk, project_only=True)
            module = ModuleFigures.objects.filter(assignment=assignment).first() or ModuleFigures(assignment=assignment)
            return assignment.placement.project, str(assignment.participant), module
        stay = get_for(
            request.user,
            AccompanyingPerson.objects.select_related("placement__project", "person"),
            pk=stay_pk,
            write=True,
        )
        module = ModuleFigures.objects.filter(stay=stay).first() or ModuleFigures(stay=stay)
        return stay.placement.project, stay.person.name, module

    def form(self, project, module, data=None):
        _grant, rates = selectors.project_rates(project)
        return ModuleFiguresForm(data, instance=module, bands=rates.bands if rates else ())

    def get(self, request, assignment_pk=None, stay_pk=None):
        project, name, module = self.objects(request, assignment_pk, stay_pk)
        return self.page(project, name, self.form(project, module))

    def post(self, request, assignment_pk=None, stay_pk=None):
        project, name, module = self.objects(request, assignment_pk, stay_pk)
        form = self.form(project, module, request.POST)
        if not form.is_valid():
            return self.page(project, name, form)
        services.save_module_figures(figures=form.save(commit=False), user=request.user)
        messages.success(request, _("The Module's figures for %(name)s were saved.") % {"name": name})
        anchor = f"#m-{module.assignment_id}" if module.assignment_id else f"#a-{module.stay_id}"
        return HttpResponseRedirect(reverse("grants:reconciliation", args=[project.pk]) + anchor)

    def page(self, project, name, form):
        context = {"project": project, "name": name, "form": form}
        return render(self.request, "grants/module_figures_form.html", context)


# Allowances handed to learners


class PayoutListView(RoleRequiredMixin, View):
    """A flow's payout list: due, paid, remaining and the signed receipts, per learner."""

    allowed_roles = OFFICE

    def get(self, request, pk):
        return payouts_page(request, placement_for(request.user, pk))


def payouts_page(request, placement, form=None, upload_form=None, upload_payment=None, status=200):
    payouts = allowances.flow_payouts(placement)
    coordinator = _is_coordinator(request.user, placement)
    if coordinator and form is None:
        form = AllowanceForm(placement=placement, learners=[row.assignment for row in payouts.rows])
    context = {
        "placement": placement,
        "project": placement.project,
        "payouts": payouts,
        "is_coordinator": coordinator,
        "form": form,
        "upload_form": upload_form,
        "upload_payment": upload_payment,
        "has_receipts": any(share.is_allowance for row in payouts.rows for share in row.paid),
    }
    return render(request, "grants/payouts.html", context, status=status)


class AllowanceCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        learners = Assignment.objects.filter(placement=placement).select_related("participant")
        form = AllowanceForm(request.POST, placement=placement, learners=learners)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_allowance(
                    placement=placement,
                    assignment=data["assignment"],
                    paid_on=data["paid_on"],
                    amount=data["amount"],
                    currency=data["currency"],
                    exchange_rate=data["exchange_rate"],
                    rate_reason=data["rate_reason"],
                    method=data["method"],
                    advance=data["advance"],
                    description=data["description"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return payouts_page(request, placement, form=form)
        messages.success(request, _("The payment was saved. Print its receipt for the learner to sign."))
        return HttpResponseRedirect(reverse("grants:payouts", args=[placement.pk]))


class SignedCopyView(RoleRequiredMixin, View):
    """The receipt the learner signed, uploaded through the same checks as every receipt."""

    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        payment = payment_to_change(request.user, pk)
        if payment.placement is None:
            raise Http404
        form = SignedCopyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_signed_copy(payment=payment, upload=form.cleaned_data["signed_copy"], user=request.user)
            except ValidationError as error:
                form.add_error("signed_copy", error)
        if form.errors:
            return payouts_page(request, payment.placement, upload_form=form, upload_payment=payment.pk)
        messages.success(request, _("The signed receipt of %(payee)s was kept.") % {"payee": payment.payee})
        return HttpResponseRedirect(reverse("grants:payouts", args=[payment.placement_id]) + f"#p-{payment.pk}")


class ExchangeRatesView(RoleRequiredMixin, View):
    """The months' accounting rates (InforEuro): the office reads them, the installation's superusers load
    InforEuro's file (one catalogue for every school, like the rate tables)."""

    allowed_roles = OFFICE
    SHOWN = 24

    def get(self, request):
        return self.page(InforEuroForm() if request.user.is_superuser else None)

    def post(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        form = InforEuroForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["rates_file"]
            try:
                if upload.size > inforeuro.MAX_BYTES:
                    raise inforeuro.NotInforEuro(
                        _("The file is larger than 1 MB: InforEuro's monthly file is a few kilobytes.")
                    )
                count = inforeuro.load(content=upload.read(), month=form.cleaned_data["month"], user=request.user)
            except inforeuro.NotInforEuro as error:
                form.add_error("rates_file", str(error))
        if form.errors:
            return self.page(form)
        messages.success(
            request,
            ngettext("%(count)s rate was loaded.", "%(count)s rates were loaded.", count) % {"count": count},
        )
        return HttpResponseRedirect(reverse("grants:exchange_rates"))

    def page(self, form):
        currency = (self.request.GET.get("currency") or "RON").upper()[:3]
        rates = ExchangeRate.objects.filter(currency=currency).select_related("loaded_by")[: self.SHOWN]
        context = {"form": form, "rates": rates, "currency": currency}
        return render(self.request, "grants/exchange_rates.html", context)


class ModuleExportView(RoleRequiredMixin, View):
    """What the Module's file will hold and lack, shown before the export: organisations without an OID, a
    participant's missing data, the mobilities left out and why. Coordinators only: it names learners."""

    allowed_roles = WRITERS

    def get(self, request, pk):
        # project_to_change's query, with the sending organisation's coordinates the budget's distances start from.
        project = get_object_or_404(
            projects_to_change(request.user).select_related("sending_organisation__location"), pk=parse_id(pk)
        )
        found = beneficiary_module.build(selectors.project_budget(project, rows_only=True))
        context = {"project": project, "export": found, "columns": beneficiary_module.columns()}
        return render(request, "grants/module_export.html", context)


class ModuleImportView(RoleRequiredMixin, View):
    """The Module's figures read from a workbook instead of typed, as the other imports: first a dry run that lists
    every row's differences from our figures, or the rows refused with their number and reason (a file with any
    refused row saves nothing); then, confirmed, all rows or none. Between the two nothing of the file is kept:
    the figures read travel in the page, signed for this project and this user."""

    allowed_roles = WRITERS

    def salt(self, project):
        return f"grants.module_import:{project.pk}:{self.request.user.pk}"

    def get(self, request, pk):
        project = project_to_change(request.user, pk)
        return self.page(project, ModuleImportForm())

    def post(self, request, pk):
        project = project_to_change(request.user, pk)
        if "payload" in request.POST:
            return self.confirm(request, project)
        form = ModuleImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(project, form)
        upload = form.cleaned_data["workbook"]
        if upload.size > module_import.MAX_BYTES:
            form.add_error("workbook", _("The file is larger than 5 MB: export only this project's mobilities."))
            return self.page(project, form)
        budget = selectors.project_budget(project)
        try:
            result = module_import.read(upload.read(), budget)
        except module_import.NotReadable as error:
            form.add_error("workbook", str(error))
            return self.page(project, form)
        if not result.ok:
            if result.bad_cells:
                form.add_error(
                    "workbook",
                    _("Nothing was saved: these cells could not be read: %(cells)s.")
                    % {"cells": "; ".join(result.bad_cells[:10])},
                )
            else:
                form.add_error(
                    "workbook", _("Nothing was saved: correct the rows listed above and give the file again.")
                )
            return self.page(project, form, result=result)
        lines = reconciliation.preview(budget, result.found, result.rows)
        for item in lines:  # what the model refuses (a duration beyond 1,000 days) is refused now, not at saving
            try:
                item.line.module.clean_fields(exclude=["assignment", "stay"])
            except ValidationError as error:
                reasons = [f"{name}: {' '.join(texts)}" for name, texts in error.message_dict.items()]
                result.refused.append(module_import.RefusedRow(item.row, item.line.name, reasons))
        if not result.ok:
            result.refused.sort(key=lambda refused: refused.row)
            form.add_error("workbook", _("Nothing was saved: correct the rows listed above and give the file again."))
            return self.page(project, form, result=result)
        payload = module_import.dumps(result.found, salt=self.salt(project))
        return self.page(project, ModuleImportForm(), result=result, lines=lines, payload=payload)

    def confirm(self, request, project):
        try:
            found = module_import.loads(request.POST["payload"], salt=self.salt(project))
        except signing.BadSignature:
            messages.error(request, _("This check is out of date or not this project's: give the workbook again."))
            return HttpResponseRedirect(reverse("grants:module_import", args=[project.pk]))
        try:
            count = services.import_module_figures(project=project, found=found, user=request.user)
        except ValidationError as error:
            form = ModuleImportForm()
            form.add_error(None, _("Nothing was saved: %(error)s") % {"error": " ".join(error.messages)})
            return self.page(project, form)
        messages.success(
            request,
            ngettext(
                "The Module's figures of %(count)s mobility were saved.",
                "The Module's figures of %(count)s mobilities were saved.",
                count,
            )
            % {"count": count},
        )
        return HttpResponseRedirect(reverse("grants:reconciliation", args=[project.pk]))

    def page(self, project, form, result=None, lines=None, payload=""):
        context = {
            "project": project,
            "form": form,
            "id_column": module_import.ID_COLUMN,
            "result": result,
            "lines": lines,
            "differing": sum(1 for item in lines or [] if item.line.differences),
            "payload": payload,
        }
        return render(self.request, "grants/module_import.html", context)
