from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from placements.models import Organisation

from .models import Role, User


class RoleOrganisationMixin:
    def clean(self):
        cleaned = super().clean()
        role, org = cleaned.get("role"), cleaned.get("organisation")
        if role == Role.MENTOR and not org:
            self.add_error("organisation", _("A mentor must belong to a host company."))
        if role == Role.MENTOR and org and org.kind != Organisation.Kind.HOST:
            self.add_error("organisation", _("A mentor's organisation must be a host company."))
        return cleaned


class UserCreateForm(RoleOrganisationMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "organisation"]


class UserUpdateForm(RoleOrganisationMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "role", "organisation", "is_active"]
        labels = {"is_active": _("Can sign in")}
