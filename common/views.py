from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View


def return_to(request) -> str | None:
    """The page to return to after a form (`next` in the query or the form), if it is one of this site's."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


class FormPageMixin:
    """What a generic form page needs besides the form: the list it belongs to, for its breadcrumbs
    (`list_crumb = (url name, label)`), and its title when it creates something (whole sentences, so that
    each language can inflect them). A link from a page whose list was empty may name the fields to fill in
    (`initial_from_query`, e.g. ?project=3) and where to return (`?next=`, kept in the form as `next`)."""

    list_crumb = None
    create_title = None
    initial_from_query: tuple[str, ...] = ()

    def get_initial(self):
        initial = super().get_initial()
        for name in self.initial_from_query:
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.list_crumb:
            context["list_crumb"] = (reverse(self.list_crumb[0]), self.list_crumb[1])
        context["create_title"] = self.create_title
        context["next"] = return_to(self.request)
        return context


def announce_saved(request, obj):
    messages.success(request, _("“%(object)s” was saved.") % {"object": obj})


class SavedMessageMixin:
    """A create or edit view that says what it saved and returns to `success_url` if the view names one,
    else to the object's page."""

    def form_valid(self, form):
        response = super().form_valid(form)
        announce_saved(self.request, self.object)
        return response

    def get_success_url(self):
        back = return_to(self.request)
        if back:
            return back
        return str(self.success_url) if self.success_url else self.object.get_absolute_url()


class InlineFormSetView(View):
    """One object's rows (an inline formset: a conference's agenda, a call's criteria, a flow's travel legs)
    edited as one form and saved all or nothing. A subclass (with RoleRequiredMixin first) names the formset,
    the title and the template (which extends templates/includes/formset_page.html), fetches the owner with its
    access check in `get_owner`, and may refuse a save in `refusal` or go elsewhere after it in `success_url`."""

    formset_class: Any = None
    title: Any = None
    template_name = ""
    wide_fields: tuple[str, ...] = ()  # fields given a whole row

    def get_owner(self, request, pk):
        raise NotImplementedError

    def get_context(self, owner):
        return {}

    def success_url(self, owner):
        return owner.get_absolute_url()

    def refusal(self, owner):
        """A message when the owner's rows may no longer change (nothing is saved), else None."""
        return None

    def page(self, request, owner, formset):
        context = {
            "owner": owner,
            "formset": formset,
            "title": self.title,
            "wide_fields": (*self.wide_fields, "DELETE"),
            "cancel_url": self.success_url(owner),
            **self.get_context(owner),
        }
        return render(request, self.template_name, context)

    def get(self, request, pk):
        owner = self.get_owner(request, pk)
        return self.page(request, owner, self.formset_class(instance=owner))

    def post(self, request, pk):
        owner = self.get_owner(request, pk)
        formset = self.formset_class(request.POST, instance=owner)
        if not formset.is_valid():
            return self.page(request, owner, formset)
        refused = self.refusal(owner)
        if refused:
            messages.error(request, refused)
        else:
            with transaction.atomic():
                formset.save()
            announce_saved(request, owner)
        return HttpResponseRedirect(self.success_url(owner))
