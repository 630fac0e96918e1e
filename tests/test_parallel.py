"""pytest-xdist's workers are kept apart (tests/parallel.py): each its own Redis database and var/ folder."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from mobility.celery import app

from . import parallel


def test_each_worker_moves_the_redis_database_up_by_its_index_plus_one():
    assert parallel.redis_url_for_worker("redis://127.0.0.1:6379/4", 0) == "redis://127.0.0.1:6379/5"
    assert parallel.redis_url_for_worker("redis://127.0.0.1:6379/4", 1) == "redis://127.0.0.1:6379/6"
    assert parallel.redis_url_for_worker("redis://127.0.0.1:6379", 0) == "redis://127.0.0.1:6379/1"
    assert parallel.redis_url_for_worker("redis://127.0.0.1:6379/", 1) == "redis://127.0.0.1:6379/2"
    assert parallel.redis_url_for_worker("rediss://:pw@h:6380/0?timeout=1", 2) == "rediss://:pw@h:6380/3?timeout=1"


def test_a_worker_beyond_the_servers_databases_is_refused_with_a_clear_message():
    with pytest.raises(pytest.UsageError, match="no Redis database for test worker gw1"):
        parallel.redis_url_for_worker("redis://127.0.0.1:6379/14", 1)


def test_the_worker_environment_changes_redis_urls_and_var_dir_only():
    environ = {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "filesystem://",
        "VAR_DIR": "/srv/var",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    }
    assert parallel.worker_environment(environ, "gw1") == {
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "VAR_DIR": "/srv/var/test-gw1",
    }
    assert parallel.worker_environment({}, "gw0") == {"VAR_DIR": str(parallel.ROOT / "var" / "test-gw0")}
    with pytest.raises(pytest.UsageError):
        parallel.worker_environment({}, "master")


@pytest.mark.skipif(not os.environ.get("PYTEST_XDIST_WORKER"), reason="runs in a pytest-xdist worker only")
def test_this_worker_uses_its_own_redis_database_and_folder():
    worker = os.environ["PYTEST_XDIST_WORKER"]
    assert Path(settings.VAR_DIR).name == f"test-{worker}"
    if settings.CELERY_BROKER_URL == "filesystem://":
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"].startswith(str(settings.VAR_DIR))
    redis = os.environ.get("REDIS_URL")
    if redis:
        index = int(worker.removeprefix("gw"))
        assert redis == parallel.redis_url_for_worker(parallel.STARTED_WITH["REDIS_URL"], index)
        assert settings.CACHES["default"]["LOCATION"] == redis
        assert settings.CELERY_BROKER_URL == redis
        assert app.conf.broker_url == redis
