"""What `make prod` (and each systemd unit, before it starts) checks: that this is a production configuration,
not the development defaults that `make run` uses on a bare machine.

`problems(...)` takes plain values, so that a test can try a configuration without changing settings."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Configuration:
    production: bool
    debug: bool
    allowed_hosts: list[str]
    database_engine: str
    broker_url: str
    cache_backend: str
    private_storage_backend: str
    private_files_root_from_environment: bool


def problems(config: Configuration) -> list[str]:
    found = []
    if not config.production:
        found.append("DJANGO_ENV must be 'production' (with SECRET_KEY, ALLOWED_HOSTS and the services below).")
    if config.debug:
        found.append("DEBUG must be off: it shows settings and code to anyone who meets an error.")
    if not config.allowed_hosts:
        found.append("ALLOWED_HOSTS must name the site's host name(s).")
    if config.database_engine.endswith("sqlite3"):
        found.append(
            "DATABASE_URL must point at PostgreSQL (postgres://user:password@host/name), not SQLite: several web "
            "and worker processes write at once."
        )
    if not config.broker_url.startswith(("redis://", "rediss://", "amqp://", "amqps://")):
        found.append("CELERY_BROKER_URL or REDIS_URL must point at Redis: the file-system broker is one machine's.")
    if not config.cache_backend.endswith("RedisCache"):
        found.append("REDIS_URL must be set: the rate limits and the cached figures must be shared by all processes.")
    if not config.private_storage_backend.startswith("storages.") and not config.private_files_root_from_environment:
        found.append(
            "S3_BUCKET (with S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY) must be set, or "
            "PRIVATE_FILES_ROOT to a folder that every web and worker machine mounts."
        )
    return found


def current() -> Configuration:
    import os

    from django.conf import settings

    return Configuration(
        production=settings.PRODUCTION,
        debug=settings.DEBUG,
        allowed_hosts=list(settings.ALLOWED_HOSTS),
        database_engine=settings.DATABASES["default"]["ENGINE"],
        broker_url=settings.CELERY_BROKER_URL,
        cache_backend=str(settings.CACHES["default"]["BACKEND"]),
        private_storage_backend=settings.STORAGES["private"]["BACKEND"],
        private_files_root_from_environment=bool(os.environ.get("PRIVATE_FILES_ROOT")),
    )
