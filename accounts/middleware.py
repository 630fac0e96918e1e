from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from common.locales import zone

from . import twofactor

PAGE_OF_STEP = {twofactor.VERIFY: "accounts:two_factor_verify", twofactor.ENROL: "accounts:two_factor_enrol"}
# Reachable before the second step: signing out, switching language, the load balancer's probe, static files.
OPEN_URL_NAMES = ("logout", "set_language", "health", "health_status", "metrics")


class SecondFactorMiddleware:
    """Between the password and the code: a signed-in user who must give a code, or (a coordinator) set up an
    authenticator first, is sent to that page from any other URL, with the page they asked for as `next`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = twofactor.pending_step(request)
        request.second_factor_pending = step is not None
        if step is None:
            return self.get_response(request)
        target = reverse(PAGE_OF_STEP[step])
        if request.path == target or request.path.startswith(settings.STATIC_URL) or request.path in open_paths():
            return self.get_response(request)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(target)
        return redirect(target)


def open_paths():
    return {reverse(name) for name in OPEN_URL_NAMES}


class UserLocaleMiddleware:
    """A signed-in person reads their own language and clock (User.language, User.time_zone) wherever they sign
    in from; without a language of their own, LocaleMiddleware's choice (the language menu, the browser) stands.
    Reads only the user's own row, which the authentication middleware loads anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        before = translation.get_language()
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        if user.time_zone:
            timezone.activate(zone(user.time_zone))
        try:
            response = self.get_response(request)
        finally:
            # Neither the language nor the clock outlives the request in this thread.
            timezone.deactivate()
            translation.activate(before)
        if user.language:
            response.headers.setdefault("Content-Language", user.language)  # LocaleMiddleware keeps it
        return response
