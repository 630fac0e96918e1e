"""Access-matrix entries for the public site; merged into ROUTES by test_access.py."""

ROLES = ["anonymous", "other_mentor", "mentor", "staff", "coordinator"]


def expect(anonymous, other_mentor, mentor, staff, coordinator):
    return dict(zip(ROLES, (anonymous, other_mentor, mentor, staff, coordinator), strict=True))


EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)

PUBLIC_ROUTES = {
    name: (None, EVERYONE, NO_POST)
    for name in ["public:home", "public:articles", "public:exchange", "public:news", "public:news_rss", "public:news_atom", "public:privacy"]
}
