"""Settings for Newsroom, read from the environment with safe development defaults.

Every variable is documented in `.env.example`. With DJANGO_ENV=production the site refuses
to start on a development secret key or with DEBUG on.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.log import DEFAULT_LOGGING
from django_prose_editor.config import DEFAULT_MENU_GROUPS, html_tags
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# A developer's .env (see .env.example); a variable already in the environment wins.
load_dotenv(BASE_DIR / ".env")

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not IS_PRODUCTION)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)

if IS_PRODUCTION and (DEBUG or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs DJANGO_DEBUG off and a real DJANGO_SECRET_KEY "
        "(at least 50 characters, as `check --deploy` asks)."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Django's admin on the newsroom's own site class: optional two-factor sign-in for staff.
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text search expressions; imports and runs fine on SQLite too (search falls back there).
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "imagekit",
    "taggit",
    "reversion",
    "django_prose_editor",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The content API (articles/api/): DRF, its OpenAPI schema, Swagger UI as static files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # One-time backup codes, for a lost phone (newsroom/two_factor.py).
    "django_otp.plugins.otp_static",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL in the address or query string is a 400 here, never a database error later.
    "newsroom.hostile_input.RefuseNulMiddleware",
    # An anonymous reader's cached API response, in one Redis round trip (articles/api/).
    "articles.api.responses.ApiCacheMiddleware",
    # ETag and 304 answers, computed on what the page cache returns.
    "django.middleware.http.ConditionalGetMiddleware",
    # Outside the page cache: every response gets its policy, cached pages included.
    "newsroom.csp.NewsroomCSPMiddleware",
    # Copies the `xkey` surrogate keys to Fastly's or Cloudflare's header, when one is set.
    "articles.cache.purge.SurrogateKeyHeaderMiddleware",
    # Near the top: a reader's cached page skips the rest of the stack. The headers the
    # middleware below adds were stored with the page when it was rendered.
    "articles.cache.pages.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Remembers the address and browser of the request for the stories' audit trail.
    "articles.alerts.ClientMiddleware",
    # The signed marker that lets a signed-in editor's browser skip the page cache.
    "newsroom.staff_marker.StaffMarkerMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.public.context_processors.site",
            ],
        },
    },
]


def database_timeouts(engine: str, *, connect_seconds: int, statement_ms: int) -> dict:
    """PostgreSQL connection options that bound how long a request waits for the database.

    A database that hangs must cost a request seconds, then the 503 page (newsroom/health.py),
    not a worker for as long as the kernel keeps the connection open.
    """
    if "postgresql" not in engine:
        return {}
    return {"connect_timeout": connect_seconds, "options": f"-c statement_timeout={statement_ms}"}


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    **database_timeouts(
        DATABASES["default"]["ENGINE"],
        connect_seconds=int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")),
        statement_ms=int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000")),
    ),
}

# A read replica (streaming replication of the primary): anonymous readers' pages read from it,
# the desk and anything after a write use the primary (newsroom/db_router.py).
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(1, "newsroom.db_router.ReplicaMiddleware")

CACHE_URL = os.environ.get("CACHE_URL", "")
CACHE_TIMEOUT_SECONDS = float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.5"))


def redis_cache(url: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        # A Redis that hangs must cost a reader a moment, not a worker: past these timeouts
        # the page cache gives up and the page is rendered from the database.
        "OPTIONS": {
            "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
            "socket_timeout": CACHE_TIMEOUT_SECONDS,
        },
    }


if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": redis_cache(CACHE_URL)}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes checks every sign-in before the password is even tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Photo renditions (django-imagekit writes them here): the same folder as uploads locally.
    "renditions": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production, whitenoise serves straight from the app and project static folders,
# so neither `collectstatic` nor a static root is needed to run or test the site.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "CEPA" and "Cepa" are one topic: taggit matches typed names case-insensitively.
TAGGIT_CASE_INSENSITIVE = True

# Uploaded photos can be large; keep them out of memory above 5 MB. The web server in front
# caps request bodies (docs/security.md); articles/uploads.py caps what is accepted.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# The public page cache (articles/page_cache.py): on unless NEWSROOM_PAGE_CACHE=off.
PAGE_CACHE_ENABLED = env_bool("NEWSROOM_PAGE_CACHE", default=True)
# Story pages' bodies and story cards kept rendered between pages (articles/cache/fragments.py).
FRAGMENT_CACHE_ENABLED = env_bool("NEWSROOM_FRAGMENT_CACHE", default=True)
# The API keeps its own cache behind its keys and rate limits (articles/api/responses.py).
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/preview/", "/media/", "/static/", "/healthz", "/api/")

NEWSROOM = {
    "SITE_NAME": os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom"),
    "PAGE_SIZE": 20,
    # How long a signed preview link for an unpublished story keeps working.
    "PREVIEW_MAX_AGE": timedelta(hours=int(os.environ.get("NEWSROOM_PREVIEW_HOURS", "48"))),
    # Google News and feeds name the publication's language (ISO 639-1).
    "LANGUAGE": os.environ.get("NEWSROOM_LANGUAGE", "en"),
    # The publisher logo named in structured data (a file under static/).
    "LOGO": "img/logo.png",
    # The picture shares and structured data show for a story without a photo (1200 x 630).
    "DEFAULT_IMAGE": ("img/social-default.png", 1200, 630),
    # Uploaded pictures (articles/uploads.py): bytes, and pixels counting every frame.
    "UPLOAD_MAX_BYTES": int(os.environ.get("NEWSROOM_UPLOAD_MAX_MB", "20")) * 1024 * 1024,
    "UPLOAD_MAX_PIXELS": int(os.environ.get("NEWSROOM_UPLOAD_MAX_MEGAPIXELS", "60")) * 1_000_000,
    # Staff sign-ins last a working day; the site's readers have no sessions at all.
    "STAFF_SESSION_SECONDS": int(os.environ.get("NEWSROOM_STAFF_SESSION_HOURS", "8")) * 3600,
    # Every staff sign-in needs an authenticator code (off: only for those who set one up).
    "REQUIRE_TWO_FACTOR": env_bool("NEWSROOM_REQUIRE_2FA", default=False),
    # Agencies whose kill takes a published story down by itself (comma-separated names);
    # for every other agency a kill alerts the desk and an editor decides.
    "WIRE_AUTO_UNPUBLISH": [
        name.strip()
        for name in os.environ.get("NEWSROOM_WIRE_AUTO_UNPUBLISH", "").split(",")
        if name.strip()
    ],
    # The public address of the site: ninjs URIs and links in the API and webhooks use it.
    "SITE_URL": os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000"),
    # Members of these groups (and superusers) always need an authenticator code. In
    # production, Editors and Administrators by default; NEWSROOM_2FA_ROLES="" opts out.
    "TWO_FACTOR_ROLES": env_list(
        "NEWSROOM_2FA_ROLES", "Editor,Administrator" if IS_PRODUCTION else ""
    ),
}

# The content API (articles/api/, docs/api.md). Partners use keys made in the desk; with
# ANONYMOUS on, anyone may read published stories at ANONYMOUS_RATE (per address).
NEWSROOM_API = {
    "ANONYMOUS": env_bool("NEWSROOM_API_ANONYMOUS", default=False),
    "ANONYMOUS_RATE": os.environ.get("NEWSROOM_API_ANONYMOUS_RATE", "60/min"),
    "PAGE_SIZE": 20,
}
# Webhooks (articles/api/webhooks.py): short timeouts, retries for RETRY_HOURS, and never an
# address on a loopback, private or link-local network unless listed in ALLOWED_NETWORKS.
NEWSROOM_WEBHOOKS = {
    "TIMEOUT_SECONDS": float(os.environ.get("NEWSROOM_WEBHOOK_TIMEOUT", "5")),
    "RETRY_HOURS": 24,
    "ALLOWED_NETWORKS": env_list("NEWSROOM_WEBHOOK_ALLOWED_NETWORKS", ""),
}
# Pictures a wire feed refers to by URL (articles/wire/remote.py): fetched with the webhooks'
# protections (http(s) only, public addresses only unless listed here, short timeouts).
NEWSROOM_WIRE_PICTURES = {
    "TIMEOUT_SECONDS": float(os.environ.get("NEWSROOM_WIRE_PICTURE_TIMEOUT", "10")),
    "ALLOWED_NETWORKS": env_list("NEWSROOM_WIRE_PICTURE_ALLOWED_NETWORKS", ""),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "articles.api.access.problem_details",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # ninjs is the format: ?format= is not a switch (an unknown parameter is a 400).
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom content API",
    "DESCRIPTION": "Published stories as IPTC ninjs 3.0, for apps and partners. See docs/api.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The ninjs shapes (articles/api/openapi.py) join the generated components.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.openapi.add_components",
    ],
}

# Sign-in throttling (django-axes): a username is locked out from one address after
# AXES_FAILURE_LIMIT failures in a row, for AXES_COOLOFF_TIME. Attempts are kept in the
# database, not the cache, so the lock holds while Redis is down.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
# Beside it, a username is locked from every address after this many failures within the
# cool-off (a guesser with many addresses); its owner still signs in with an authenticator.
NEWSROOM_USERNAME_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_USERNAME_FAILURE_LIMIT", "20"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address as the proxies in front of the site report it (newsroom/signin.py).
AXES_CLIENT_IP_CALLABLE = "newsroom.signin.client_ip"
# No version banner at every start-up; lockouts are still logged.
AXES_VERBOSE = False
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("NEWSROOM_TRUSTED_PROXIES", "0"))


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit written "requests/seconds", e.g. "30/60"."""
    requests, seconds = os.environ.get(name, default).split("/")
    return int(requests), int(seconds)


# Per client address (newsroom/ratelimit.py); cached pages never count.
NEWSROOM_RATE_LIMITS = {
    "search": env_rate("NEWSROOM_RATE_SEARCH", "30/60"),
    "preview": env_rate("NEWSROOM_RATE_PREVIEW", "30/60"),
    "login": env_rate("NEWSROOM_RATE_LOGIN", "20/60"),
    "csp-report": env_rate("NEWSROOM_RATE_CSP_REPORT", "20/60"),
}
NEWSROOM_RATE_LIMIT_CACHE = "default"

# Alerts on publishes (articles/alerts.py): the newsroom's usual hours, local time, as
# "start-end" (start included, end not), and "more than N publishes in M minutes".
NEWSROOM_USUAL_HOURS = tuple(
    int(hour) for hour in os.environ.get("NEWSROOM_USUAL_HOURS", "6-23").split("-")
)
NEWSROOM_PUBLISH_BURST = env_rate("NEWSROOM_PUBLISH_BURST", "10/10")
# After sign-in without a usable `next=` (missing, or another site's): the desk.
LOGIN_REDIRECT_URL = "admin:index"
# How authenticator apps label the newsroom's entry.
OTP_TOTP_ISSUER = NEWSROOM["SITE_NAME"]

# Content-Security-Policy (django-csp, articles/csp.py). Readers' pages run no script of
# their own: only files from this site, never inline code or another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        # Violations go to newsroom/csp_reports.py: report-to for current browsers (with the
        # Reporting-Endpoints header, newsroom/csp.py), report-uri for the others.
        "report-uri": "/csp-report/",
        "report-to": "csp",
    }
}
NEWSROOM_CSP_REPORTS_KEPT = int(os.environ.get("NEWSROOM_CSP_REPORTS_KEPT", "500"))
# The desk (/admin/) differs in one directive: the rich-text editor (Tiptap) inserts a
# <style> element without a nonce. Style attributes and every script stay as strict.
ADMIN_CONTENT_SECURITY_POLICY_REPLACE = {"style-src-elem": [SELF, UNSAFE_INLINE]}

# Media in an S3-compatible bucket (AWS S3, R2, MinIO, Ceph) once AWS_STORAGE_BUCKET_NAME is
# set, with AWS_S3_ENDPOINT_URL and AWS_S3_REGION_NAME; django-storages reads AWS_ACCESS_KEY_ID
# and AWS_SECRET_ACCESS_KEY from the environment itself. Originals stay private (the desk gets
# signed URLs that expire); renditions are public, named after their source and settings, and
# never rewritten, so they are cached for a year (newsroom/storage.py).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    from newsroom.storage import media_origin, s3_storages

    STORAGES.update(s3_storages(os.environ))
    # Readers' pages show renditions from the bucket (or the CDN in front of it).
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(media_origin(os.environ))
IMAGEKIT_DEFAULT_FILE_STORAGE = "renditions"

# The cache in front of the app servers, purged by surrogate key (articles/cache/purge.py):
# "varnish" (PURGE to each of VARNISH_URLS), "fastly", "cloudflare", or empty for none.
NEWSROOM_PURGE = {
    "BACKEND": os.environ.get("NEWSROOM_PURGE_BACKEND", ""),
    "VARNISH_URLS": env_list("NEWSROOM_VARNISH_URLS", ""),
    "API_URL": os.environ.get("NEWSROOM_PURGE_API_URL", ""),
    "API_TOKEN": os.environ.get("NEWSROOM_PURGE_API_TOKEN", ""),
    "FASTLY_SERVICE_ID": os.environ.get("NEWSROOM_FASTLY_SERVICE_ID", ""),
    "CLOUDFLARE_ZONE_ID": os.environ.get("NEWSROOM_CLOUDFLARE_ZONE_ID", ""),
}
if NEWSROOM_PURGE["BACKEND"] not in ("", "varnish", "fastly", "cloudflare"):
    raise ImproperlyConfigured("NEWSROOM_PURGE_BACKEND must be varnish, fastly or cloudflare.")
if not NEWSROOM_PURGE["API_URL"]:
    NEWSROOM_PURGE["API_URL"] = {
        "fastly": "https://api.fastly.com",
        "cloudflare": "https://api.cloudflare.com/client/v4",
    }.get(NEWSROOM_PURGE["BACKEND"], "")

# The task worker (newsroom/celery.py, articles/tasks.py) takes its work from this broker:
# the same Redis as the cache, or RabbitMQ (amqp://...). Without one, tasks run in the request
# that queues them (development). A broker that is down never stops a publish: queuing gives
# up after a moment and the work is listed on the desk's "Background work" page.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE = {
    # A scheduled story or embargo coming due refreshes the cached pages within this interval,
    # before any reader asks (articles/tasks.py).
    "refresh-due-pages": {"task": "articles.tasks.refresh_due_pages", "schedule": 15.0},
    # ...and partners' webhooks hear "published" for it (once, however many workers run).
    "announce-due-stories": {"task": "articles.tasks.announce_due_stories", "schedule": 15.0},
}

# Photo renditions are checked through the cache, so a page never asks the database or the
# disk whether a rendition exists once it has been generated.
IMAGEKIT_CACHEFILE_DIR = "renditions"
# "This rendition exists" is remembered in each process's memory: a page with a dozen photos
# would otherwise make dozens of Redis round trips. A process that has not seen a rendition
# yet checks storage once (and generates it if missing).
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "OPTIONS": {"MAX_ENTRIES": 200_000},
}
IMAGEKIT_CACHE_BACKEND = "renditions"

if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Django's own messages reach the console once, through the root handler; without emptying the
# "django" logger's handlers they print twice in development. runserver's request lines keep
# their own handler and format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"django.server": DEFAULT_LOGGING["formatters"]["django.server"]},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
    },
}

# Story body blocks in the rich-text editor (static/js/news-blocks.js; articles/blocks/), as
# buttons after the editor's own.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("js/news-blocks.js")],
        "extensions": {"NewsBlock": html_tags(["figure"])},
    }
]
DJANGO_PROSE_EDITOR_MENU_GROUPS = [*DEFAULT_MENU_GROUPS, {"group": "newsBlocks"}]
