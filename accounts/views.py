from django.contrib import messages
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from .forms import UserCreateForm, UserUpdateForm
from .models import User
from .roles import RoleRequiredMixin


class UserListView(RoleRequiredMixin, ListView):
    template_name = "accounts/user_list.html"
    context_object_name = "users"
    queryset = User.objects.select_related("organisation").order_by("role", "last_name", "username")


class UserFormMixin(RoleRequiredMixin):
    model = User
    template_name = "accounts/user_form.html"
    success_url = reverse_lazy("accounts:user_list")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The account of %(user)s was saved.") % {"user": self.object})
        return response


class UserCreateView(UserFormMixin, CreateView):
    form_class = UserCreateForm


class UserUpdateView(UserFormMixin, UpdateView):
    form_class = UserUpdateForm
    context_object_name = "account"
