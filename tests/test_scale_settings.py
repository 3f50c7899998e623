"""Settings for more than one machine, read from the environment as a deployment starts."""

import json

from tests.test_production_settings import manage

SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'default': s.STORAGES['default'], 'renditions': s.STORAGES['renditions'],"
    "'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
    "'databases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS,"
    "'middleware': s.MIDDLEWARE[:2], 'eager': s.CELERY_TASK_ALWAYS_EAGER}, default=str))"
)


def shown(**env) -> dict:
    result = manage("shell", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_bucket_an_endpoint_a_replica_and_a_broker_are_taken_from_the_environment():
    values = shown(
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://r2.example.net",
        DATABASE_REPLICA_URL="postgres://reader@10.0.0.21:5432/newsroom",
        CELERY_BROKER_URL="redis://10.0.0.30:6379/1",
    )
    assert values["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert values["default"]["OPTIONS"]["default_acl"] == "private"
    assert values["default"]["OPTIONS"]["querystring_auth"] is True
    assert values["renditions"]["OPTIONS"]["default_acl"] == "public-read"
    assert "immutable" in values["renditions"]["OPTIONS"]["object_parameters"]["CacheControl"]
    assert "https://r2.example.net" in values["img"]
    assert values["databases"] == ["default", "replica"]
    assert values["routers"] == ["newsroom.db_router.ReplicaRouter"]
    assert values["middleware"][1] == "newsroom.db_router.ReplicaMiddleware"
    assert values["eager"] is False


def test_without_them_media_stay_on_disk_and_tasks_run_in_the_request():
    values = shown()
    assert values["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["databases"] == ["default"]
    assert values["eager"] is True


def test_an_unknown_purge_backend_stops_the_site_with_the_choices():
    result = manage("check", NEWSROOM_PURGE_BACKEND="akamai")
    assert result.returncode != 0
    assert "must be varnish, fastly or cloudflare" in result.stderr
