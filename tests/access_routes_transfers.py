"""Access-matrix entries for the transfers app; merged into ROUTES by test_access.py."""

TRANSFERS_ROUTES = {}
