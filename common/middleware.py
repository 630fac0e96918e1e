"""Request-wide guards that run before any view.

`RequestSizeLimitMiddleware` refuses a request body larger than any form of the application accepts, before
Django reads it. Upload fields check their own, smaller limits (PDF 5 MB, learner files 10 MB); this stops a
visitor from making the server write gigabytes to a temporary file first. A proxy in front should set the same
limit.

`ControlCharacterMiddleware` removes control characters (NUL and the like; tab and line breaks stay) from every
query-string and form value and uploaded file name, so that no view, form or hand-built post (the attendance
grid) can store them: the one place that cleans text input.
"""

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _

from .validators import CONTROL_CHARACTERS, strip_control_characters


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


class ControlCharacterMiddleware:
    """Runs after RequestSizeLimitMiddleware, so that an oversized body is refused before it is parsed here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = cleaned(request.GET)
        if request.method == "POST":
            request.POST = cleaned(request.POST)
            for _field, uploads in request.FILES.lists():
                for upload in uploads:
                    if upload.name and CONTROL_CHARACTERS.search(upload.name):
                        upload.name = strip_control_characters(upload.name)
        return self.get_response(request)


def cleaned(query):
    """`query` itself when it is clean (the common case: no copy), else a clean copy."""
    if not any(CONTROL_CHARACTERS.search(key + "".join(values)) for key, values in query.lists()):
        return query
    result = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        for value in values:
            result.appendlist(strip_control_characters(key), strip_control_characters(value))
    result._mutable = False
    return result
