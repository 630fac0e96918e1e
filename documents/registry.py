"""What apps contribute to the document engine, so that the engine imports none of them.

An app registers, in its `AppConfig.ready()` (usually from its own `documents.py`):
- a renderer per job kind: `register_renderer(kind, render)`, where `render(job)` returns (bytes, filename);
- or, for a document made of many parts, a `FanOut` (each part rendered by its own task, then assembled);
- a request per URL slug: `register_request(slug, kind=..., roles=..., prepare=...)`, where
  `prepare(request, pk)` fetches the object through its access check and returns the job's (params, title);
Sections of a document another app makes (the final report's dissemination entries, from the conference and
the public site) go through `common.sections`, which pages use too.

Registering the same key twice is a mistake and raises, so that two apps never silently fight over a kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import DocumentJob


class NotIssuable(Exception):
    """The document cannot be made, for a reason the person who asked can read (the message says it).

    Given a lazy message and its `params`, the reason is written in the requester's language when the job
    fails (documents.jobs stores it under their language), not in the worker's; dates in `params` are
    written in that language's format. `not_before`: the day from which it can be made (until then the job's
    page offers no "Try again")."""

    def __init__(self, message: Any, params: dict[str, Any] | None = None, *, not_before: Any = None) -> None:
        super().__init__(message)
        self.message, self.params, self.not_before = message, params or {}, not_before

    def __str__(self) -> str:
        from datetime import date

        from django.utils import formats

        if not self.params:
            return str(self.message)
        values = {
            key: formats.date_format(value, "DATE_FORMAT") if isinstance(value, date) else value
            for key, value in self.params.items()
        }
        return str(self.message) % values


Render = Callable[["DocumentJob"], tuple[bytes, str]]
Prepare = Callable[["HttpRequest", int], tuple[dict[str, Any], str]]


@dataclass(frozen=True)
class FanOut:
    """A document made of parts, each rendered by its own task so that every worker process takes a share.

    `parts(job)` makes the parts' records and returns their ids and a note of what was left out;
    `render_part(id)` renders and keeps one part; `rendered(ids)` gives those of the ids already rendered;
    `assemble(job, ids, skipped)` returns the finished (bytes, filename)."""

    parts: Callable[[DocumentJob], tuple[list[int], list[str]]]
    render_part: Callable[[int], None]
    rendered: Callable[[Sequence[int]], set[int]]
    assemble: Callable[[DocumentJob, list[int], list[str]], tuple[bytes, str]]


@dataclass(frozen=True)
class Request:
    kind: str
    roles: frozenset[str]
    prepare: Prepare


RENDERERS: dict[str, Render] = {}
FAN_OUTS: dict[str, FanOut] = {}
REQUESTS: dict[str, Request] = {}
# Kinds only a coordinator may ask for or download, even one who has since lost the role.
COORDINATOR_ONLY: set[str] = set()


def _unique(registry: dict[str, Any] | set[str], key: str) -> None:
    if key in registry:
        raise ValueError(f"{key!r} is registered twice")


def register_renderer(kind: str, render: Render, *, coordinator_only: bool = False) -> None:
    _unique(RENDERERS, kind)
    _unique(FAN_OUTS, kind)
    RENDERERS[kind] = render
    if coordinator_only:
        COORDINATOR_ONLY.add(kind)


def register_fan_out(kind: str, fan_out: FanOut) -> None:
    _unique(RENDERERS, kind)
    _unique(FAN_OUTS, kind)
    FAN_OUTS[kind] = fan_out


def register_request(slug: str, *, kind: str, roles: Iterable[str], prepare: Prepare) -> None:
    _unique(REQUESTS, slug)
    REQUESTS[slug] = Request(kind, frozenset(roles), prepare)
