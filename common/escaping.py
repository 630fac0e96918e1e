"""Escaping for markup written in Python on the busy pages (rows of tables, a dashboard's items)."""

import html


def escaped(value: object) -> str:
    """What {{ value }} prints (conditional_escape: safe strings as they are, everything else escaped), without
    its lazy-string wrapper, which cost more than the escaping itself on pages of hundreds of cells."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))
