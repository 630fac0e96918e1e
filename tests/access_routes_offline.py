"""Access-matrix entries for the offline mentor; merged into ROUTES by test_access.py. The service worker and the
manifest hold nothing private and are public (a browser fetches them before anyone signs in); the outbox's save
endpoint takes the recorders only, and an empty post is refused as incomplete before anything is looked up."""

from .access_expect import expect

PUBLIC = expect(200, 200, 200, 200, 200)
GET_ONLY = expect(405, 405, 405, 405, 405)

OFFLINE_ROUTES = {
    "offline:service_worker": (None, PUBLIC, GET_ONLY),
    "offline:manifest": (None, PUBLIC, GET_ONLY),
    "offline:save_day": (None, expect(302, 405, 405, 403, 405), expect(302, 400, 400, 403, 400)),
}
