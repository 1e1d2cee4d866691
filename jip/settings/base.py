"""Settings shared by every environment; values come from the environment (django-environ)."""

from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me-0123456789abcdefghij")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "jip.site.apps.JipAdminConfig",  # replaces django.contrib.admin with the JIP admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "csp",
    "jip",
    "applicants",
    "companies",
    "matching",
    "internships",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jip.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "jip.urls"
WSGI_APPLICATION = "jip.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jip.context_processors.program",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "jip.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"

# --- Internationalisation: English and Japanese, program time in JST ---------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files: Bootstrap from the xstatic-bootstrap wheel, served by whitenoise ------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic_bootstrap.BASE_DIR),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("JIP_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files are private: there is no MEDIA_URL; every file is served through a view that checks access.
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]

# --- Caches -------------------------------------------------------------------------------------
# default: allauth's rate limits, the current cycle, the country lists (Redis, shared by every process,
# when REDIS_URL is set). template_fragments: the parts of pages `{% cache %}` keeps (the layout, the navbar,
# the entry form's steps), in each process's memory in every environment, development and tests included,
# so a fragment that does not vary on what it shows is seen stale before production; a round trip to Redis
# would cost more than rendering them.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from the cache, written through to the database: one query less on every page.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}}
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "TIMEOUT": None,  # the fragments change with the code and the translations, which a deployment reloads
    "OPTIONS": {"MAX_ENTRIES": 4096},  # languages × the entry form's states of progress, and a margin
}

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("DJANGO_EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="JIP office <jip-office@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- django-allauth: e-mail login, mandatory verification, rate limits on, MFA for staff -------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
# A taken address is said plainly on the sign-up form: applicants re-register often in the
# deadline rush and need to be told to log in instead; the rate limits below curb enumeration.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[JIP] "
ACCOUNT_ADAPTER = "jip.adapters.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "JIP Admin"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# --- Celery: JSON only, time limits, tasks queued on commit by jip.tasks.task_enqueue ------------
# A broker is required (jip/checks.py): only the local, test and benchmark settings may run tasks in-process.
JIP_TASKS_IN_PROCESS_ALLOWED = False
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = False
# In-process, a failing mail must not turn a committed submission into an error page: Celery logs it.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Content-Security-Policy (django-csp 4): no inline scripts ---------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # In-process (no REDIS_URL) every task would log its success inside the request; failures still show.
    "loggers": {"celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"}},
}

# --- Uploads ------------------------------------------------------------------------------------
JIP_MAX_UPLOAD_BYTES = env.int("JIP_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# Reverse proxies in front of the app: signatures record the address the nearest untrusted hop gave.
JIP_TRUSTED_PROXY_COUNT = env.int("JIP_TRUSTED_PROXY_COUNT", default=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Beat: periodic jobs (django-celery-beat copies these into its database schedule) -----------
CELERY_BEAT_SCHEDULE = {
    "applicants-draft-reminders": {
        "task": "applicants.tasks.draft_reminders_send",
        "schedule": 60 * 60,  # hourly; each reminder is recorded, so reruns send nothing twice
    },
    # Daily reports: each intern at the cycle's time in their own zone, so every quarter of an hour.
    "internships-daily-report-intern-reminders": {
        "task": "internships.tasks.daily_report_intern_reminders_send",
        "schedule": 15 * 60,
    },
    "internships-daily-report-company-reminders": {
        "task": "internships.tasks.daily_report_company_reminders_send",
        "schedule": 60 * 60,
    },
    "internships-daily-report-office-digest": {
        "task": "internships.tasks.daily_report_office_digest_send",
        "schedule": 60 * 60,  # sends once a week, from Monday 9:00 JST
    },
}

# Absolute address of the site, for links in mails sent from tasks (no request there).
JIP_SITE_URL = env("JIP_SITE_URL", default="http://127.0.0.1:8000")
