"""The project's own exceptions, raised by services and caught by views (never Python's PermissionError)."""


class NotAllowed(Exception):
    """The user may not do this to this object; views answer 403 (or 404 where existence must stay hidden)."""
