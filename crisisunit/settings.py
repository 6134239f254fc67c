"""The one settings module. Differences between machines come from the environment
(or a `.env` file beside manage.py), read through django-environ."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "crisisunit",
    "families",
    "placements",
    "stats",
    "content",
    "team",
    "django_tasks",
    "django_tasks_db",
    "crisisunit.apps.SignInRecordsConfig",  # django-axes, named in kk, ru, en
    "csp",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crisisunit.apps.PortalAdminConfig",  # django.contrib.admin, with crisisunit's say
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: the security headers on every answer, refusals and /healthz included.
    "crisisunit.middleware.SecurityHeadersMiddleware",
    # First, so that probes by IP address get an answer without ALLOWED_HOSTS
    # or the HTTPS redirect getting in the way.
    "crisisunit.middleware.HealthCheckMiddleware",
    # Before the security middleware, so that its own refusals (a 400 for a foreign
    # host) get the headers every response carries.
    "crisisunit.middleware.StaffNoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A public page kept whole is served from here, before the rest of the stack.
    "crisisunit.caching.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "crisisunit.twofactor.SecondFactorMiddleware",
    "crisisunit.middleware.SessionLifetimeMiddleware",
    "crisisunit.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crisisunit.urls"
WSGI_APPLICATION = "crisisunit.wsgi.application"

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
                "crisisunit.context_processors.public",
                "content.context_processors.home",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection is checked before a request uses it, so a restarted database costs
# no failed request.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", DATABASES["default"]["CONN_MAX_AGE"] != 0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Each transaction takes the write lock when it begins, so two writers are served one
    # after the other instead of one failing with "database is locked" half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with crisisunit.dbwatch's bound on its own round trips too.
    DATABASES["default"]["ENGINE"] = "crisisunit.db.postgresql"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Bounded waits: a database that does not answer fails a request in seconds rather
    # than holding a worker until gunicorn kills it. DB_STATEMENT_TIMEOUT=0 lifts the
    # statement bound (for a long migration run by hand). No JIT compilation: the
    # portal's statements are short, and compiling cost the indicators' counts more
    # (14 ms) than running them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=env.int("DB_CONNECT_TIMEOUT", default=2),
        options="-c statement_timeout={}s -c jit=off".format(
            env.int("DB_STATEMENT_TIMEOUT", default=30)
        ),
    )
# /healthz answers 503 when the database has not answered `SELECT 1` in this many seconds.
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=1.5)
# Once the database did not answer (crisisunit/dbwatch.py), statements fail without
# being sent for this many seconds, so that no thread waits on a frozen server.
DB_FAIL_FAST_SECONDS = env.float("DB_FAIL_FAST_SECONDS", default=5.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The cache only speeds pages up (crisisunit/caching.py renders uncached when it fails),
# so a Redis that is down or frozen must fail fast rather than hold every request.
# Redis through django-redis, which keeps each process's client objects (Django's own
# backend builds one per operation: 235 µs a cached page against 146; bench/cache_hit.py).
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        SOCKET_CONNECT_TIMEOUT=env.float("CACHE_CONNECT_TIMEOUT", default=0.2),
        SOCKET_TIMEOUT=env.float("CACHE_TIMEOUT", default=0.2),
    )
# The version of the public data, in the key of every cached public page. With a cache
# every process shares (Redis), the version itself is kept there and moved after each
# commit, so a cached page costs no database query; with each process's own memory it
# is read from the database, where every process sees the same.
PUBLIC_PAGE_VERSION = "stats.figures.current_version"
PUBLIC_VERSION_IN_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")
# The staff dashboard's lists and the indicators are kept in the cache, under the version
# of the case records (placements/views/dashboard.py), only when every process shares it: a
# write in one process must reach the others at once.
CASE_VIEWS_IN_CACHE = PUBLIC_VERSION_IN_CACHE

vars().update(env.email("EMAIL_URL", default="consolemail://"))
# The portal's public address, for links in emails sent by commands (no request there).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="crisis-unit@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "crisisunit.User"
AUTHENTICATION_BACKENDS = [
    # Refuses any login for a username and address that are locked out, then the usual.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "placements:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes), for the staff and the admin login alike: after
# AXES_FAILURE_LIMIT failed attempts for one username from one address, that pair is
# locked for LOGIN_LOCKOUT_MINUTES. Administrators unlock it in admin (Access attempts).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Wider locks over the same window (crisisunit/throttle.py): one address across any
# usernames, and one username across any addresses.
AXES_HANDLER = "crisisunit.throttle.SignInThrottle"
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_USERNAME_FAILURE_LIMIT = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_CALLABLE = "crisisunit.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "crisisunit.lib.net.client_ip"
AXES_VERBOSE = False
# Second factor (django-otp): every member of staff enrols an authenticator app (TOTP)
# at the first sign-in and then gives its code after the password, in the workspace and
# the admin alike (crisisunit/twofactor.py). Wrong codes are throttled: 1, 2, 4, 8…
# seconds between attempts, per device.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Crisis unit")
OTP_TOTP_THROTTLE_FACTOR = 1
# Wrong second-factor codes are forgiven after this many minutes without one.
SECOND_FACTOR_FORGIVE_MINUTES = env.int("SECOND_FACTOR_FORGIVE_MINUTES", default=60)
# A new member of staff's link to set a password (team/services.py): valid this long,
# and spent by the password set with it.
STAFF_LINK_HOURS = env.int("STAFF_LINK_HOURS", default=72)
PASSWORD_RESET_TIMEOUT = STAFF_LINK_HOURS * 3600
# Change history of the case records (django-simple-history), shown in admin. Going
# back to an old version from there would skip the rules a change goes through.
SIMPLE_HISTORY_REVERT_DISABLED = True

# How many proxies in front of gunicorn append to X-Forwarded-For. 0: the address the
# connection came from is the client's. Behind one TLS proxy (nginx), set it to 1.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Staff sessions end after SESSION_IDLE_MINUTES without a request, and when the browser
# closes. A request renews the idle period, writing the session at most once every
# SESSION_RENEW_SECONDS (crisisunit.middleware.SessionLifetimeMiddleware), not on every
# request: the idle end comes that much early at most.
# Kept in the database alone, never in the cache: a session that ended cannot come back
# from a copy (crisisunit/sessions.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=8 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# However active, a staff session ends this many hours after the sign-in (ASVS 3.3.2).
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Languages: Kazakh (the state language) first and the default, then Russian, English.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
# The project's catalogs first; then Kazakh for what Django's own kk catalogs leave
# untranslated (admin, auth, form errors), kept apart so makemessages never drops it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "crisisunit" / "django_catalogs"]
# Django ships no formats for kk; ours are in crisisunit/formats/kk/.
FORMAT_MODULE_PATH = ["crisisunit.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Case documents (scans of referrals, IDs, decisions): never under a URL. By default a
# private folder on this machine (backed up with the database, crisisunit/backups.py);
# with several machines, an S3-compatible bucket in Kazakhstan (django-storages), served
# only through the portal's download view.
DOCUMENTS_ROOT = Path(env.str("DOCUMENTS_ROOT", default=str(BASE_DIR / "private" / "documents")))
DOCUMENTS_BUCKET = env.str("DOCUMENTS_BUCKET", default="")
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=15 * 1024 * 1024)
# Background jobs (the web import; crisisunit/jobs.py) through Django's task API, queued
# in the database and run by `manage.py db_worker` (make run starts one; the Dockerfile
# says how to run it beside gunicorn). Their progress, written by the worker and read by
# the web processes: in Redis when the cache is there, else in files beside the documents.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env.str("JOBS_CACHE_URL", default=""):  # elsewhere (the tests: each process its own)
    CACHES["jobs"] = env.cache("JOBS_CACHE_URL")
elif PUBLIC_VERSION_IN_CACHE:
    CACHES["jobs"] = {**CACHES["default"], "KEY_PREFIX": "jobs"}
else:
    CACHES["jobs"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DOCUMENTS_ROOT.parent / "jobs"),
    }
if DOCUMENTS_BUCKET:
    DOCUMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_BUCKET,
            "endpoint_url": env.str("DOCUMENTS_S3_ENDPOINT", default="") or None,
            "region_name": env.str("DOCUMENTS_S3_REGION", default="") or None,
            "access_key": env.str("DOCUMENTS_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("DOCUMENTS_S3_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    DOCUMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": DOCUMENTS_ROOT,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "documents": DOCUMENTS_STORAGE,
}

# Security. Production sits behind a TLS proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits the whole domain to HTTPS in browsers for good: a deployment
# opts in; until it does, Django's reminder (security.W021) is silenced.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Three indexes carry extra columns (INCLUDE) so that PostgreSQL, in production, answers
# the indicators from the index alone. SQLite builds them without those columns, which
# changes no result, and says so (models.W040) before every command: not on SQLite.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS.append("models.W040")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

# The domain. Where a rule is not known from a source, it is a setting.
PLACEMENT_TERM_MONTHS = env.int("PLACEMENT_TERM_MONTHS", default=6)
VISIT_DUTY_DAYS = 7  # a parent must visit at least once a week
# After a child goes home: follow-up contacts this many months after the closing date,
# on time when done no later than FOLLOW_UP_GRACE_DAYS after the date they were due.
FOLLOW_UP_MONTHS = [int(m) for m in env.list("FOLLOW_UP_MONTHS", default=["1", "3", "6", "12"])]
FOLLOW_UP_GRACE_DAYS = env.int("FOLLOW_UP_GRACE_DAYS", default=14)
# A placement is a re-entry when the child went home from an earlier stay at most this
# many months before the admission.
REENTRY_MONTHS = env.int("REENTRY_MONTHS", default=12)
# Case records are kept this many years after a placement closes; then
# `manage.py retention_report` lists them for an administrator to decide. Nothing is
# deleted automatically.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=5)
# Administrators hear of a placement once no parent has visited for this many days.
ESCALATION_DAYS = env.int("ESCALATION_DAYS", default=14)
# The dashboard warns of terms ending within this many days, and of follow-ups due
# within this many days.
TERM_WARNING_DAYS = env.int("TERM_WARNING_DAYS", default=14)
FOLLOW_UP_WARNING_DAYS = env.int("FOLLOW_UP_WARNING_DAYS", default=7)
# A task raised by a consultation needing further work or a follow-up with concerns is
# due this many days later.
TASK_DUE_DAYS = env.int("TASK_DUE_DAYS", default=7)
# The work with the family: a stay's plan is started within PLAN_DUE_DAYS of the
# admission (the dashboard flags a stay without one) and reviewed every month; a review
# overdue by more than REVIEW_GRACE_DAYS, and a referral to an outside service with no
# answer after REFERRAL_ANSWER_DAYS, become a task for the assigned social worker.
PLAN_DUE_DAYS = env.int("PLAN_DUE_DAYS", default=14)
REVIEW_GRACE_DAYS = env.int("REVIEW_GRACE_DAYS", default=7)
REFERRAL_ANSWER_DAYS = env.int("REFERRAL_ANSWER_DAYS", default=14)
# The guardianship and custody authority's decision on a return application is due this
# many days after the application was sent to it; then it is flagged and becomes a task.
# No term is known here from a source: the home sets it with its lawyer (README).
AUTHORITY_DECISION_DAYS = env.int("AUTHORITY_DECISION_DAYS", default=30)
# Staff correct their own visits and consultations in the workspace for this many days
# after logging them; after that (and anyone's) only an administrator.
OWN_EDIT_DAYS = env.int("OWN_EDIT_DAYS", default=7)
# Plausible input: no date before DATES_EARLIEST or more than DATE_HORIZON_YEARS ahead;
# a mother or father born PARENT_AGE_MIN to PARENT_AGE_MAX years before the child (a
# legal representative at least PARENT_AGE_MIN); a child under ADMISSION_MAX_AGE_YEARS
# when admitted; a term extended by at most EXTENSION_MAX_MONTHS at a time.
DATES_EARLIEST = datetime.date.fromisoformat(env.str("DATES_EARLIEST", default="1920-01-01"))
DATE_HORIZON_YEARS = env.int("DATE_HORIZON_YEARS", default=3)
PARENT_AGE_MIN = env.int("PARENT_AGE_MIN", default=12)
PARENT_AGE_MAX = env.int("PARENT_AGE_MAX", default=70)
ADMISSION_MAX_AGE_YEARS = env.int("ADMISSION_MAX_AGE_YEARS", default=18)
EXTENSION_MAX_MONTHS = env.int("EXTENSION_MAX_MONTHS", default=12)
# Importing the caseload from a spreadsheet: the largest file and the most rows taken
# at once (a larger caseload goes in several files).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# Public figures: the first year shown, and the smallest count shown (a smaller one is
# hidden, so that no child can be singled out).
STATS_FIRST_YEAR = 2016
STATS_SMALL_CELL = 5

# The home's first contact details: applied after `migrate` to the first public content
# (content/first_run.py) until the home edits them in the admin ("Public site", "Home
# and contacts").
HOME_CONTACT = {
    "name": env.str("HOME_NAME", default=""),
    "address": env.str("HOME_ADDRESS", default=""),
    "phone": env.str("HOME_PHONE", default=""),
    "email": env.str("HOME_EMAIL", default=""),
    "hours": env.str("HOME_HOURS", default=""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"quiet_outages": {"()": "crisisunit.outage.QuietOutages"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint tells each step of every PDF at INFO: only its warnings are kept.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # A database outage: one line when it starts and one when it ends, not a
        # traceback per request (crisisunit/outage.py).
        "django.request": {"filters": ["quiet_outages"]},
    },
}
