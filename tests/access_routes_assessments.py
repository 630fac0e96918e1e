"""Access-matrix entries for the assessments app; merged into ROUTES by test_access.py."""

ASSESSMENT_ROUTES = {}
