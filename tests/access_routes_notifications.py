"""Access-matrix entries for the reminder settings: every signed-in person has their own page (it holds nothing
of anyone else); an empty form is a 400 (the language is required)."""

from .access_expect import expect

NOTIFICATIONS_ROUTES = {
    "notifications:settings": (None, expect(302, 200, 200, 200, 200), expect(302, 400, 400, 400, 400)),
}
