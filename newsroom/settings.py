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
from django_prose_editor.config import DEFAULT_MENU_GROUPS, html_tags

BASE_DIR = Path(__file__).resolve().parent.parent

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

if IS_PRODUCTION and (DEBUG or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs DJANGO_DEBUG off and a real DJANGO_SECRET_KEY "
        "(at least 40 characters)."
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
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETag and 304 answers, computed on what the page cache returns.
    "django.middleware.http.ConditionalGetMiddleware",
    # Outside the page cache: every response gets its policy, cached pages included.
    "newsroom.csp.NewsroomCSPMiddleware",
    # Near the top: a reader's cached page skips the rest of the stack. The headers the
    # middleware below adds were stored with the page when it was rendered.
    "articles.cache.pages.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

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
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/preview/", "/media/", "/static/", "/healthz")

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
}

# Sign-in throttling (django-axes): a username is locked out from one address after
# AXES_FAILURE_LIMIT failures in a row, for AXES_COOLOFF_TIME. Attempts are kept in the
# database, not the cache, so the lock holds while Redis is down.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address as the proxies in front of the site report it (articles/signin.py).
AXES_CLIENT_IP_CALLABLE = "newsroom.signin.client_ip"
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("NEWSROOM_TRUSTED_PROXIES", "0"))
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
    }
}
# The desk (/admin/) differs in one directive: the rich-text editor (Tiptap) inserts a
# <style> element without a nonce. Style attributes and every script stay as strict.
ADMIN_CONTENT_SECURITY_POLICY_REPLACE = {"style-src-elem": [SELF, UNSAFE_INLINE]}

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
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
