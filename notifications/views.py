"""Each person's reminder settings: the language of the digest and which kinds they want."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.roles import READERS, RoleRequiredMixin

from . import services


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of the reminders"), choices=settings.LANGUAGES)
    wanted = forms.MultipleChoiceField(
        label=gettext_lazy("Send me these reminders"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("At most one email a day, in the evening, with everything together."),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wanted"].choices = [(kind.value, kind.label) for kind in kinds]


class SettingsView(RoleRequiredMixin, View):
    allowed_roles = READERS
    template_name = "notifications/settings.html"

    def page(self, request, form, status=200):
        kinds = services.kinds_for(request.user)
        return render(request, self.template_name, {"form": form, "has_kinds": bool(kinds)}, status=status)

    def get(self, request):
        kinds = services.kinds_for(request.user)
        current = services.settings_for(request.user)
        initial = {
            "language": current.language,
            "wanted": [kind.value for kind in kinds if kind.value not in current.switched_off],
        }
        return self.page(request, SettingsForm(initial=initial, kinds=kinds))

    def post(self, request):
        kinds = services.kinds_for(request.user)
        form = SettingsForm(request.POST, kinds=kinds)
        if not form.is_valid():
            return self.page(request, form, status=400)
        current = services.settings_for(request.user)
        current.language = form.cleaned_data["language"]
        # Switched off: every kind of the role not ticked; kinds of other roles are kept as they were.
        others = [kind for kind in current.switched_off if kind not in {k.value for k in kinds}]
        current.switched_off = others + [k.value for k in kinds if k.value not in form.cleaned_data["wanted"]]
        current.save()
        messages.success(request, _("Your reminder settings were saved."))
        return HttpResponseRedirect(reverse("notifications:settings"))
