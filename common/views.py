from django.contrib import messages
from django.utils.translation import gettext as _


class SavedMessageMixin:
    """A create or edit view that says what it saved and returns to the object's page."""

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("“%(object)s” was saved.") % {"object": self.object})
        return response

    def get_success_url(self):
        return self.object.get_absolute_url()
