"""One settings module, configured from the environment.

Defaults run the application on a fresh checkout with no services: SQLite in the
checkout and a file-system Celery broker. Production (DJANGO_ENV=production)
refuses to start on insecure defaults.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
# The public address, printed on certificates for their verification page.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY: a random value of at least 50 characters.")

DEBUG = envbool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_htmx",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "common",
    "accounts",
    "placements",
    "participants",
    "attendance",
    "assessments",
    "documents",
    "reports",
    "public",
    "conference",
    "privacy",
    "transfers",
    "feedback",
    "alumni",
    "employers",
    "notifications",
    "ops",
    "outbox",
    "grants",
    "selection",
    "preparation",
    "credentials",
    "openfigures",
    "offline",
    "signatures",
    "mobility",  # the project package: only its management commands (load_demo), which reach every app
]

MIDDLEWARE = [
    "ops.requestid.RequestIdMiddleware",
    "ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.RequestSizeLimitMiddleware",
    "common.middleware.ControlCharacterMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLocaleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mobility.urls"
WSGI_APPLICATION = "mobility.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "public.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web process and the worker write to the same file: take the write lock when a transaction starts
    # and wait for it, instead of failing with "database is locked" when a read turns into a write.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the rate limits (conference registrations, password-reset requests) and the public figures.
# It must be one for all web processes, or each process would count on its own: Redis when there is one,
# otherwise a table in the database (made by `migrate`: common/migrations/0001_cache_table.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "django_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering costs a page a second at most, never a hung worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": "mobility",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a sign-in for a locked-out name and address before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A working day, and no longer than the browser stays open: school computers are shared.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Sign-in throttling (django-axes): after 5 failures for one name from one address, that pair waits 15 minutes.
# Failures during the wait do not extend it; a successful sign-in clears the count. Coordinators lift a block
# on the "Sign-in blocks" page. Names and addresses are masked in the log lines django-axes writes.
# The counts and blocks live in the database (AccessAttempt), so every web process sees the same ones; the
# cache handler would do too, on Redis or the database cache, but the coordinators' page reads the table.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_VERBOSE = False
# Behind a reverse proxy (production), the client's address is the one the nearest proxy appended to
# X-Forwarded-For; REMOTE_ADDR would be the proxy itself and put every user behind one address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))

# Two-factor sign-in (django-otp, TOTP): required for coordinators, optional for everyone else.
OTP_TOTP_ISSUER = "Erasmus+ mobility"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a secret key or a backup code

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ro", _("Romanian")), ("pt", _("Portuguese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mobility.formats"]
TIME_ZONE = "Europe/Bucharest"
USE_I18N = True
USE_TZ = True
# What a country gives its people and places until they choose otherwise (common/locales.py): the language a
# host company's mentors read and the clock of a placement or a travel leg there. A flow to Spain or Italy adds
# its line here and its catalogue under locale/, no code.
COUNTRY_LANGUAGES = {"RO": "ro", "MD": "ro", "PT": "pt", "BR": "pt", "GB": "en", "IE": "en", "MT": "en"}
COUNTRY_TIME_ZONES = {
    "RO": "Europe/Bucharest",
    "MD": "Europe/Chisinau",
    "PT": "Europe/Lisbon",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "FR": "Europe/Paris",
    "DE": "Europe/Berlin",
    "GR": "Europe/Athens",
    "IE": "Europe/Dublin",
    "MT": "Europe/Malta",
    "GB": "Europe/London",
}

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Private files (documents, uploads, receipts, attachments) live outside any public URL; views stream them
# after a permission check. With S3_BUCKET set they live in an S3-compatible object store (AWS, MinIO, Ceph,
# Scaleway...) that every web and worker machine reads; otherwise in a folder of this machine.
PRIVATE_FILES_ROOT = Path(os.environ.get("PRIVATE_FILES_ROOT", VAR_DIR / "files"))
S3_BUCKET = os.environ.get("S3_BUCKET", "")


def s3_storage_options(bucket, *, endpoint_url="", access_key="", secret_key="", region="", prefix=""):
    """django-storages' S3Storage options for private files: objects are never public (no ACL, signed URLs of
    a minute if anything ever asks for one) and a name already taken gets a new one, as on the file system."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "location": prefix,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        "file_overwrite": False,
        "signature_version": "s3v4",
        # Other S3-compatible stores (MinIO, Ceph) answer at endpoint/bucket rather than bucket.endpoint.
        "addressing_style": "path" if endpoint_url else None,
    }


if S3_BUCKET:
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": s3_storage_options(
            S3_BUCKET,
            endpoint_url=os.environ.get("S3_ENDPOINT_URL", ""),
            access_key=os.environ.get("S3_ACCESS_KEY_ID", ""),
            secret_key=os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            region=os.environ.get("S3_REGION", ""),
            prefix=os.environ.get("S3_PREFIX", ""),
        ),
    }
else:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": None},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Personal data is kept this many years after the project's end (Erasmus+ grant agreements: five years for
# audits), then the learner is anonymised. Uploads about a learner are refused above this size.
PERSONAL_DATA_RETENTION_YEARS = int(os.environ.get("PERSONAL_DATA_RETENTION_YEARS", "5"))
# Conference registrants' and exchange submitters' contact details go this many months after the conference /
# the submission's moderation; the counts stay.
CONTACT_DETAILS_RETENTION_MONTHS = int(os.environ.get("CONTACT_DETAILS_RETENTION_MONTHS", "12"))
LEARNER_FILE_MAX_BYTES = 10 * 1000 * 1000
# The personal data of applicants who made no participant are erased this many days after the call's appeal
# period ended (selection.services.erase_due_calls, a retention rule of the daily task); the counts stay.
SELECTION_ERASE_AFTER_DAYS = int(os.environ.get("SELECTION_ERASE_AFTER_DAYS", "30"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis when configured, otherwise a file-system broker that needs no server, so that
# `make run` starts a real worker on a bare machine. Job state lives in the database, not in results.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.2,  # the default (1 s) adds a second to every hop of a fanned-out job
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A job still queued or running this long after dispatch is presumed lost and dispatched again.
DOCUMENT_JOB_STALE_AFTER = int(os.environ.get("DOCUMENT_JOB_STALE_AFTER", "600"))
# Two queues, so that a placement's 16 certificates never hold up a password-reset mail: `documents` for the
# document engine's rendering, `default` for mail, sweeps and the beat's periodic work. `make prod` and
# deploy/ run a worker for each; `make run`'s single worker consumes both.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (Queue("default"), Queue("documents"))
CELERY_TASK_ROUTES = {
    name: {"queue": "documents"}
    for name in ("reports.tasks.render_document", "documents.tasks.render_part", "reports.tasks.assemble_document")
}
CELERY_BEAT_SCHEDULE = {
    "redispatch-stale-document-jobs": {"task": "reports.tasks.sweep_stale_jobs", "schedule": 120.0},
    "apply-retention-rules": {"task": "privacy.tasks.apply_retention_rules", "schedule": 86400.0},
    "resend-waiting-mail": {"task": "outbox.tasks.sweep_outbox", "schedule": 120.0},
    # Every hour: each person's digest goes at REMINDER_HOUR of their own clock (notifications.services).
    "send-daily-reminders": {
        "task": "notifications.tasks.send_daily_reminders",
        "schedule": crontab(minute=0),
    },
}
# In the evening of the recipient's own day, so that "today's attendance is not recorded" means the day is over.
REMINDER_HOUR = 18
# Mail (outbox): a message being sent this long is presumed lost with its worker and sent again; every message is
# deleted this many days after it was written.
OUTBOX_STALE_AFTER = int(os.environ.get("OUTBOX_STALE_AFTER", "600"))
OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "90"))

# Production sends through SMTP (EMAIL_HOST and friends); development prints mail to the console.
if PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mobility@localhost")

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Monitoring asks the web server itself over plain HTTP on the machine or the private network.
    SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"

# The seal (a PAdES signature) put on signed documents: the school's certificate and key, as PEM files. Unset, the
# documents are not sealed; in development the demo certificate of `manage.py make_demo_seal` is used if made.
_DEMO_SEAL = VAR_DIR / "seal"
SIGNATURE_SEAL_KEY = os.environ.get("SIGNATURE_SEAL_KEY") or (
    str(_DEMO_SEAL / "demo-seal-key.pem") if DEBUG and (_DEMO_SEAL / "demo-seal-key.pem").is_file() else ""
)
SIGNATURE_SEAL_CERT = os.environ.get("SIGNATURE_SEAL_CERT") or (
    str(_DEMO_SEAL / "demo-seal-cert.pem") if DEBUG and (_DEMO_SEAL / "demo-seal-cert.pem").is_file() else ""
)
SIGNATURE_SEAL_PASSPHRASE = os.environ.get("SIGNATURE_SEAL_PASSPHRASE", "")

# Everything the pages load comes from this site: no inline script or style, no CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # The mentor's offline pages: the service worker at /sw.js and the web app manifest, both from this site.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# No form takes more than one 10 MB file: a larger request body is refused before it is read.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_MB") or 12) * 1024 * 1024

# Production writes JSON lines (one object a line, with the request id, for journald or a log shipper);
# development keeps readable lines. LOG_FORMAT=json or text overrides.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# With JSON logs the worker's lines go through the same handler instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# /metrics answers only to these addresses or networks (comma-separated; the Prometheus server's).
METRICS_ALLOWED_IPS = envlist("METRICS_ALLOWED_IPS", "127.0.0.1")

# Open figures (openfigures): a published cell that counts people counts at least this many, or is hidden.
OPEN_FIGURES_MIN_COUNT = int(os.environ.get("OPEN_FIGURES_MIN_COUNT", "10"))
