"""The installable, offline mentor: the web app manifest and the service worker (both from the site root, so
that the worker's scope covers every page), and the endpoint the phone's outbox sends saves to."""

import json
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import View

from accounts.roles import RECORDERS, RoleRequiredMixin
from attendance.forms import entry_from_row, parse_day
from common.exceptions import NotAllowed
from common.validators import parse_id
from placements.access import assignment_to_change

from . import services

# The files a page needs to draw itself offline; the pages themselves are cached as the mentor opens them.
STATIC_FILES = [
    "vendor/bootstrap.min.css",
    "css/app.css",
    "vendor/bootstrap.bundle.min.js",
    "vendor/htmx.min.js",
    "js/outbox.js",
    "favicon.svg",
]
# Bump when the worker's caching changes, so that phones drop the old caches.
CACHE_VERSION = "1"
KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@require_GET
@never_cache
def service_worker(request):
    script = render_to_string(
        "offline/sw.js",
        {
            "version": CACHE_VERSION,
            "static_files": json.dumps([static(name) for name in STATIC_FILES]),
            "pages": json.dumps([reverse("attendance:today"), "/attendance/placements/"]),
            "logout": json.dumps(reverse("logout")),
            "offline_title": _("No signal"),
            "offline_text": _(
                "There is no signal and this page was not opened on this phone before. Open Attendance today once "
                "you have signal; after that it works without."
            ),
        },
        request=request,
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    data = {
        "name": _("Erasmus+ mobility"),
        "short_name": _("Mobility"),
        "start_url": reverse("attendance:today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [{"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


class SaveDayView(RoleRequiredMixin, View):
    """One learner-day from the outbox: the form fields of a Today row plus the assignment, the day and the key
    the phone made. Answers JSON; the same key gets the same answer."""

    allowed_roles = RECORDERS
    http_method_names = ["post"]

    def post(self, request):
        key = request.POST.get("key", "")
        day = parse_day(request.POST.get("date"))
        if not KEY.match(key) or day is None:
            return HttpResponseBadRequest(_("This save is incomplete."))
        assignment = assignment_to_change(request.user, parse_id(request.POST.get("assignment", "")) or 0)
        entry = entry_from_row(assignment.pk, day, request.POST)
        try:
            answer = services.save_day(request.user, key, entry)
        except NotAllowed as error:
            raise PermissionDenied from error
        if answer is None:  # pragma: no cover - a key stored and removed in between
            raise Http404
        return JsonResponse(answer)
