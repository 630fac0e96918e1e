"""Refuse a request body larger than any form of the application accepts, before Django reads it.

Upload fields check their own, smaller limits (PDF 5 MB, learner files 10 MB); this stops a visitor from making
the server write gigabytes to a temporary file first. A proxy in front should set the same limit.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                _("The data sent is too large: the limit is %(limit)d MB.") % {"limit": limit},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
