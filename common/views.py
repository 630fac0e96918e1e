from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _


class FormPageMixin:
    """What a generic form page needs besides the form: the list it belongs to, for its breadcrumbs
    (`list_crumb = (url name, label)`), and its title when it creates something (whole sentences, so that
    each language can inflect them)."""

    list_crumb = None
    create_title = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.list_crumb:
            context["list_crumb"] = (reverse(self.list_crumb[0]), self.list_crumb[1])
        context["create_title"] = self.create_title
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
        return str(self.success_url) if self.success_url else self.object.get_absolute_url()
