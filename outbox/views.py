"""The coordinators' view of the outgoing mail: failed messages first, and "send again" for each. Bodies are
never shown (a password-reset link would let whoever reads it into someone else's account)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from accounts.roles import WRITERS, RoleRequiredMixin, in_schools
from common.lists import ListControlsMixin

from . import services
from .access import message_to_change
from .models import OutgoingMessage


class MessageListView(RoleRequiredMixin, ListControlsMixin, ListView):
    allowed_roles = WRITERS
    template_name = "outbox/message_list.html"
    context_object_name = "outgoing"
    paginate_by = 50

    def get_queryset(self):
        queryset = in_schools(OutgoingMessage.objects.defer("body"), self.request.user).failed_first()
        status = self.request.GET.get("status", "")
        self.status = status if status in OutgoingMessage.Status.values else ""
        if self.status:
            queryset = queryset.filter(status=self.status)
        return queryset

    def apply_search(self, queryset, text):
        return queryset.filter(to__icontains=text)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "statuses": OutgoingMessage.Status.choices,
            "current_status": self.status,
            "failed": services.failed_count(self.request.user),
        }


class SendAgainView(RoleRequiredMixin, View):
    allowed_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, pk):
        message = message_to_change(request.user, pk)
        try:
            services.send_again(message.pk)
        except services.CannotSendAgain:
            messages.error(request, _("This message cannot be sent again."))
        else:
            messages.success(request, _("The message to %(to)s is on its way again.") % {"to": message.to})
        return HttpResponseRedirect(reverse("outbox:list") + "?status=failed")
