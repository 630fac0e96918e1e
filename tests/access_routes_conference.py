"""Access-matrix entries for the conference app; merged into ROUTES by test_access.py."""

CONFERENCE_ROUTES = {}
