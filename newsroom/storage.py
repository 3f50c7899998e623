"""Media in an S3-compatible object store, configured from django-storages' own variable names.

Two storages on one bucket: `default` holds the uploaded originals, private (the desk shows
them through signed URLs that expire), and `renditions` holds what readers are sent, public
and cached for a year. A rendition's name carries a hash of its source's name and its settings
(articles/media/renditions.py), and source names are random and never reused, so a rendition
URL always means the same bytes: `immutable` is true.

Imported by settings.py, so nothing here touches Django's app registry.
"""

from collections.abc import Mapping
from urllib.parse import urlsplit

from botocore.config import Config

ONE_YEAR = 365 * 24 * 3600
# An unreachable store must cost an editor a form error in seconds, not a hung request.
CLIENT_CONFIG = Config(
    connect_timeout=3, read_timeout=20, retries={"max_attempts": 2, "mode": "standard"}
)


def _common(env: Mapping[str, str]) -> dict:
    options = {
        "bucket_name": env["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env.get("AWS_S3_REGION_NAME") or None,
        "addressing_style": env.get("AWS_S3_ADDRESSING_STYLE") or None,
        "client_config": CLIENT_CONFIG,
        "file_overwrite": False,
    }
    return {name: value for name, value in options.items() if value is not None}


def s3_storages(env: Mapping[str, str]) -> dict:
    """The `default` and `renditions` entries of STORAGES for the bucket named in `env`."""
    backend = "storages.backends.s3.S3Storage"
    originals = {
        **_common(env),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 3600,
        "object_parameters": {"CacheControl": "private, max-age=3600"},
    }
    renditions = {
        **_common(env),
        "default_acl": "public-read",
        "querystring_auth": False,
        "object_parameters": {"CacheControl": f"public, max-age={ONE_YEAR}, immutable"},
    }
    if domain := env.get("AWS_S3_CUSTOM_DOMAIN"):
        renditions["custom_domain"] = domain
    return {
        "default": {"BACKEND": backend, "OPTIONS": originals},
        "renditions": {"BACKEND": backend, "OPTIONS": renditions},
    }


def media_origin(env: Mapping[str, str]) -> str:
    """The origin readers' browsers load renditions from, for the Content-Security-Policy."""
    if domain := env.get("AWS_S3_CUSTOM_DOMAIN"):
        return f"https://{domain}"
    if endpoint := env.get("AWS_S3_ENDPOINT_URL"):
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    bucket = env["AWS_STORAGE_BUCKET_NAME"]
    region = env.get("AWS_S3_REGION_NAME")
    return (
        f"https://{bucket}.s3.{region}.amazonaws.com"
        if region
        else f"https://{bucket}.s3.amazonaws.com"
    )
