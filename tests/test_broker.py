"""The Celery app talks to the configured broker: Redis in CI, the file-system broker elsewhere."""

import os

import pytest
from django.conf import settings

from mobility.celery import app


@pytest.mark.redis
def test_celery_reaches_redis_when_configured():
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL and reach the machine's Redis")
        pytest.skip("REDIS_URL is not set")
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=2, timeout=5)
        assert connection.connected


def test_file_system_broker_round_trips_a_message(tmp_path):
    """What `make run` uses: a message put in by the web process is read by the worker."""
    from kombu import Connection

    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    with Connection("filesystem://", transport_options=options) as connection:
        queue = connection.SimpleQueue("smoke")
        queue.put({"hello": "Ștefan"})
        message = queue.get(timeout=5)
        assert message.payload == {"hello": "Ștefan"}
        message.ack()
        queue.close()
