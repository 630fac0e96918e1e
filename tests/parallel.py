"""Keeps pytest-xdist's workers apart (loaded with `-p tests.parallel` in pytest.ini, before Django's settings).

Each worker (PYTEST_XDIST_WORKER=gw0, gw1, ...) gets its own test database from pytest-django (test_<name>_gw0);
everything else the settings take from the environment is made the worker's own here, before pytest-django
imports them:

- Redis: the database number in REDIS_URL (and CELERY_BROKER_URL when it is Redis) plus the worker's index plus
  one, so redis://…/0 becomes /1 for gw0 and /2 for gw1. A Celery worker started by one pytest worker then never
  takes the tasks of another, whose jobs are in another test database. The cache's key prefix is per test
  already (conftest's `forget_cache`).
- VAR_DIR (the file-system broker's folders, static files, backups): a folder of the worker's own in it.

Subprocesses that tests start inherit the worker's environment, so they use the same database and folders. Outside
xdist (`-p no:xdist`, `-n 0`) nothing changes. Ports are taken free from the system (port 0) by the live server,
the local S3 endpoint and the tests' own redis-server, so they need nothing here.
"""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_DATABASES = 16  # redis-server's default `databases`
STARTED_WITH: dict[str, str] = {}  # the variables as they were before the worker changed them


def worker_index(worker):
    match = re.fullmatch(r"gw(\d+)", worker)
    if not match:
        raise pytest.UsageError(f"unexpected PYTEST_XDIST_WORKER {worker!r}")
    return int(match[1])


def redis_url_for_worker(url, index):
    """`url` with its database number moved up by index + 1: redis://h:6379/4 -> /5 for gw0, /6 for gw1."""
    match = re.fullmatch(r"(rediss?://[^/?#]*)(?:/(\d*))?([?#].*)?", url)
    if not match:
        raise pytest.UsageError(f"cannot find the database number in the Redis URL {url!r}")
    base, number, rest = match[1], match[2], match[3] or ""
    database = int(number or 0) + index + 1
    if database >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"{url!r} leaves no Redis database for test worker gw{index} (it would need {database}); "
            "use a lower database number or fewer workers"
        )
    return f"{base}/{database}{rest}"


def worker_environment(environ, worker):
    """The variables to change for `worker`, given the environment the run started with."""
    index = worker_index(worker)
    changes = {}
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = environ.get(name, "")
        if url.startswith(("redis://", "rediss://")):
            changes[name] = redis_url_for_worker(url, index)
    var = Path(environ.get("VAR_DIR") or ROOT / "var") / f"test-{worker}"
    changes["VAR_DIR"] = str(var)
    return changes


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Before pytest-django's hook of the same name, which imports the settings."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    changes = worker_environment(os.environ, worker)
    STARTED_WITH.update({name: os.environ.get(name, "") for name in changes})
    Path(changes["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.update(changes)
