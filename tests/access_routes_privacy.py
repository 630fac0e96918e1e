"""Access-matrix entries for the privacy app; merged into ROUTES by test_access.py."""

PRIVACY_ROUTES = {}
